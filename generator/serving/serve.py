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

import functools
import http.server
import os
import pwd
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.analysis.audiences import Audience
from pathlib import Path

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)
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


def _headers(indent: str) -> list[str]:
    return [f'{indent}add_header {name} "{value}" always;' for name, value in HEADERS]


def server_block(
    audiences: list[Audience],
    sites: Path,
    errors: Path,
    listen: str,
    *,
    htpasswd_dir: Path | None = None,
    sso_url: str | None = None,
    groups_header: str = "X-Groups",
) -> str:
    """The `server {}` block: one location per audience, each behind basic auth or single sign-on.

    With single sign-on the group check cannot be an `if` (that runs before
    the access phase, so before the groups are known): a `map` per audience
    turns the groups into a path prefix that `try_files` reads after the
    sign-on answered, "" when the groups open the site and a path that does
    not exist (so 403) when they do not. The maps belong in the http context,
    where a file in conf.d/ is included.
    """
    org = [a.id for a in audiences if a.whole_pool and a.sensitive]
    maps = []
    if sso_url:
        for audience in audiences:
            allowed = "|".join(re.escape(a) for a in dict.fromkeys([audience.id, *org]))
            maps += [
                f"map $cadres_groups {_gate(audience.id)} {{",
                f'    "~(^|[ ,;])({allowed})($|[ ,;])" "";',
                '    default "/.denied";',
                "}",
            ]
    out = [
        *maps,
        "server {",
        f"    listen {listen};",
        "    server_name _;",
        "    server_tokens off;",
        "    autoindex off;",
        "    disable_symlinks on;  # a symlink in a site is never followed out of it",
        "    charset utf-8;",
        f"    root {sites.resolve()};",
        *_headers("    "),
        *(f"    error_page {code} /_errors/{code}.html;" for code in ERRORS),
        "    location ^~ /_errors/ {",
        "        internal;",
        f"        alias {errors.resolve()}/;",
        *_headers("        "),
        "    }",
        "    location ~ /\\. { return 404; }  # staging folders of builds, and any other dot file",
        "    location / { return 404; }       # nothing outside the sites",
    ]
    if sso_url:
        out += [
            "    location = /_sso {",
            "        internal;",
            f"        proxy_pass {sso_url};",
            "        proxy_pass_request_body off;",
            '        proxy_set_header Content-Length "";',
            "        proxy_set_header X-Original-URI $request_uri;",
            f'        proxy_set_header {groups_header} "";  # the groups come from the sign-on, never from the client',
            "    }",
        ]
    if sso_url is None and htpasswd_dir is None:
        raise ValueError("need htpasswd_dir (basic auth) or sso_url (single sign-on)")
    variable = "$cadres_groups"
    upstream = "$upstream_http_" + re.sub(r"[^a-z0-9]", "_", groups_header.lower())
    for audience in audiences:
        out += [
            f"    location = /{audience.id} {{ return 301 /{audience.id}/; }}",
            f"    location ^~ /{audience.id}/ {{",
            "        index index.html;",
            "        location ~ /\\. { return 404; }  # dot files inside a site (^~ skips the server-level rule)",
        ]
        if sso_url:
            gate = _gate(audience.id)
            out += [
                "        auth_request /_sso;",
                f"        auth_request_set {variable} {upstream};",
                f"        try_files {gate}$uri {gate}$uri/index.html =403;",
                "    }",
            ]
        else:
            out += [
                f'        auth_basic "{audience.id}";',
                f"        auth_basic_user_file {(Path(htpasswd_dir or '.') / f'{audience.id}.htpasswd').resolve()};",
                "        try_files $uri $uri/index.html =404;",
                "    }",
            ]
    out.append("}")
    return "\n".join(out) + "\n"


def _gate(audience_id: str) -> str:
    return "$cadres_gate_" + re.sub(r"[^a-z0-9]", "_", audience_id)


def full_config(server: str, prefix: Path) -> str:
    """A whole nginx.conf that runs from `prefix` without root: for a test, a benchmark or a small host."""
    prefix = prefix.resolve()
    # started as root (a container, CI), the workers would run as nobody and could not read a private folder
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {name}_temp_path {prefix}/tmp/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes auto;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\n"
        "events { worker_connections 1024; }\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    access_log off;\n    sendfile on;\n    keepalive_requests 10000;\n{temp}\n"
        + "\n".join("    " + line if line else "" for line in server.splitlines())
        + "\n}\n"
    )


def nginx_config(
    audiences: list,
    sites: Path,
    *,
    listen: str,
    htpasswd_dir: Path | None = None,
    sso_url: str | None = None,
    groups_header: str = "X-Groups",
    full: Path | None = None,
) -> tuple[str, Path]:
    """The nginx configuration for the built sites, and the folder of its error pages (written beside the sites).

    With `full`, a whole nginx.conf that runs from that prefix folder (its temp folders are made there).
    """
    sites = sites.resolve()
    errors = sites.parent / (sites.name + "-errors")
    error_pages(errors)
    if full is not None:
        listen = listen.replace(" ssl", "")
    text = server_block(
        audiences, sites, errors, listen, htpasswd_dir=htpasswd_dir, sso_url=sso_url, groups_header=groups_header
    )
    if full is not None:
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (full / "tmp" / name).mkdir(parents=True, exist_ok=True)
        text = full_config(text, full)
    return text, errors


def error_pages(folder: Path) -> None:
    """Minimal error pages: a status and one sentence, nothing about the server."""
    folder.mkdir(parents=True, exist_ok=True)
    for code, text in ERRORS.items():
        (folder / f"{code}.html").write_text(
            f'<!doctype html><html lang="zh"><meta charset="utf-8"><title>{code}</title><p>{text}</p></html>\n',
            encoding="utf-8",
        )


# -- local preview ---------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    error_message_format = (
        '<!doctype html><html lang="zh"><meta charset="utf-8"><title>%(code)d</title><p>%(explain)s</p></html>\n'
    )
    error_content_type = "text/html; charset=utf-8"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The preview's error pages say in Chinese what nginx's say (ERRORS), nothing about the server."""
        super().send_error(code, None, ERRORS.get(code, "请求没有完成。"))  # the status line keeps HTTP's words

    def end_headers(self) -> None:
        for name, value in HEADERS:
            self.send_header(name, value)
        super().end_headers()


def preview_server(folder: Path, port: int) -> http.server.ThreadingHTTPServer:
    """A server for one built site on 127.0.0.1 only, without authentication: one person's preview."""
    handler = functools.partial(_Quiet, directory=str(folder))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
