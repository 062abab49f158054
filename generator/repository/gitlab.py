"""The pool summary as the merge request's comment, kept as one comment that each pipeline updates.

GitLab shows a job's artifact only as a link; a comment is what reviewers read.
CI calls `cadres comment pool-diff.md` with GitLab's predefined variables
(CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID) and a project access
token in CADRES_NOTE_TOKEN (role Reporter, scope api, a masked CI/CD
variable). The comment starts with a marker, so a later pipeline edits it
instead of adding another one: only a note written by the token's own user
(GET /user), never one a person wrote, marker or not.
"""

from __future__ import annotations

import os
import urllib.parse

from generator.core import gitlab_api
from generator.core.errors import CadresError

MARKER = "<!-- cadres: 名册变化摘要 -->"


class NoteError(CadresError):
    """The comment could not be written: said in Chinese (never with the token)."""


def post_summary(text: str, env: dict | os._Environ = os.environ) -> str:
    """Create or update the merge request's summary comment; returns what was done, in Chinese."""
    token = env.get("CADRES_NOTE_TOKEN", "")
    needed = ("CI_API_V4_URL", "CI_PROJECT_ID", "CI_MERGE_REQUEST_IID")
    if not env.get("CI_MERGE_REQUEST_IID"):
        return "不是合并请求流水线：不写评论。"
    if not token:
        return "未设置 CI/CD 变量 CADRES_NOTE_TOKEN：名册变化摘要只作为制品（合并请求页面上的 pool diff 链接）。"
    missing = [name for name in needed if not env.get(name)]
    if missing:
        raise NoteError(f"缺少 GitLab 预定义变量 {'、'.join(missing)}：请在 GitLab CI 中运行")
    base = f"{env['CI_API_V4_URL'].rstrip('/')}/projects/{urllib.parse.quote(str(env['CI_PROJECT_ID']), safe='')}"
    notes = f"{base}/merge_requests/{env['CI_MERGE_REQUEST_IID']}/notes"
    body = f"{MARKER}\n{text}"
    me = _call("GET", f"{env['CI_API_V4_URL'].rstrip('/')}/user", token)[0]
    existing = _find(notes, token, me.get("id") if isinstance(me, dict) else None)
    if existing is None:
        _call("POST", notes, token, {"body": body})
        return "已在合并请求中添加名册变化摘要评论。"
    _call("PUT", f"{notes}/{existing}", token, {"body": body})
    return "已更新合并请求中的名册变化摘要评论。"


def _find(notes: str, token: str, me: object) -> int | None:
    """The summary this token's user wrote before (a note by anyone else is never edited, whatever it says)."""
    page = 1
    while True:
        found = _call("GET", f"{notes}?per_page=100&sort=asc&page={page}", token)
        for note in found:
            author = note.get("author") if isinstance(note, dict) else None
            mine = me is not None and isinstance(author, dict) and author.get("id") == me
            if mine and str(note.get("body", "")).startswith(MARKER):
                return int(note["id"])
        if len(found) < 100:
            return None
        page += 1


def _call(method: str, url: str, token: str, payload: dict | None = None) -> list:
    try:
        answer = gitlab_api.call(method, url, token, "评论请求", "api", payload)
    except gitlab_api.GitLabError as exc:
        raise NoteError(str(exc)) from None
    return answer if isinstance(answer, list) else [answer]
