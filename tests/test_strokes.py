"""姓氏笔画 order, checked against orders official name lists use."""

import pytest

from generator.analysis import strokes


@pytest.mark.parametrize(
    "names",
    [
        "丁 卜 刁",  # 2 strokes: 横 before 竖 before 折
        "于 万 己 马",  # 3 strokes
        "石 叶 田 史 白 冯 兰 司",  # 5 strokes, ordered stroke by stroke
        "李 张 赵",  # 7, 7, 9
        "王 方 孔 邓",  # 4 strokes: 横 竖 撇 点 折 by the first stroke
    ],
)
def test_known_orders(names):
    expected = names.split()
    assert sorted(list(reversed(expected)), key=strokes.name_key) == expected  # noqa: C414


def test_full_names_compare_character_by_character_and_shorter_first():
    names = ["王晓明", "王小明", "王小", "丁一", "王明"]
    assert sorted(names, key=strokes.name_key) == ["丁一", "王小", "王小明", "王明", "王晓明"]


def test_the_table_counts_strokes_as_the_standard_does():
    assert strokes.strokes("丁") == "12"  # 竖钩 counts as 竖
    assert strokes.strokes("刁") == "51"  # 提 counts as 横
    assert strokes.strokes("心") == "4544"  # 卧钩 counts as 折
    assert len(strokes.table()) > 6000


def test_a_character_the_table_lacks_goes_last_and_is_named():
    rare = "\U00020000"  # outside the table
    assert sorted([f"王{rare}", "王一"], key=strokes.name_key) == ["王一", f"王{rare}"]
    assert strokes.unknown(["王一", f"王{rare}"]) == [rare]
