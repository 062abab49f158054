"""What the program ships and a registry repository may override.

A district's registry repository needs only `registry/`. The schemas and code
tables (`schemas/`), the page templates (`site_templates/`) and the site
configuration (`mkdocs.yml`) come with the installed program; a repository
that has its own copy of one of them uses that copy instead, whole. `cadres
init` starts a repository from the shipped `registry/policy.yaml` and
`registry/audiences.yaml` (合蜀发〔2012〕11号 and the usual three readers).

In an installed package these files are in `generator/defaults/` (copied there
by setup.py when the wheel is built); in this project's own checkout (an
editable install) they are the top-level folders beside `generator/`.
"""

from pathlib import Path

# name -> the file whose presence means the repository overrides that name (schemas/json/ alone is editor files)
OVERRIDABLE = {"schemas": "schemas/cadre.yaml", "site_templates": "site_templates", "mkdocs.yml": "mkdocs.yml"}
STARTERS = ("registry/policy.yaml", "registry/audiences.yaml", ".gitlab-ci.yml")
SHIPPED = (*OVERRIDABLE, *STARTERS)


def shipped() -> Path:
    """The folder holding the shipped copies."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "defaults"
    return packaged if packaged.is_dir() else package.parent


def path(root: Path, name: str) -> Path:
    """The repository's own `name` if it overrides it, else the shipped one."""
    return root / name if (root / OVERRIDABLE[name]).exists() else shipped() / name


def is_checkout(root: Path) -> bool:
    """`root` is this project's own checkout (the program beside its demo registry), not a district's repository."""
    return (Path(root).resolve() / "generator" / "core" / "defaults.py").resolve() == Path(__file__).resolve()
