"""`cadres migrate`: a registry of the first layout (the org department's acts inside the people's files)
converted without losing a value: every figure of `cadres stats` and every page of the org department's site
equal before and after.

The first layout is made here from the demo: each person's file holds their whole values again (what the acts
say of them, as the first layout wrote it), and the act files are gone.
"""

import json
import re
import shutil

import pytest

from generator.interchange.yamlout import dump
from generator.registry.acts import DERIVED

from conftest import AS_OF, district_registry


def first_layout(root):
    """The demo as a registry of the first layout: every act back in the people's files."""
    for entry in district_registry().cadres:
        path = root / entry.path
        derived = {k: v for k, v in entry.data.items() if k in DERIVED}
        own = {k: v for k, v in entry.own.items() if k not in DERIVED}
        path.write_text(dump(own | derived), encoding="utf-8")
    for folder in ("inspections", "decisions"):
        shutil.rmtree(root / "registry" / folder)
    (root / "registry/watch.yaml").unlink()


@pytest.fixture
def old(project):
    first_layout(project)
    return project


def test_a_registry_of_the_first_layout_is_told_how_to_convert(old, cadres):
    status, lines, err = cadres(old, "validate", "--as-of", AS_OF)
    assert (status, lines) == (2, [])
    assert err.count("\n") == 1 and "这个名册还是旧格式" in err and "请运行 cadres migrate" in err


def test_migrate_keeps_every_figure_and_page(old, cadres, district_site):
    status, lines, err = cadres(old, "migrate", "--dry-run")
    assert status == 0, err
    assert not (old / "registry/decisions").exists()  # a dry run writes nothing
    assert lines[-1].startswith("（试运行，没有写入）")
    status, lines, err = cadres(old, "migrate")
    assert status == 0, err
    # the promotions' meetings: the first layout wrote their date and reason, never who decided or the minutes
    assert lines[0].startswith("2 项调整原来只写了日期、没有写决定机关和文号")  # the 2 已使用
    assert lines[-1].endswith("请运行 cadres validate 和 cadres codeowners，核对后一并提交。")
    status, lines, err = cadres(old, "validate", "--as-of", AS_OF)
    assert status == 0, "\n".join(lines)
    assert cadres(old, "migrate")[0] == 2  # converted once: refused the second time, nothing written

    # the reference: the tests' registry as it is, built unchanged once for every test (district_site)
    reference, site = district_site
    status, after, _ = cadres(old, "stats", "--as-of", AS_OF, "--format", "json")
    status, before, _ = cadres(reference, "stats", "--as-of", AS_OF, "--format", "json")
    assert json.loads("\n".join(after)) == json.loads("\n".join(before))

    status, _, err = cadres(old, "build", "--as-of", AS_OF, "--audience", "zuzhibu")
    assert status == 0, err
    pages = sorted(p.relative_to(site / "zuzhibu") for p in (site / "zuzhibu").rglob("*.html"))
    assert len(pages) > 100  # every profile, roster and statistics page
    for page in pages:
        a, b = (re.sub(r"名册版本[^<]*", "", (folder / page).read_text(encoding="utf-8"))
                for folder in (site / "zuzhibu", old / "site" / "zuzhibu"))  # fmt: skip
        assert a == b, page
