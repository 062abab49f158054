"""`cadres serve` without nginx: one built site on 127.0.0.1, for one person's preview.

Its error pages and security headers are nginx's (serve.ERRORS, serve.HEADERS), so what a preview shows is what the
intranet site will show; it authenticates no one and listens on the loopback interface only.
"""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

from generator.serving.serve import ERRORS, HEADERS


class _Quiet(http.server.SimpleHTTPRequestHandler):
    error_message_format = (
        '<!doctype html><html lang="zh"><meta charset="utf-8"><title>%(code)d</title><p>%(explain)s</p></html>\n'
    )
    error_content_type = "text/html; charset=utf-8"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:  # noqa: ARG002 (http.server's signature)
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
