"""`cadres serve`: one built site previewed on this computer only (127.0.0.1, no login), for one person; the
intranet's server is the nginx configuration of `cadres serve-config`."""

from __future__ import annotations

import http.server
from pathlib import Path

from generator.core.errors import UsageError
from generator.serving.preview import preview_server


def server(sites: Path, audience: str, port: int) -> http.server.ThreadingHTTPServer:
    """The preview server of `audience`'s site under `sites`, bound but not yet serving; UsageError when that
    site is not built or the port is taken."""
    folder = sites / audience
    if not (folder / "index.html").is_file():
        raise UsageError(f"{folder} 下没有已生成的站点；请先运行 cadres build --audience {audience}")
    try:
        return preview_server(folder, port)
    except OSError as exc:
        raise UsageError(
            f"端口 {port} 用不了（{exc.strerror}）：多半已有一个预览在用它。请换一个端口："
            f"cadres serve --port {port + 1}（或 make serve PORT={port + 1}）"
        ) from None
