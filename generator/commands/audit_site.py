"""`cadres audit-site`: the built sites read file by file for what an audience must not see (people, fields,
outside addresses, raw YAML), judged from every file of the registry, never a cache; a problem makes the exit
status 1."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from generator.commands import loading
from generator.core.errors import UsageError
from generator.core.findings import Finding
from generator.serving.audit import audit
from generator.site.build import settings


@dataclass
class Audited:
    findings: list[Finding]

    @property
    def status(self) -> int:
        """1 when anything was found, else 0."""
        return 1 if self.findings else 0


def run(root: Path, sites: Path) -> Audited:
    """Every problem in the sites under `sites`; UsageError when there are none built."""
    registry = loading.registry(root, None)  # the judge of a build reads every file itself, never a cache
    if not sites.is_dir():
        raise UsageError(f"{sites} 不存在；请先运行 cadres build")
    edit = urlparse(settings(root)["edit_base"]).netloc
    return Audited(audit(registry, sites, allowed_hosts={edit} if edit else set()))
