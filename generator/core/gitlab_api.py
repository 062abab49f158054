"""One request to GitLab's REST API with a token, its refusals said in Chinese and never with the token."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from generator.core.errors import CadresError

TIMEOUT = 20
REFUSED = {401: "令牌无效或已过期", 404: "找不到项目或合并请求"}


class GitLabError(CadresError):
    """GitLab refused, could not be reached, or did not answer JSON: one Chinese line."""


def call(method: str, url: str, token: str, what: str, scope: str, payload: dict | None = None) -> Any:
    """GitLab's answer (JSON) to one request; `what` names the request and `scope` the token's needed scope in
    a refusal (「GitLab 拒绝了评论请求（HTTP 403，令牌权限不足（需要 api 范围…）」)."""
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"PRIVATE-TOKEN": token})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        hint = {**REFUSED, 403: f"令牌权限不足（需要 {scope} 范围、Reporter 及以上角色）"}
        raise GitLabError(f"GitLab 拒绝了{what}（HTTP {exc.code}，{hint.get(exc.code, exc.reason)}）") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise GitLabError(f"连不上 GitLab（{getattr(exc, 'reason', exc)}）") from None
    except ValueError:
        raise GitLabError("GitLab 的回答不是 JSON：请检查 CI_API_V4_URL") from None
