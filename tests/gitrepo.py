"""A real git repository of the demo registry for history tests: commits, moves, GitLab-style merges."""

import os
import shutil
import subprocess

from plainyaml import yaml_of

from generator.interchange.yamlout import dump

ENV = {"GIT_AUTHOR_DATE": "2026-01-05T10:00:00+08:00", "GIT_COMMITTER_DATE": "2026-01-05T10:00:00+08:00"}


class Repo:
    def __init__(self, root, *, init=True):
        self.root = root
        if not init:  # a copy of a repository made earlier
            return
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "组织部干部科")
        self.git("config", "user.email", "gbk@example.intranet")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "名册初始导入")

    def git(self, *args, date=None) -> str:
        env = {**os.environ, **ENV}
        if date:
            env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        result = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def path(self, cadre_id):
        return next((self.root / "registry/cadres").rglob(f"{cadre_id}.yaml"))

    def edit(self, cadre_id, mutate):
        """Edit one person through their whole values: own file and the act files (conftest.change)."""
        from conftest import change

        change(self.root, cadre_id, mutate)

    def forget(self, cadre_id):
        """Take a person out of every act file (a record made by mistake, deleted with its mentions)."""
        acts = [*self.root.glob("registry/inspections/*/*.yaml"), *self.root.glob("registry/decisions/*.yaml")]
        for path in sorted(acts):
            data = yaml_of(path.read_text(encoding="utf-8"))
            kept = {k: [i for i in v if i["cadre"] != cadre_id] if isinstance(v, list) else v for k, v in data.items()}
            if kept != data:
                path.write_text(dump({k: v for k, v in kept.items() if v != []}), encoding="utf-8")

    def merge_request(self, number, title, change, approvers=(), date="2026-02-01T09:00:00+08:00", author=None):
        """A branch with one commit, merged as GitLab merges: --no-ff, the MR reference and Approved-by trailers."""
        branch = f"mr-{number}"
        self.git("checkout", "-q", "-b", branch)
        change()
        self.git("add", "-A")
        self.git(
            "commit",
            "-q",
            "-m",
            title,
            *(["--author", f"{author} <clerk@example.intranet>"] if author else []),
            date=date,
        )
        self.git("checkout", "-q", "main")
        message = f"Merge branch '{branch}' into 'main'\n\n{title}\n\nSee merge request zuzhibu/cadres!{number}\n"
        if approvers:
            message += "\n" + "\n".join(f"Approved-by: {a}" for a in approvers) + "\n"
        self.git("merge", "-q", "--no-ff", branch, "-m", message, date=date)
        return self.git("rev-parse", "--short", "HEAD").strip()


def copy_repo(template: Repo, target) -> Repo:
    """A working copy of a repository made once per module: cheaper than committing the demo again."""
    shutil.copytree(template.root, target, symlinks=True)
    return Repo(target, init=False)


def plant(root, components, mode: bytes, data: bytes = b"", obj: str | None = None) -> str:
    """Commit on top of HEAD (moving its branch) a tree with one more entry, named exactly as given.

    Trees are written with git's plumbing (`hash-object --literally`), so names git's porcelain would never
    make (`..`, `.git`, a slash inside a name, control characters) and symlinks or submodules can be planted:
    what a hostile unit repository can push.
    """

    def run(*args, stdin=None):
        result = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def entries(tree):
        raw, out, at = run("cat-file", "tree", tree), [], 0
        while at < len(raw):
            space, nul = raw.index(b" ", at), raw.index(b"\0", raw.index(b" ", at))
            out.append((raw[at:space], raw[space + 1 : nul], raw[nul + 1 : nul + 21].hex()))
            at = nul + 21
        return out

    def build(tree, names):
        items = entries(tree) if tree else []
        if len(names) == 1:
            leaf = obj or run("hash-object", "-w", "--stdin", stdin=data).decode().strip()
            new = (mode, names[0], leaf)
        else:
            inner = next((sha for m, n, sha in items if n == names[0] and m == b"40000"), None)
            new = (b"40000", names[0], build(inner, names[1:]))
        items = [i for i in items if i[1] != names[0]] + [new]
        raw = b"".join(m + b" " + n + b"\0" + bytes.fromhex(sha) for m, n, sha in items)
        return run("hash-object", "-t", "tree", "-w", "--literally", "--stdin", stdin=raw).decode().strip()

    head = run("rev-parse", "HEAD").decode().strip()
    names = [c.encode() if isinstance(c, str) else c for c in components]
    tree = build(run("rev-parse", "HEAD^{tree}").decode().strip(), names)
    commit = run("commit-tree", tree, "-p", head, "-m", "单位提交").decode().strip()
    run("update-ref", "HEAD", commit)
    return commit
