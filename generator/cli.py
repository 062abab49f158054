"""The `cadres` command: parses arguments and calls one stage per command; no logic of its own."""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import gc
import hashlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generator import __version__
from generator.core import dates
from generator.core.errors import CadresError, UsageError
from generator.core.findings import count_line
from generator.core.numbers import masked
from generator.registry import sealed

EXIT_OK, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2
EXIT_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a command whose reader closed the pipe
_OWN_PROCESS = False  # main() runs as the `cadres` command (run), not called by another program

# argparse's own texts (usage, help headings, errors), said in Chinese: argparse looks them up through gettext
ARGPARSE_TEXTS = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必填的参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "「%(value)s」不是可选的值（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "后面要写一个值",
    "expected at least one argument": "后面至少要写一个值",
    "invalid %(type)s value: %(value)r": "「%(value)s」不是有效的 %(type)s 值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "one of the arguments %s is required": "参数 %s 必须写一个",
}


def _as_of(text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期「{text}」格式不对，请写成 YYYY-MM-DD，如 2026-11-25") from None


def _as_of_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--as-of", type=_as_of, default=None, help=f"{what} YYYY-MM-DD，默认今天（演示名册：它的数据日期）"
    )


def _chinese(text: str) -> str:
    return ARGPARSE_TEXTS.get(text, text)


def _chinese_plural(singular: str, plural: str, n: int) -> str:
    return {"expected %s argument": "后面要写 %s 个值", "expected %s arguments": "后面要写 %s 个值"}.get(
        singular if n == 1 else plural, singular if n == 1 else plural
    )


@contextlib.contextmanager
def chinese_argparse() -> Iterator[None]:
    """argparse's own texts in Chinese while our parser is built and used, and only then: another program that
    imports this module keeps its parser's English."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _chinese, _chinese_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cadres", description="科级后备干部名册：校验记录、生成内网站点。")
    parser.add_argument("--version", action="version", version=f"cadres {__version__}")
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="名册仓库的根目录（含 registry/），默认为当前目录或其上级中最近的一个",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser(
        "validate",
        help="校验名册：格式、代码表、记录之间的一致性和政策规则",
        description="校验名册中的每个文件；每个问题一行：文件:行:列: 错误|警告 [代码] 字段 (路径): 问题 — 怎么改。"
        "退出码 0 表示没有错误，1 表示有错误，2 表示程序本身出错。",
    )
    validate.add_argument("paths", nargs="*", help="只报告这些文件或文件夹的问题（检查仍针对整个名册）")
    _as_of_option(validate, "核对日期")
    validate.add_argument(
        "--base",
        default="HEAD",
        metavar="REV",
        help="与这个 git 版本比较，提醒删除了的干部记录文件（X19）；默认 HEAD（上次提交），合并请求的 CI 用其分叉点",
    )
    validate.add_argument("--no-cache", action="store_true", help="不使用校验缓存")
    validate.add_argument("--jobs", type=int, default=None, help="并行进程数，默认为 CPU 核数")
    validate.add_argument(
        "--format",
        choices=("text", "junit", "codequality"),
        default="text",
        help="text：每个问题一行（默认）；junit：GitLab 测试报告（JUnit XML）；"
        "codequality：GitLab 代码质量报告（合并请求中逐行标注）",
    )

    stats = commands.add_parser(
        "stats",
        help="结构统计：目标 T01–T16 的达标情况和各项分布",
        description="统计某一日期在库的后备干部（按入库、出库时间还原当时的队伍）："
        "每项目标的数值、分子分母、目标值和是否达到，以及各项分布、逾期未调整和已批准例外。"
        "格式有错误的记录不计入，这时退出码为 1。",
    )
    _as_of_option(stats, "统计日期")
    stats.add_argument(
        "--since",
        type=_as_of,
        default=None,
        metavar="DATE",
        help="与这一日期的队伍比较：谁入库、谁出库，各项目标怎样变化（如上一轮调整前）",
    )
    stats.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="text：终端阅读（默认）；json：供网站和其他工具使用；markdown：合并请求评论或页面",
    )

    rnd = commands.add_parser(
        "round",
        help="调整充实（每两年一次）：plan 提出方案（出库、列入、各单位后备、结构前后）；"
        "decide 把常委会通过的方案写成决定",
        description="plan：按政策和 policy.yaml 的 adjustment 提出建议出库的人员（每人写明原因和政策依据）、"
        "建议列入的已考察人选、各单位班子职数与后备人数、调整前后的结构目标。"
        "decide：读取常委会通过的方案（plan --format json 的输出，可删去未通过的人），"
        "写成一个决定文件 registry/decisions/<日期>.yaml；--dry-run 只列出每人的变化。",
    )
    rnd.add_argument("action", choices=("plan", "decide"), help="plan：提出方案；decide：写成决定")
    _as_of_option(rnd, "统计日期（plan）")
    rnd.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="plan 的输出：text（默认）；json：供网站和 decide 使用；markdown：合并请求或材料",
    )
    rnd.add_argument("--from", dest="plan_file", type=Path, metavar="PLAN.json", help="decide：常委会通过的方案")
    rnd.add_argument("--date", type=_as_of, metavar="DATE", help="decide：常委会会议日期 YYYY-MM-DD")
    rnd.add_argument("--ref", help="decide：会议纪要文号，如 区委常委会会议纪要〔2027〕25号")
    rnd.add_argument("--dry-run", action="store_true", help="decide：只列出每人的变化，不写文件")

    diff = commands.add_parser(
        "diff",
        help="比较两个版本的名册：谁入库、出库，谁的层级、单位、状态和字段变了，各项目标怎样变化",
        description="BASE 和 HEAD 是 git 的分支名或提交号；不写 HEAD 时与当前工作区比较。"
        "--format markdown 可直接贴到合并请求的评论里。",
    )
    diff.add_argument("base", metavar="BASE", help="比较的起点，如 origin/main")
    diff.add_argument("head", metavar="HEAD", nargs="?", default=None, help="比较的终点，默认当前工作区")
    _as_of_option(diff, "统计日期")
    diff.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="text：终端阅读（默认）；markdown：合并请求评论；json：供其他工具使用",
    )

    owners = commands.add_parser(
        "codeowners",
        help="根据单位和审核人生成 CODEOWNERS（合并请求的审核人）",
        description="各单位的审核人负责本单位的干部记录和推荐文件；区委组织部负责全部文件，"
        "并单独负责政策、规则、配置和正职后备记录。--check 只检查不写入。",
    )
    owners.add_argument("--check", action="store_true", help="只检查已提交的 CODEOWNERS 是否过期；过期时退出码为 1")

    schema = commands.add_parser(
        "schema",
        help="导出 JSON Schema，供编辑器（YAML 语言服务器）检查和提示",
        description="由 schemas/ 中的 Cerberus 规则生成 JSON Schema（draft 2020-12），"
        "字段有中文标题和说明，代码表为枚举。",
    )
    schema.add_argument("--json", action="store_true", required=True, help="以 JSON Schema 格式导出")
    schema.add_argument(
        "--kind",
        choices=("cadre", "nomination", "inspection", "decision", "watch", "unit", "audiences", "policy"),
        default="cadre",
        help="导出哪种文件的规则（不写 --output 时），默认 cadre",
    )
    schema.add_argument(
        "--output",
        type=Path,
        default=None,
        help="把五种文件的规则都写到这个文件夹（<种类>.schema.json），如 schemas/json",
    )

    new = commands.add_parser(
        "new",
        help="新建干部记录或民主推荐文件：生成编号和全部必填字段",
        description="生成的文件开头注明 JSON Schema，编辑器会提示；把每个空白填好后运行 cadres validate。",
    )
    new.add_argument("what", choices=("cadre", "nomination"), help="cadre：干部记录；nomination：民主推荐文件")
    new.add_argument("--unit", required=True, help="单位编号（units.yaml 中的 id），如 caizheng")
    new.add_argument("--round", type=int, default=None, help="调整轮次（年份，新建推荐文件时必填），如 2027")

    conf = commands.add_parser(
        "serve-config",
        help="生成内网网站服务器（nginx）的配置：每个读者的站点各自要求登录",
        description="默认用 HTTP 基本认证：每个读者一个 htpasswd 文件（<目录>/<读者>.htpasswd）；"
        "也可以接入单点登录（--sso-url）。区委组织部的账号要写进每个读者的文件。",
    )
    conf.add_argument(
        "--htpasswd-dir", type=Path, default=None, help="各读者 htpasswd 文件所在的目录（基本认证时必填）"
    )
    conf.add_argument(
        "--sso-url", default=None, help="单点登录的校验地址（auth_request），如 http://sso.intranet/check"
    )
    conf.add_argument("--groups-header", default="X-Groups", help="单点登录返回用户所属组的响应头，默认 X-Groups")
    conf.add_argument(
        "--groups-separator",
        default=",",
        help="组名之间的分隔符：逗号（默认）、分号、竖线或空格；组名按分隔符切开后逐个精确比较",
    )
    conf.add_argument(
        "--errors",
        type=Path,
        default=None,
        metavar="DIR",
        help="错误页（401、403、404……）写到这个目录；"
        "默认在 --output 文件旁的 cadres-errors/，--full 时在 PREFIX/errors/",
    )
    conf.add_argument(
        "--user", default=None, help="以 root 运行 --full 的 nginx 时，工作进程的用户（不能是 root），如 www-data"
    )
    conf.add_argument("--sites", type=Path, default=None, help="网站目录，默认 <根目录>/site")
    conf.add_argument("--listen", default="443 ssl", help="nginx 的 listen 参数，默认 443 ssl（证书另行配置）")
    conf.add_argument(
        "--full",
        type=Path,
        default=None,
        metavar="PREFIX",
        help="写出完整的 nginx.conf，以 PREFIX 为工作目录（无需 root，用于测试或小型服务器）",
    )
    conf.add_argument("--output", type=Path, default=None, help="写到这个文件，默认输出到屏幕")

    serve = commands.add_parser(
        "serve",
        help="在本机预览已生成的站点（不设登录，只有本机能访问）",
        description="只监听 127.0.0.1，不设登录：供一个人在自己的电脑上查看生成的站点。"
        "正式服务请用 cadres serve-config 生成的 nginx 配置。",
    )
    serve.add_argument("--audience", default="zuzhibu", help="预览哪个读者的站点，默认 zuzhibu")
    serve.add_argument("--port", type=int, default=8000, help="端口，默认 8000")
    serve.add_argument("--sites", type=Path, default=None, help="网站目录，默认 <根目录>/site")

    audit = commands.add_parser(
        "audit-site",
        help="检查已生成的站点：有没有读者不应看到的人员、字段、外部地址或原始 YAML",
        description="逐个文件扫描每个读者的站点；有问题时退出码为 1。",
    )
    audit.add_argument("--sites", type=Path, default=None, help="网站目录，默认 <根目录>/site")

    export = commands.add_parser(
        "export",
        help="导出后备干部名册（Excel）、干部任免审批表（LRMX）或会议材料（Word：人选方案、任免审批表）",
        description="xlsx：按读者导出名册，每个层级一张表、每个单位一张表，单位内按姓氏笔画排列，"
        "另有结构统计表；只含该读者可见的人员和字段。lrmx：导出一个人的 .lrmx 文件。"
        "docx 人选方案：提请区委常委会的人选方案（Word/WPS 可编辑）；docx 任免审批表 编号…：每人一份干部任免审批表。",
    )
    export.add_argument(
        "format", choices=("xlsx", "lrmx", "docx"), help="xlsx：Excel 工作簿；lrmx：干部任免审批表文件；docx：Word 文档"
    )
    export.add_argument(
        "id",
        nargs="*",
        default=[],
        help="lrmx：干部编号；docx：文档名（人选方案 或 任免审批表），任免审批表后面写一个或几个干部编号",
    )
    export.add_argument("--audience", default="zuzhibu", help="按哪个读者导出，默认 zuzhibu")
    _as_of_option(export, "统计日期")
    export.add_argument("--output", type=Path, default=None, help="输出文件，默认 后备干部名册-<读者>-<日期>.xlsx")
    export.add_argument(
        "--template",
        action="store_true",
        help="导出某单位的导入模板（每个字段一列，已填好本单位现有人员），填好后用 cadres import xlsx 导入",
    )
    export.add_argument("--unit", default=None, help="导出模板时的单位编号")

    imp = commands.add_parser(
        "import",
        help="从 Excel 模板、单位名册或干部任免审批表（LRMX）导入干部记录",
        description="xlsx：读入 cadres export xlsx --template 生成、由单位填好的工作簿，有编号的行更新该人的记录，"
        "编号留空的行按姓名和出生年月认人，认不出的新建；roster：读入单位自己的名册（表头写法见 "
        "schemas/roster_headers.yaml）；lrmx：读入 .lrmx 文件。认人：有密钥时按身份证号，否则按本单位的姓名和"
        "出生年月（名册没有出生年月时按姓名）；同一人在一次导入中只能出现一次。"
        "有任何一处不能导入时什么也不写（除非加 --partial），并说明在哪里、为什么；"
        "没有对应字段的内容逐项列出；写入后自动校验。",
    )
    imp.add_argument(
        "format",
        choices=("xlsx", "lrmx", "roster"),
        help="xlsx：本系统的导入模板；lrmx：干部任免审批表文件；roster：单位自己的名册工作簿（表头在标题行下面也可以）",
    )
    imp.add_argument("files", type=Path, nargs="+", help="填好的工作簿（一个），或 .lrmx 文件（可多个）")
    imp.add_argument("--unit", required=True, help="单位编号")
    imp.add_argument("--partial", action="store_true", help="只导入没有问题的行")
    imp.add_argument("--todo", type=Path, metavar="FILE", help="待补充清单（CSV）写到哪里（默认与导入的文件放在一起）")
    imp.add_argument("--dry-run", action="store_true", help="只列出每个人、每个字段将怎样改，不写入")
    imp.add_argument(
        "--allow-removal", action="store_true", help="允许删除或清空记录中已有的内容（默认有删除时什么也不写）"
    )

    init = commands.add_parser(
        "init",
        help="新建一个只放名册数据的仓库（程序、规则和网站模板随 cadres 安装）",
        description="在 DIR 中建立名册仓库：registry/ 的骨架（政策、读者、示例单位），.gitlab-ci.yml、"
        ".pre-commit-config.yaml、CODEOWNERS、.gitignore 和编辑器设置；不覆盖已有文件。",
    )
    init.add_argument("directory", type=Path, metavar="DIR", help="新仓库的文件夹（不存在时新建）")
    init.add_argument(
        "--tool-repo",
        required=True,
        metavar="URL",
        help="本程序在内网 GitLab 上的仓库地址，如 https://git.example.intranet/zuzhibu/cadres.git",
    )
    init.add_argument(
        "--tool-rev", default=f"v{__version__}", help=f"使用的程序版本（标签或提交号），默认 v{__version__}"
    )
    unit_export = commands.add_parser(
        "unit-export",
        help="把区名册中某单位的记录和共用配置写进该单位的仓库（区委组织部运行）",
        description="单位仓库只放本单位的干部记录、推荐文件和共用配置（policy、units、audiences、recipients）；"
        "本命令让 DIR 的 registry/ 与区名册一致（删除区名册中已没有的本单位文件），然后在单位仓库中提交。",
    )
    unit_export.add_argument("unit", metavar="UNIT", help="单位编号，如 caizheng")
    unit_export.add_argument("--to", type=Path, required=True, metavar="DIR", help="单位仓库的工作目录")
    unit_pull = commands.add_parser(
        "unit-pull",
        help="把单位仓库中已合并的修改取进区名册：新建分支并提交，附单位的合并请求和审核人（区委组织部运行）",
        description="从单位仓库的 REV（默认 main，只读已提交的内容）取本单位的文件，其他文件一律不取并列出；"
        "区名册和单位仓库都改过的文件不取，请先 unit-export；在新分支 unit/<单位>-<版本> 上提交，"
        "提交说明列出单位的每个合并请求和审核人，再推送为组织部的合并请求。",
    )
    unit_pull.add_argument("unit", metavar="UNIT", help="单位编号，如 caizheng")
    unit_pull.add_argument("--from", dest="source", required=True, metavar="REPO", help="单位仓库的地址或路径")
    unit_pull.add_argument("--rev", default="main", help="单位仓库的分支或提交，默认 main")

    review = commands.add_parser(
        "review",
        help="区委组织部审核人在批准合并请求前，用密钥核对它的源分支（号码查重、号码与出生日期和性别）",
        description="合并请求的流水线没有密钥，需要号码本身的核对（X17、R12、X20）在那里只说“未核对”（X21）。"
        "审核人在本机（持有密钥）运行本命令：把源分支检出到临时目录，用密钥校验整个名册，并与分叉点比较（X19、X27）。"
        "本机的工作目录不受影响。",
    )
    review.add_argument("branch", metavar="BRANCH", help="合并请求的源分支（先 git fetch），如 origin/mr-12")
    review.add_argument("--target", default="main", help="合并到的分支，默认 main")
    _as_of_option(review, "核对日期")

    migrate = commands.add_parser(
        "migrate",
        help="把旧格式的名册转换为新格式：区委组织部的考察、区委常委会的决定和关注名单各成文件",
        description="旧格式的干部记录里写着 reserve（后备情况）、evaluations、inspection、development_plan、"
        "exceptions；转换后它们分别在 registry/inspections/、registry/decisions/ 和 registry/watch.yaml 中，"
        "干部记录只留本人情况。"
        "不丢任何值：由决定推出而不再单独保存的（入库时间）、旧记录没写的（调整、出库的决定机关）逐条说明。",
    )
    migrate.add_argument("--dry-run", action="store_true", help="只列出要写的文件和说明，不写入")

    encrypt = commands.add_parser(
        "encrypt",
        help="加密干部记录中的身份证号和联系电话（提交前运行）；--rekey 按新的收件人重新加密",
        description="把明文的身份证号、联系电话核对后加密成 ENC[age,…]，收件人是 registry/recipients.txt 中的公钥；"
        "只改这两行，其余内容和注释不变。已加密的不动；--rekey 用密钥解开后按当前收件人重新加密"
        f"（密钥由环境变量 {sealed.IDENTITY_FILE_ENV} 指向的文件提供，不能写在命令行上）。",
    )
    encrypt.add_argument("paths", nargs="*", type=Path, help="要加密的记录文件或文件夹，默认 registry/cadres 下全部")
    encrypt.add_argument("--rekey", action="store_true", help="全部解开后按 registry/recipients.txt 重新加密")
    encrypt.add_argument("--check", action="store_true", help="只检查有没有明文号码，不写入；有时退出码为 1")

    keygen = commands.add_parser(
        "keygen",
        help="生成区委组织部的解密密钥（age），并给出要写进 registry/recipients.txt 的公钥",
        description="密钥文件只保存在组织部的电脑和 GitLab 的受保护 CI/CD 变量中，绝不提交到仓库。",
    )
    keygen.add_argument(
        "--output", type=Path, required=True, help="密钥文件的路径（不能已存在），如 ~/.config/cadres/key.txt"
    )

    comment = commands.add_parser(
        "comment",
        help="把名册变化摘要写成合并请求的评论（在 GitLab CI 中运行）",
        description="用 GitLab 的预定义变量和 CI/CD 变量 CADRES_NOTE_TOKEN（项目访问令牌）添加或更新合并请求中的"
        "名册变化摘要评论；没有令牌时只说明，不报错。",
    )
    comment.add_argument("file", type=Path, help="cadres diff --format markdown 的输出，如 pool-diff.md")
    build = commands.add_parser(
        "build",
        help="校验名册并为每个读者生成网站到 site/<读者>/",
        description="先校验；有错误时不生成，原有网站保持不变。每个读者（registry/audiences.yaml）"
        "单独生成一个站点，只含其可见的人员和字段；某个站点生成失败时，该站点保持原样。",
    )
    _as_of_option(build, "统计日期")
    build.add_argument(
        "--audience",
        action="append",
        metavar="ID",
        help="只生成这个读者的站点（可写多次），如 zuzhibu、unit-caizheng；默认全部",
    )
    build.add_argument("--output", type=Path, default=None, help="网站输出目录，默认 <根目录>/site")
    build.add_argument("--jobs", type=int, default=None, help="同时生成的站点数，默认为 CPU 核数")
    return parser


def run() -> None:
    """The `cadres` command and `python -m generator`: main() in a process of its own, which ends with it."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    sys.exit(main())


def main(argv: list[str] | None = None) -> int:
    with chinese_argparse():
        args = _parser().parse_args(argv)
    try:
        root = {"init": lambda: args.directory, "keygen": Path.cwd}.get(args.command, lambda: _find_root(args.root))()
        if "as_of" in args and args.as_of is None:
            args.as_of = dates.as_of_for(root)
        status = COMMANDS[args.command](args, root)
        sys.stdout.flush()  # here, where a closed pipe is caught, not at exit
        return status
    except BrokenPipeError:  # the reader went away (`cadres validate | head`): stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the final flush raises nothing
        return EXIT_PIPE
    except CadresError as exc:  # every failure said to the user, whichever stage raised it
        print(f"cadres: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("cadres: 已中断", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # the program's own failure: one line, and the traceback in a file a clerk can send
        print(f"cadres: {internal_error(exc)}", file=sys.stderr)
        if os.environ.get("CADRES_DEBUG"):
            traceback.print_exc()
        return EXIT_FAILURE


def internal_error(exc: BaseException) -> str:
    """Write the traceback to a log file in the user's cache (a folder only its owner can read: the values in a
    traceback are the registry's) and say where it is, in one Chinese line."""
    import time

    try:
        folder = private_cache() / "errors"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        log = folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"cadres {__version__}\n{' '.join(sys.argv)}\n\n")
            fh.write("".join(traceback.format_exception(exc)))
        where = f"详细情况已写入 {log}，请把这个文件发给系统管理员"
    except OSError:
        where = "请把这行信息告诉系统管理员；设置环境变量 CADRES_DEBUG=1 可看到详细信息"
    return f"程序内部错误（{type(exc).__name__}）。这不是记录的问题；{where}。"


def private_cache() -> Path:
    """The user's cache folder for this program, created readable by its owner only."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cadres"
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    base.chmod(0o700)
    return base


def _find_root(given: Path | None) -> Path:
    if given is not None:
        if not (given / "registry").is_dir():
            raise UsageError(f"{given} 下没有 registry/ 文件夹")
        return given
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "registry" / "units.yaml").is_file():
            return folder
    raise UsageError(
        "找不到名册：请在名册仓库（含 registry/units.yaml）中运行，或用 --root 指定；新建名册仓库用 cadres init"
    )


def _cache_dir(root: Path) -> Path:
    """$CADRES_CACHE_DIR, else a folder per registry in the user's cache: never inside the working tree, where a
    pre-commit hook would count the cache as a change it made."""
    if os.environ.get("CADRES_CACHE_DIR"):
        return Path(os.environ["CADRES_CACHE_DIR"])
    return private_cache() / hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]


def cmd_validate(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import validate
    from generator.core.findings import codequality, junit
    from generator.registry.validate import reported

    if _OWN_PROCESS:  # one run over data that makes no cyclic garbage to speak of (the same peak without the
        gc.disable()  # collector), which would walk all 10,000 records loaded once it is on again (0.1 s)
    cache = None if args.no_cache else _cache_dir(root)
    result = validate.run(root, as_of=args.as_of, paths=args.paths, base=args.base, cache_dir=cache, jobs=args.jobs)
    found = result.findings
    if args.format == "junit":
        asked = reported(root, args.paths)
        print(junit(found, [e.path for e in result.registry.entries if asked(e.path)]), end="")
    elif args.format == "codequality":
        print(codequality(found), end="")
    else:
        for finding in found:
            print(finding.format())
        print(count_line(found))
    return result.status


def cmd_stats(args: argparse.Namespace, root: Path) -> int:
    from generator.analysis import report
    from generator.commands import stats

    done = stats.run(root, as_of=args.as_of, since=args.since, cache_dir=_cache_dir(root))
    shown: dict[str, Callable[[Any], str]] = (
        {"text": report.text, "markdown": report.markdown}
        if done.since is None
        else {"text": report.compare_text, "markdown": report.compare_markdown}
    )
    if args.format == "json":
        print(json.dumps(done.figures, ensure_ascii=False, indent=1))
    else:
        print(shown[args.format](done.figures), end="")
    if done.left_out:
        print(
            f"注意：{len(done.left_out)} 个干部记录格式有错误，未计入统计（如 {done.left_out[0]}）；"
            "请运行 cadres validate 查看并改正。",
            file=sys.stderr,
        )
    return done.status


def cmd_round(args: argparse.Namespace, root: Path) -> int:
    from generator.analysis import report
    from generator.commands import round

    if args.action == "plan":
        result = round.plan(root, as_of=args.as_of, cache_dir=_cache_dir(root))
        if args.format == "json":
            print(json.dumps(result, ensure_ascii=False, indent=1))
        else:
            print({"text": report.plan_text, "markdown": report.plan_markdown}[args.format](result), end="")
        return EXIT_OK
    made = round.decision(root, plan_file=args.plan_file, day=args.date, ref=args.ref, cache_dir=_cache_dir(root))
    for line in made.decision.lines:
        print(line)
    if args.dry_run:
        print(f"（试运行）将写入 {made.decision.path}；去掉 --dry-run 后写入")
        return EXIT_OK
    round.write(root, made)
    print(
        f"已写入 {made.decision.path}：请运行 cadres validate，再提交为合并请求；"
        "cadres diff 会列出入库、出库和每项目标的变化"
    )
    return EXIT_OK


def cmd_diff(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import diff
    from generator.git.diff import markdown, text

    done = diff.run(root, args.base, args.head, as_of=args.as_of, cache_dir=_cache_dir(root))
    if args.format == "json":
        print(masked(json.dumps(done.pools, ensure_ascii=False, indent=1)))
    else:
        print({"text": text, "markdown": markdown}[args.format](done.pools), end="")
    return done.status


def cmd_codeowners(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import codeowners

    done = codeowners.run(root, check=args.check, cache_dir=_cache_dir(root))
    if args.check:
        print(done.finding.format() if done.finding else "CODEOWNERS 是最新的。")
    else:
        print(f"已写入 {done.file}" if done.written else "CODEOWNERS 已是最新，未改动。")
    return done.status


def cmd_init(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import init

    written = init.run(root, args.tool_repo, args.tool_rev)
    print(f"已在 {root} 建立名册仓库（{len(written)} 个文件）：")
    for path in written:
        print(f"  {path}")
    print(
        "下一步：把 registry/units.yaml 换成本区的单位名录，运行 cadres codeowners，然后提交；"
        "GitLab 的设置见 README 的“GitLab 项目设置”。"
    )
    return EXIT_OK


def cmd_comment(args: argparse.Namespace, _root: Path) -> int:
    from generator.commands import comment

    print(comment.run(args.file))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import schema

    if args.output is None:
        print(schema.text(root, args.kind), end="")
        return EXIT_OK
    names = schema.write(root, args.output)
    print(f"已写入 {args.output}/（{'、'.join(names)}）")
    return EXIT_OK


def cmd_new(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import new

    path = new.run(root, args.what, args.unit, round_year=args.round, cache_dir=_cache_dir(root))
    print(f"已新建 {path}：把每个空白填好后运行 cadres validate {path}")
    if args.what == "cadre":
        print(
            "再把此人写进本单位本轮的推荐文件"
            "（cadres new nomination，或已有的 registry/nominations/<年份>/<单位编号>.yaml）"
        )
    return EXIT_OK


def cmd_encrypt(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import encrypt

    done = encrypt.seal(root, args.paths, rekey=args.rekey)
    result = done.sealing
    for problem in result.problems:
        print(problem)
    if args.check:
        for rel, labels in result.sealed.items():
            print(f"{rel}: {'、'.join(labels)}是明文：请运行 cadres encrypt {rel}")
        return done.check_status
    encrypt.write(root, done)
    for rel, labels in result.sealed.items():
        print(f"已加密 {rel}：{'、'.join(labels)}")
    verb = "重新加密" if args.rekey else "加密"
    print(f"{verb}了 {len(result.sealed)} 个文件；{len(result.problems)} 处未能{verb}。", file=sys.stderr)
    if args.rekey:
        print(REKEY_HISTORY, file=sys.stderr)
    return done.status


REKEY_HISTORY = (
    "注意：git 历史里的旧密文没有变，删去的公钥对应的密钥仍能打开它们。请把离岗者当作已经看过当时的号码，"
    "收回他的仓库权限；保密规定要求时，请系统管理员改写历史（见 README 的“密钥”）。"
)


def cmd_unit_export(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import unit

    result = unit.export(root, args.unit, args.to, cache_dir=_cache_dir(root))
    for path in result.written:
        print(f"写入 {path}")
    for path in result.removed:
        print(f"删除 {path}")
    print(f"单位仓库 {args.to}：写入 {len(result.written)} 个、删除 {len(result.removed)} 个文件；请在那里提交。")
    return EXIT_OK


def cmd_unit_pull(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import unit

    done = unit.pull(root, args.unit, args.source, args.rev, cache_dir=_cache_dir(root))
    result = done.result
    for path in result.ignored:
        print(f"不取 {path}：不是本单位的文件（单位仓库只能修改本单位的记录和推荐文件）")
    for line in result.refused:
        print(line)
    if not result.branch:
        print("单位仓库没有新的修改。")
        return done.status
    for line in result.trail:
        print(line)
    for path in result.conflicts:
        print(
            f"冲突 {path}：区名册和单位仓库都改过同一处，已按 git 的方式合并，两边都保留在冲突标记之间"
            "（<<<<<<< 区名册 … ======= … >>>>>>> 单位仓库）"
        )
    print(
        f"已在分支 {result.branch} 上提交 {len(result.written)} 个修改、{len(result.removed)} 个删除；"
        + (
            "请在这个分支上改好有冲突的文件（保留应有的内容，删去冲突标记）并提交，再运行 cadres validate，"
            if result.conflicts
            else "请运行 cadres validate，"
        )
        + f"然后推送为合并请求：git push -o merge_request.create origin {result.branch}"
    )
    return done.status


def cmd_review(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import review

    done = review.run(root, args.branch, args.target, as_of=args.as_of)
    print(f"用密钥核对分支 {args.branch}（与 {args.target} 的分叉点 {done.fork[:8]} 比较）：")
    for finding in done.findings:
        print(finding.format())
    print(count_line(done.findings))
    return done.status


def cmd_migrate(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import migrate

    done = migrate.run(root, dry_run=args.dry_run)
    for line in done.notes:
        print(line)
    verb = "将写入" if args.dry_run else "写入"
    for path in done.written:
        print(f"{verb} {path}")
    print(
        f"{'（试运行，没有写入）' if args.dry_run else ''}{len(done.written) - done.people} 个考察、决定和关注文件，"
        f"{done.people} 个干部记录只留本人情况。"
        + ("" if args.dry_run else "请运行 cadres validate 和 cadres codeowners，核对后一并提交。")
    )
    return EXIT_OK


def cmd_keygen(args: argparse.Namespace, _root: Path) -> int:
    from generator.commands import keygen

    public = keygen.run(args.output)
    print(f"已生成密钥 {args.output}（只有本人可读）。")
    print(f"把下面这行公钥写进 registry/recipients.txt，再运行 cadres encrypt --rekey：\n{public}")
    return EXIT_OK


def cmd_serve_config(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import serve_config

    done = serve_config.run(
        root,
        sites=args.sites or root / "site",
        output=args.output,
        errors=args.errors,
        full=args.full,
        listen=args.listen,
        htpasswd_dir=args.htpasswd_dir,
        sso_url=args.sso_url,
        groups_header=args.groups_header,
        separator=args.groups_separator,
        user=args.user,
        cache_dir=_cache_dir(root),
    )
    if args.output:
        print(f"已写入 {args.output}；错误页在 {done.errors}", file=sys.stderr)
    else:
        print(done.text, end="")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import serve

    server = serve.server(args.sites or root / "site", args.audience, args.port)
    print(
        f"本机预览 {args.audience}：http://127.0.0.1:{args.port}/ —— 不设登录，只有本机能访问；按 Ctrl+C 停止。",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return EXIT_OK


def cmd_audit_site(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import audit_site

    done = audit_site.run(root, args.sites or root / "site")
    for finding in done.findings:
        print(finding.format())
    print(count_line(done.findings) if done.findings else "站点检查通过：没有发现问题。")
    return done.status


def cmd_export(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import export

    done = export.run(
        root,
        args.format,
        args.id,
        audience=args.audience,
        as_of=args.as_of,
        output=args.output,
        template=args.template,
        unit=args.unit,
        cache_dir=_cache_dir(root),
    )
    if done.kind == export.TEMPLATE:
        print(
            f"已写入 {done.output}：{done.people} 人；改动后用 cadres import xlsx {done.output} --unit {args.unit} 导入"
        )
    elif done.kind == export.ROSTER:
        sheets = "、".join(f"{k} {v} 人" for k, v in list(done.sheets.items())[:3])
        print(f"已写入 {done.output}：{len(done.sheets) + 1} 张表（{sheets}……）")
    elif done.kind == export.LRMX:
        print(f"已写入 {done.output}（年龄计算时间 {args.as_of:%Y%m%d}）")
    else:
        count = f"，{done.people} 人，每人两页" if done.kind == export.FORMS else ""
        print(f"已写入 {done.output}{count}（统计日期 {args.as_of}；读者 {done.audience}）：可用 Word 或 WPS 打开修改")
    return EXIT_OK


def cmd_import(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import importing

    done = importing.run(
        root,
        args.format,
        args.files,
        args.unit,
        cache_dir=_cache_dir(root),
        dry_run=args.dry_run,
        partial=args.partial,
        allow_removal=args.allow_removal,
        todo=args.todo,
    )
    if done.stopped == importing.UNREADABLE:
        print(f"{done.reason}；什么也没有写入。")
        return done.status
    for problem in done.reading.problems:
        print(problem)
    for note in done.reading.notes:
        print(f"注意：{note}")
    if done.stopped == importing.PROBLEMS:
        print(
            f"有 {len(done.reading.problems)} 处不能导入，什么也没有写入；"
            "改正后重新导入，或加 --partial 只导入没有问题的行（或文件）。"
        )
        return done.status
    _print_plan(done)
    if done.stopped == importing.DRY_RUN:
        print("试运行（--dry-run）：什么也没有写入。")
    elif done.stopped == importing.UNWRITABLE:
        print(done.reason)
    elif done.stopped == importing.REMOVAL:
        print(
            f"{len(done.removing)} 人的记录会删除或清空已有内容（上面标着【删除】），什么也没有写入；"
            "确实要删除的，加 --allow-removal 再导入；不想删除的，把表格或文件中的内容补上"
        )
    else:
        print(f"已写入 {len(done.written)} 个记录文件。")
        for finding in done.findings:
            print(finding.format())
        if done.todo is not None:
            print(
                f"{count_line(done.findings)}以上文件还不能通过校验：请按提示补全后再提交。"
                f"每人还缺什么，列在 {done.todo}。"
            )
        elif done.findings or done.written or any(c.kind == "不变" for c in done.changes):
            print("写入的文件都通过了校验。" if done.written else "导入的记录都通过了校验。")
    return done.status


def _print_plan(done: Any) -> None:
    """What an import will do, person by person and field by field, before anything is written."""
    for change in done.changes:
        print(change.heading)
        for text in change.texts:
            print(f"  {'【删除】' if text in change.removed else ''}{text}")
        for text in change.refused:
            print(f"  【不写入】导入后{text}")
        for text in change.notes:
            print(f"  注意：{text}")
    counts = {kind: sum(1 for c in done.changes if c.kind == kind) for kind in ("新建", "修改", "不变")}
    refused = f"；{done.refused} 人不写入" if done.refused else ""
    print("将" + "，".join(f"{kind} {n} 人" for kind, n in counts.items()) + refused + "。")


def _say(line: str) -> None:
    """A progress line on stderr in one write: lines of builds running side by side never run together."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def cmd_build(args: argparse.Namespace, root: Path) -> int:
    from generator.commands import build
    from generator.site.build import BuildError

    output = args.output or root / "site"
    try:
        done = build.run(
            root,
            output,
            as_of=args.as_of,
            only=args.audience,
            jobs=args.jobs,
            cache_dir=_cache_dir(root),
            progress=_say,
        )
    except BuildError as exc:
        print(f"cadres: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    if done.errors:
        for finding in done.errors:
            print(finding.format(), file=sys.stderr)
        print(f"{count_line(done.findings)}名册有错误，未生成网站；原有网站保持不变。", file=sys.stderr)
        return EXIT_FINDINGS
    for finding, brought in done.withheld:  # only the key could find these before the merge
        print(f"未发布 {finding.format()}（{brought}带来；改正后下次发布）", file=sys.stderr)
    print(f"网站已生成：{output}/（{'、'.join(done.sites)}）")
    return EXIT_OK


COMMANDS = {
    "init": cmd_init,
    "comment": cmd_comment,
    "validate": cmd_validate,
    "stats": cmd_stats,
    "diff": cmd_diff,
    "codeowners": cmd_codeowners,
    "schema": cmd_schema,
    "new": cmd_new,
    "round": cmd_round,
    "build": cmd_build,
    "serve-config": cmd_serve_config,
    "serve": cmd_serve,
    "audit-site": cmd_audit_site,
    "export": cmd_export,
    "import": cmd_import,
    "encrypt": cmd_encrypt,
    "unit-export": cmd_unit_export,
    "unit-pull": cmd_unit_pull,
    "migrate": cmd_migrate,
    "review": cmd_review,
    "keygen": cmd_keygen,
}
