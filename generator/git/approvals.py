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
import os
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.core import cachefile, gitlab_api
from generator.core.errors import CadresError

TOKEN = "CADRES_API_TOKEN"


class ApprovalsError(CadresError):
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
    try:
        answer = gitlab_api.call("GET", url, api.token, "读取审批记录的请求", "read_api")
    except gitlab_api.GitLabError as exc:
        raise ApprovalsError(str(exc)) from None
    if not isinstance(answer, dict):
        raise ApprovalsError("GitLab 的回答不是合并请求：请检查 CI_API_V4_URL")
    return answer
