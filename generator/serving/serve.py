"""Serving the sites: the nginx configuration for the intranet, and a loopback preview for one person.

`nginx_config` writes a `server {}` block (or, with `full`, a whole
nginx.conf for a prefix folder) that serves each audience's site/<id>/ under
/<id>/, each behind its own authentication: HTTP basic auth against
<htpasswd dir>/<id>.htpasswd by default, or `auth_request` to the intranet's
single sign-on, which answers 2xx for a signed-in user and names the user's
groups in a header; a group equal to the audience id, or to an audience that
sees the whole pool (the org department), opens the site. Nothing else is
served: no listing, no file outside the sites, no dot files; security
headers on every answer; error pages that say nothing about the server.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
from typing import TYPE_CHECKING

import jinja2

from generator.core.errors import CadresError

if TYPE_CHECKING:
    from generator.analysis.audiences import Audience
from pathlib import Path

_TEMPLATE = jinja2.Environment(
    loader=jinja2.PackageLoader("generator.serving", "."), keep_trailing_newline=True, autoescape=False
).get_template("server.conf.j2")
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)
REALM = "cadres"  # one realm for every site: a realm named after the site would name it to anyone who asks
NOWHERE = "/.cadres-nowhere"  # a path no site holds (dot files are never built or served)
ERRORS = {
    400: "请求有误。",
    401: "需要登录。",
    403: "没有访问这个站点的权限。",
    404: "没有这个页面。",
    405: "不支持这种请求方式。",
    414: "地址太长。",
    416: "请求的范围无效。",
    500: "服务器出错，请稍后再试。",
    502: "服务器出错，请稍后再试。",
    503: "服务器忙，请稍后再试。",
}


class ConfigError(CadresError, ValueError):
    """An option that would make a broken or injectable nginx configuration: said in Chinese."""


_UNSAFE_IN_PATH = re.compile(r'["\\$;{}\x00-\x1f\x7f]')
_SSO_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/%+-]*)?")
_HEADER = re.compile(r"[A-Za-z0-9-]{1,64}")
_LISTEN = re.compile(r"[A-Za-z0-9.:\[\] ]{1,80}")
SEPARATORS = {",": "逗号", ";": "分号", "|": "竖线", " ": "空格"}


def quoted(path: Path) -> str:
    """A path as an nginx string: in double quotes (spaces are fine), never with a character nginx would read
    as the end of a directive or a variable (`"` `\\` `$` `;` `{` `}` or a control character)."""
    text = str(path)
    if _UNSAFE_IN_PATH.search(text):
        raise ConfigError(
            f"路径「{text!r}」含有 nginx 配置中不能出现的字符（引号、反斜杠、$、分号、花括号或控制字符）：请换一个目录"
        )
    return f'"{text}"'


def checked_options(listen: str, sso_url: str | None, groups_header: str, separator: str) -> None:
    """ConfigError for an option that is not what it claims to be (each becomes part of the configuration)."""
    if not _LISTEN.fullmatch(listen):
        raise ConfigError(f"--listen「{listen}」不是 nginx 的 listen 参数（如 443 ssl 或 127.0.0.1:8080）")
    if sso_url is not None and not _SSO_URL.fullmatch(sso_url):
        raise ConfigError(
            f"--sso-url「{sso_url}」不是单点登录校验地址：只能是 http(s)://主机[:端口]/路径，不含空格、引号、分号或 $"
        )
    if not _HEADER.fullmatch(groups_header):
        raise ConfigError(f"--groups-header「{groups_header}」不是响应头名称：只能用字母、数字和连字符")
    if separator not in SEPARATORS:
        raise ConfigError(f"--groups-separator 只能是 {'、'.join(repr(k) for k in SEPARATORS)}")


def server_block(
    audiences: list[Audience],
    sites_folder: Path,
    errors: Path,
    listen: str,
    *,
    htpasswd_dir: Path | None = None,
    sso_url: str | None = None,
    groups_header: str = "X-Groups",
    separator: str = ",",
) -> str:
    """The `server {}` block: one location per audience, each behind basic auth or single sign-on.

    The sign-on's groups are a list of exact names, `separator` between them (spaces around a name are
    ignored): a group whose own name holds a space, or merely contains an audience id, opens nothing.

    With single sign-on the group check cannot be an `if` (that runs before
    the access phase, so before the groups are known): a `map` per audience
    turns the groups into a path prefix that `try_files` reads after the
    sign-on answered, "" when the groups open the site and a path that does
    not exist (so 403) when they do not. The maps belong in the http context,
    where a file in conf.d/ is included.
    """
    if sso_url is None and htpasswd_dir is None:
        raise ValueError("need htpasswd_dir (basic auth) or sso_url (single sign-on)")
    org = [a.id for a in audiences if a.whole_pool and a.sensitive]
    sites = [
        {
            "id": audience.id,
            "gate": _gate(audience.id),
            "groups": "|".join(re.escape(a) for a in dict.fromkeys([audience.id, *org])),
            "passwords": quoted((Path(htpasswd_dir or ".") / f"{audience.id}.htpasswd").resolve()),
        }
        for audience in audiences
    ]
    sso = sso_url and {
        "url": sso_url,
        "header": groups_header,
        "separator": re.escape(separator) if separator != " " else "[ ]",
        "upstream": "$upstream_http_" + re.sub(r"[^a-z0-9]", "_", groups_header.lower()),
    }
    return _TEMPLATE.render(
        sites=sites,
        sso=sso,
        listen=listen,
        root=quoted(sites_folder.resolve()),
        headers=HEADERS,
        errors=list(ERRORS),
        errors_folder=quoted(errors.resolve())[:-1] + '/"',  # a folder: alias keeps the URI's rest after it
        realm=REALM,
        nowhere=NOWHERE,
    )


def _gate(audience_id: str) -> str:
    return "$cadres_gate_" + re.sub(r"[^a-z0-9]", "_", audience_id)


def full_config(server: str, prefix: Path, user: str | None = None) -> str:
    """A whole nginx.conf that runs from `prefix`: for a test, a benchmark or a small host.

    Started by root, nginx runs its workers as `user`, which may not be root: a worker serves requests,
    and one running as root would turn any flaw in it into the whole machine. Started by anyone else,
    the workers run as that user and `user` is not written.
    """
    prefix = prefix.resolve()
    line = ""
    if os.geteuid() == 0:
        if not user or user == "root" or _uid(user) == 0:
            raise ConfigError(
                "以 root 身份生成完整配置时，请用 --user 指定运行 nginx 工作进程的普通用户（如 www-data）："
                "工作进程不能以 root 运行；该用户要能读取站点和密码文件"
            )
        line = f"user {user} {grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name};\n"  # its own group (nobody: nogroup)
    temp = "\n".join(
        f"    {name}_temp_path {quoted(prefix / 'tmp' / name)};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{line}worker_processes auto;\npid {quoted(prefix / 'nginx.pid')};\n"
        f"error_log {quoted(prefix / 'error.log')} warn;\n"
        "events { worker_connections 1024; }\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    access_log off;\n    sendfile on;\n    keepalive_requests 10000;\n{temp}\n"
        + "\n".join("    " + line if line else "" for line in server.splitlines())
        + "\n}\n"
    )


def nginx_config(
    audiences: list,
    sites: Path,
    errors: Path,
    *,
    listen: str,
    htpasswd_dir: Path | None = None,
    sso_url: str | None = None,
    groups_header: str = "X-Groups",
    separator: str = ",",
    full: Path | None = None,
    user: str | None = None,
) -> str:
    """The nginx configuration for the built sites; its error pages are written into `errors`.

    With `full`, a whole nginx.conf that runs from that prefix folder (its temp folders are made there).
    Every option is checked first (ConfigError), so nothing is written for a configuration nginx would refuse.
    """
    checked_options(listen, sso_url, groups_header, separator)
    ids = [a.id for a in audiences]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:  # X16 reports it; two locations for one site would be a configuration nginx refuses
        raise ConfigError(
            f"读者站点目录重名：{'、'.join(twice)}；请运行 cadres validate 查看 X16 并改正 audiences.yaml"
        )
    sites = sites.resolve()
    if full is not None:
        listen = listen.replace(" ssl", "")
    text = server_block(
        audiences,
        sites,
        errors,
        listen,
        htpasswd_dir=htpasswd_dir,
        sso_url=sso_url,
        groups_header=groups_header,
        separator=separator,
    )
    if full is not None:
        text = full_config(text, full, user)
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (full / "tmp" / name).mkdir(parents=True, exist_ok=True)
    error_pages(errors)
    return text


def _uid(user: str) -> int | None:
    try:
        return pwd.getpwnam(user).pw_uid
    except KeyError:
        raise ConfigError(f"--user「{user}」不是这台机器上的用户") from None


def error_pages(folder: Path) -> None:
    """Minimal error pages: a status and one sentence, nothing about the server."""
    folder.mkdir(parents=True, exist_ok=True)
    for code, text in ERRORS.items():
        (folder / f"{code}.html").write_text(
            f'<!doctype html><html lang="zh"><meta charset="utf-8"><title>{code}</title><p>{text}</p></html>\n',
            encoding="utf-8",
        )
