"""`cadres serve-config`: the nginx configuration of the built sites, each audience's behind its own login (basic
authentication or single sign-on, one of the two), with its error pages written beside it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.analysis.audiences import expand
from generator.commands import loading
from generator.core.errors import UsageError
from generator.serving import serve


@dataclass
class Configured:
    text: str  # the configuration
    errors: Path  # the folder its error pages were written to


def run(
    root: Path,
    *,
    sites: Path,
    output: Path | None,
    errors: Path | None,
    full: Path | None,
    listen: str,
    htpasswd_dir: Path | None,
    sso_url: str | None,
    groups_header: str,
    separator: str,
    user: str | None,
    cache_dir: Path | None,
) -> Configured:
    """The configuration, written to `output` when given; the error pages go to `errors`, else beside `output`
    (or into `full`'s prefix). UsageError for a choice of login not made, or options nginx would refuse."""
    if bool(htpasswd_dir) == bool(sso_url):
        raise UsageError("请二选一：--htpasswd-dir（基本认证）或 --sso-url（单点登录）")
    errors = errors or (full / "errors" if full else output.parent / "cadres-errors" if output else None)
    if errors is None:
        raise UsageError(
            "请用 --output 指定配置文件（错误页写在它旁边的 cadres-errors/），或用 --errors 指定错误页的目录"
        )
    try:
        text = serve.nginx_config(
            expand(loading.registry(root, cache_dir)),
            sites,
            errors,
            listen=listen,
            htpasswd_dir=htpasswd_dir,
            sso_url=sso_url,
            groups_header=groups_header,
            separator=separator,
            full=full,
            user=user,
        )
    except serve.ConfigError as exc:
        raise UsageError(str(exc)) from None
    if output:
        output.write_text(text, encoding="utf-8")
    return Configured(text, errors)
