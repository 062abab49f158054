"""Who approved, opened and merged each merge request, as GitLab itself records it.

A merge commit's text is written by GitLab, but a branch's commits, a title and a unit's merge messages are
anyone's text. Where the publishing job has a read-only token (`CADRES_API_TOKEN`, a project access token of
role Reporter and scope `read_api`, a masked and protected CI/CD variable) and `CI_API_V4_URL`, the change log
takes each merge request's approvers (`GET /projects/:id/merge_requests/:iid/approvals`), author and merger
(`GET /projects/:id/merge_requests/:iid`) from GitLab's API; a merged request does not change, so what was
read is kept in the history cache. Without the token the merge commit's trailer block is read
(`history.merge_trailers`), and the pages say which source they show.
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.core import cachefile

TOKEN = "CADRES_API_TOKEN"
TIMEOUT = 20


class ApprovalsError(Exception):
    """GitLab's API could not be read: said in Chinese, never with the token."""


@dataclass(frozen=True)
class Api:
    url: str  # …/api/v4
    token: str


def configured(env: Mapping[str, str] = os.environ) -> Api | None:
    """The API to ask, when the job has a token; None otherwise (the merge commits' trailers are read)."""
    token, url = env.get(TOKEN, ""), env.get("CI_API_V4_URL", "")
    return Api(url.rstrip("/"), token) if token and url else None


def facts(api: Api, references: Iterable[str], cache_dir: Path | None) -> dict[str, dict]:
    """{group/project!N: {"approvers": [names], "author": name, "merged_by": name}} for each merge request."""
    cache = Path(cache_dir) / "approvals.marshal" if cache_dir else None
    fingerprint = hashlib.sha256(f"{cachefile.program_fingerprint()}\0{api.url}".encode()).hexdigest()
    known = cachefile.read(cache, fingerprint)
    wanted = sorted(set(references))
    new = {}
    for reference in wanted:
        if reference not in known:
            new[reference] = _ask(api, reference)
    if new:
        cachefile.write(cache, fingerprint, {**known, **new})
    return {ref: {**known, **new}[ref] for ref in wanted}


def _ask(api: Api, reference: str) -> dict:
    project, _, iid = reference.rpartition("!")
    base = f"{api.url}/projects/{urllib.parse.quote(project, safe='')}/merge_requests/{urllib.parse.quote(iid)}"
    request = _get(api, base)
    approvals = _get(api, f"{base}/approvals")
    approvers = [
        str((item.get("user") or {}).get("name") or "")
        for item in approvals.get("approved_by") or []
        if isinstance(item, dict)
    ]
    merger = request.get("merged_by") or request.get("merge_user") or {}
    return {
        "approvers": [name for name in approvers if name],
        "author": str((request.get("author") or {}).get("name") or ""),
        "merged_by": str(merger.get("name") or "") if isinstance(merger, dict) else "",
    }


def _get(api: Api, url: str) -> dict:
    request = urllib.request.Request(url, headers={"PRIVATE-TOKEN": api.token})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            answer = json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        hint = {
            401: "令牌无效或已过期",
            403: "令牌权限不足（需要 read_api 范围、Reporter 及以上角色）",
            404: "找不到合并请求",
        }
        raise ApprovalsError(
            f"GitLab 拒绝了读取审批记录的请求（HTTP {exc.code}，{hint.get(exc.code, exc.reason)}）"
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ApprovalsError(f"连不上 GitLab（{getattr(exc, 'reason', exc)}）") from None
    except ValueError:
        raise ApprovalsError("GitLab 的回答不是 JSON：请检查 CI_API_V4_URL") from None
    if not isinstance(answer, dict):
        raise ApprovalsError("GitLab 的回答不是合并请求：请检查 CI_API_V4_URL")
    return answer
