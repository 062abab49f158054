"""Serving, proven for real: nginx with basic auth and with single sign-on, and headless Chromium through it.

CI installs nginx, chromium and fonts-noto-cjk (.ci/run); a missing one is a failure here, not a skip.
"""

import base64
import gzip
import http.server
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from plainyaml import yaml_of

from conftest import (
    ARTIFACTS,
    AS_OF,
    AS_OF_DATE,
    DISTRICT,
    change,
    copy_project,
    district_registry,
    raw_records,
)

RECORD_NAMES = {
    p.stem: p.read_text(encoding="utf-8").split("name: ")[1].split("\n")[0]
    for p in (DISTRICT / "registry/cadres/caizheng").glob("*.yaml")
}
UNITS = yaml_of((DISTRICT / "registry/units.yaml").read_text(encoding="utf-8"))["units"]
USERS = {"org": "org-secret", "cz": "cz-secret"}  # org: the org department; cz: 区财政局's office


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, user=None, headers=None, method="GET"):
    request = urllib.request.Request(url, headers=dict(headers or {}), method=method)
    if user:
        token = base64.b64encode(f"{user}:{USERS[user]}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode("utf-8", "replace")


def workers_may_read(*paths):
    """As root (CI), nginx's workers run as nobody: let them reach the test's folders (pytest makes them 0700)."""
    for path in paths:
        for folder in [path, *path.parents]:
            if folder.is_dir():
                folder.chmod(folder.stat().st_mode | 0o005)


def run_nginx(root, prefix, *options):
    if os.geteuid() == 0:
        sites = next(
            (Path(o) for o, flag in zip(options[1:], options, strict=False) if flag == "--sites"), root / "site"
        )
        workers_may_read(prefix, sites, *(Path(o) for o in options if o.startswith("/")))
        options = (*options, "--user", "nobody")
    port = free_port()
    subprocess.run(
        [
            os.sys.executable,
            "-m",
            "generator",
            "--root",
            str(root),
            "serve-config",
            "--listen",
            f"127.0.0.1:{port}",
            "--full",
            str(prefix),
            "--output",
            str(prefix / "nginx.conf"),
            *options,
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(["nginx", "-t", "-q", "-c", str(prefix / "nginx.conf"), "-p", str(prefix)], check=True)
    subprocess.run(["nginx", "-c", str(prefix / "nginx.conf"), "-p", str(prefix)], check=True)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    return f"http://127.0.0.1:{port}"


def stop_nginx(prefix):
    subprocess.run(["nginx", "-c", str(prefix / "nginx.conf"), "-p", str(prefix), "-s", "stop"], capture_output=True)


@pytest.fixture(scope="session")
def served(district_site, tmp_path_factory):
    """The demo's sites behind nginx with basic auth: org in every audience's file, cz in 区财政局's."""
    root, site = district_site
    prefix = tmp_path_factory.mktemp("nginx")
    auth = prefix / "auth"
    auth.mkdir()
    hashes = {
        user: subprocess.run(
            ["openssl", "passwd", "-apr1", pw], capture_output=True, text=True, check=True
        ).stdout.strip()
        for user, pw in USERS.items()
    }
    for folder in site.iterdir():
        lines = [f"org:{hashes['org']}"] + ([f"cz:{hashes['cz']}"] if folder.name == "unit-caizheng" else [])
        (auth / f"{folder.name}.htpasswd").write_text("\n".join(lines) + "\n")
    url = run_nginx(root, prefix, "--htpasswd-dir", str(auth))
    yield url, site
    stop_nginx(prefix)


AUDIENCES = ["zuzhibu", "changwei", "unit-caizheng", "unit-fagai"]


def test_without_credentials_every_site_asks_for_a_login(served):
    url, site = served
    for audience in sorted(p.name for p in site.iterdir()):
        status, headers, body = get(f"{url}/{audience}/")
        assert status == 401 and headers["WWW-Authenticate"].startswith("Basic"), audience
        assert "nginx" not in body.lower() and "需要登录" in body


def test_a_unit_sees_its_own_site_only_and_the_org_department_sees_all(served):
    url, site = served
    assert get(f"{url}/unit-caizheng/", "cz")[0] == 200
    for audience in ("unit-fagai", "zuzhibu", "changwei"):
        assert get(f"{url}/{audience}/", "cz")[0] in (401, 403), audience
    for audience in sorted(p.name for p in site.iterdir()):
        assert get(f"{url}/{audience}/index.html", "org")[0] == 200, audience


def test_nothing_else_is_served_and_every_answer_carries_the_security_headers(served):
    url, _ = served
    for path in ("/", "/zuzhibu/assets/", "/../etc/passwd", "/zuzhibu/.build-1/x", "/nginx.conf", "/auth/"):
        status, headers, body = get(f"{url}{path}", "org")
        assert status in (400, 401, 404), path  # outside the sites no login opens anything
        assert "nginx" not in body.lower()
    status, headers, _ = get(f"{url}/zuzhibu/stats.html", "org")
    assert status == 200
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Server"] == "nginx"


def test_without_a_login_a_site_and_a_path_that_is_none_answer_alike(served):
    """Issue 26: `/<audience>` redirected before the login, so anyone could list the sites that exist."""
    url, _ = served
    asked = ["/zuzhibu", "/zuzhibu/", "/unit-caizheng", "/unit-caizheng/roster.html", "/unit-nosuch", "/nosuch/", "/x"]
    answers = {path: redirected(f"{url}{path}") for path in asked}
    assert set(answers.values()) == {(401, None)}, answers
    bodies = {get(f"{url}{path}")[2] for path in asked}
    realms = {get(f"{url}{path}")[1]["WWW-Authenticate"] for path in asked}
    assert len(bodies) == 1 and realms == {'Basic realm="cadres"'}
    assert redirected(f"{url}/zuzhibu", "org", {"Host": "evil.example"}) == (301, "/zuzhibu/")
    assert redirected(f"{url}/zuzhibu/", "org")[0] == 200


class _SSO(http.server.BaseHTTPRequestHandler):
    """A stand-in single sign-on: the user's groups come from a header the test sets."""

    def do_GET(self):
        groups = self.headers.get("X-Test-Groups")
        self.send_response(200 if groups is not None else 401)
        if groups is not None:
            self.send_header("X-Cadres-Groups", groups)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.server  # starts its own nginx
def test_single_sign_on_opens_a_site_by_group(district_site, tmp_path):
    root, _ = district_site
    sso = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SSO)
    threading.Thread(target=sso.serve_forever, args=(0.05,), daemon=True).start()  # shutdown() waits a poll
    try:
        url = run_nginx(
            root,
            tmp_path,
            "--sso-url",
            f"http://127.0.0.1:{sso.server_port}/check",
            "--groups-header",
            "X-Cadres-Groups",
        )
        try:
            assert get(f"{url}/unit-caizheng/")[0] == 401  # not signed in
            assert redirected(f"{url}/unit-caizheng") == redirected(f"{url}/unit-nosuch") == (401, None)
            assert redirected(f"{url}/unit-caizheng", headers={"X-Test-Groups": "unit-caizheng"}) == (
                301,
                "/unit-caizheng/",
            )
            assert get(f"{url}/unit-nosuch/x.html", headers={"X-Test-Groups": "zuzhibu"})[0] == 404
            unit = {"X-Test-Groups": "staff,unit-caizheng"}
            assert get(f"{url}/unit-caizheng/", headers=unit)[0] == 200
            assert get(f"{url}/unit-fagai/", headers=unit)[0] == 403
            assert get(f"{url}/zuzhibu/", headers=unit)[0] == 403
            org = {"X-Test-Groups": "zuzhibu"}
            assert all(get(f"{url}/{a}/", headers=org)[0] == 200 for a in AUDIENCES)
            assert get(f"{url}/unit-caizheng/", headers={"X-Test-Groups": "unit-caizheng-old"})[0] == 403
            # a group whose own name holds a space (or another separator than the one set) is one name
            for groups in ("staff zuzhibu", "staff;zuzhibu", "xzuzhibu", "zuzhibu readers,staff"):
                assert get(f"{url}/zuzhibu/", headers={"X-Test-Groups": groups})[0] == 403, groups
            assert get(f"{url}/zuzhibu/", headers={"X-Test-Groups": "staff , zuzhibu "})[0] == 200
            # the client's own groups header never reaches the sign-on or opens anything
            forged = {"X-Cadres-Groups": "zuzhibu"}
            assert get(f"{url}/zuzhibu/", headers={**forged, "X-Test-Groups": "staff"})[0] == 403
        finally:
            stop_nginx(tmp_path)
    finally:
        sso.shutdown()


def test_audit_site_without_a_key_passes_on_the_demo_and_finds_an_id_number_by_its_form(
    district_site, tmp_path, cadres, monkeypatch
):

    root, site = district_site
    copy = tmp_path / "site"
    shutil.copytree(site / "unit-caizheng", copy / "unit-caizheng")
    monkeypatch.delenv("CADRES_AGE_IDENTITY_FILE")
    status, lines, err = cadres(root, "audit-site", "--sites", str(copy))
    assert status == 0, (lines, err)
    number = next(d["id_number"] for d in raw_records() if d["employment"]["unit"] == "fagai")
    page = copy / "unit-caizheng/index.html"
    page.write_text(page.read_text(encoding="utf-8") + f"<p>{number}</p>", encoding="utf-8")
    status, lines, _ = cadres(root, "audit-site", "--sites", str(copy))
    assert status == 1 and any("[A02]" in ln and "unit-caizheng/index.html" in ln for ln in lines), lines
    assert number not in "\n".join(lines)  # named by its place, never repeated


def test_audit_site_is_clean_on_every_site(district_site, cadres):
    """Issue 26: every site of a build passes the audit, as the publishing job runs it (the demo's own build:
    test_demo_history.py)."""
    root, site = district_site
    assert len(list(site.iterdir())) == 18
    status, lines, _ = cadres(root, "audit-site", "--sites", str(site))
    assert status == 0 and lines == ["站点检查通过：没有发现问题。"], lines


def test_audit_site_passes_on_the_demo_and_catches_a_leak(district_site, tmp_path, cadres):
    root, site = district_site
    copy = tmp_path / "site"
    for audience in ("zuzhibu", "unit-caizheng"):  # the org department's and a unit's (test_site scans all)
        shutil.copytree(site / audience, copy / audience)
    status, lines, _ = cadres(root, "audit-site", "--sites", str(copy))
    assert status == 0, lines
    stranger = next(p for p in (root / "registry/cadres/fagai").glob("*.yaml"))
    name = stranger.read_text(encoding="utf-8").split("name: ")[1].splitlines()[0]
    page = copy / "unit-caizheng/index.html"
    page.write_text(
        page.read_text(encoding="utf-8") + f'<p>{name}</p><script src="https://cdn.example.com/x.js"></script>',
        encoding="utf-8",
    )
    (copy / "unit-caizheng/raw.yaml").write_text("name: x\n", encoding="utf-8")
    status, lines, _ = cadres(root, "audit-site", "--sites", str(copy))
    assert status == 1
    text = "\n".join(lines)
    assert "unit-caizheng/index.html:" in text and "[A01]" in text and name in text
    assert "[A03] 引用了外部地址 https://cdn.example.com/x.js" in text and "[A05]" in text


def test_audit_site_reads_every_file_a_site_serves_and_knows_deleted_people(
    district_site, tmp_path, cadres, monkeypatch
):
    """Issue 26: the org workbook dropped into a unit site, sitemap.xml.gz, a `.htm` copy of an org profile, a
    mobile number without the key and a deleted person's name all passed."""
    from gitrepo import Repo

    _, site = district_site
    project = copy_project(tmp_path / "project")
    gone = project / "registry/cadres/caizheng/cai-0999.yaml"
    repo = Repo(project)
    gone.write_text("id: cai-0999\nname: 钱旧人\n", encoding="utf-8")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "误建")
    repo.git("rm", "-q", str(gone))
    repo.git("commit", "-q", "-m", "删除误建的记录")
    copy = tmp_path / "site"
    for audience in ("zuzhibu", "unit-caizheng"):
        shutil.copytree(site / audience, copy / audience)
    monkeypatch.delenv("CADRES_AGE_IDENTITY_FILE")
    status, lines, _ = cadres(project, "audit-site", "--sites", str(copy))
    assert status == 0, lines

    unit = copy / "unit-caizheng"
    stranger = next(d for d in raw_records() if d["employment"]["unit"] == "fagai")
    shutil.copy(copy / "zuzhibu/downloads/roster-zuzhibu.xlsx", unit / "downloads/全区名册.xlsx")
    (unit / "sitemap.xml.gz").write_bytes(gzip.compress(f"<url>{stranger['name']}</url>".encode()))
    shutil.copy(copy / "zuzhibu/profiles" / f"{stranger['id']}.html", unit / "copy.htm")
    (unit / "logo.png").write_bytes(b"\x89PNG\r\n" + stranger["id"].encode())
    (unit / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    page = unit / "help.html"
    page.write_text(page.read_text(encoding="utf-8") + "<p>联系：13912345678</p><p>钱旧人</p>", encoding="utf-8")
    org_page = copy / "zuzhibu/help.html"  # the org department's change log keeps a deleted record
    org_page.write_text(org_page.read_text(encoding="utf-8") + "<p>钱旧人</p>", encoding="utf-8")
    status, lines, _ = cadres(project, "audit-site", "--sites", str(copy))
    assert status == 1
    found = {(ln.split(":")[0], ln.split("[")[1].split("]")[0]) for ln in lines if "[A0" in ln}
    workbook = {(where, code) for where, code in found if where.startswith("unit-caizheng/downloads/全区名册.xlsx!")}
    assert workbook and {code for _, code in workbook} == {"A01"}  # named with the sheet it is on
    assert found - workbook == {
        ("unit-caizheng/sitemap.xml.gz!", "A01"),
        ("unit-caizheng/copy.htm", "A01"),
        ("unit-caizheng/copy.htm", "A02"),  # the org profile shows 身份证号 (masked by its form without the key)
        ("unit-caizheng/logo.png", "A01"),
        ("unit-caizheng/broken.xlsx", "A06"),
        ("unit-caizheng/help.html", "A01"),
        ("unit-caizheng/help.html", "A02"),
    }, lines
    assert "13912345678" not in "\n".join(lines) and any("钱旧人" in ln for ln in lines)


def _hidden_forms(name: str) -> dict[str, bytes]:
    """A name as a page, a file or an archive could carry it past a plain text search (attacked again)."""
    import base64
    import bz2
    import io
    import lzma
    import urllib.parse
    import zipfile

    nested = name.encode()
    for _ in range(5):
        nested = gzip.compress(nested)
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("x.txt", name)
    return {
        "nested.gz": nested,
        "prefixed.zip": b"\x00" + zipped.getvalue(),
        "x.xz": lzma.compress(name.encode()),
        "x.bz2": bz2.compress(name.encode()),
        "data.html": f'<img src="data:text/plain;base64,{base64.b64encode(name.encode()).decode()}">'.encode(),
        "percent.html": f'<a href="/q?{urllib.parse.quote(name)}">x</a>'.encode(),
        "split.html": f"<p>{name[0]}<b></b>{name[1:]}</p>".encode(),
        "utf16.txt": name.encode("utf-16"),
        "js.js": ("var a='" + "".join(f"\\u{{{ord(c):x}}}" for c in name) + "'").encode(),
        "css.css": ("a::after{content:'" + "".join(f"\\{ord(c):x} " for c in name) + "'}").encode(),
    }


def test_audit_site_reads_what_a_page_or_file_hides_in_any_form(district_site, tmp_path, cadres, monkeypatch):
    """Attacked again: these forms of an outside person's name, and numbers typed in groups, passed."""
    from generator.core.numbers import id_check_char

    root, site = district_site
    copy = tmp_path / "site"
    shutil.copytree(site / "unit-caizheng", copy / "unit-caizheng")
    monkeypatch.delenv("CADRES_AGE_IDENTITY_FILE")
    stranger = next(d for d in raw_records() if d["employment"]["unit"] == "fagai")["name"]
    assets = copy / "unit-caizheng/assets"
    for name, content in _hidden_forms(stranger).items():
        (assets / name).write_bytes(content)
    first = "34010419880312103"
    numbers = {"id-x.html": f"<p>{first}{id_check_char(first).lower()}</p>", "phone.html": "<p>138-0013-8000</p>"}
    for name, content in numbers.items():
        (assets / name).write_text(content, encoding="utf-8")
    status, lines, _ = cadres(root, "audit-site", "--sites", str(copy))
    found = {ln.split(":")[0].split("!")[0].rsplit("/", 1)[-1]: ln.split("[")[1][:3] for ln in lines if "[A0" in ln}
    assert status == 1
    assert found == {**dict.fromkeys(_hidden_forms(stranger), "A01"), **dict.fromkeys(numbers, "A02")}, lines


def test_an_insiders_post_naming_an_outsider_does_not_hide_the_outsider_elsewhere(district_site, tmp_path, cadres):
    """Attacked again: a unit's person's post holding an outside person's name took that name off the audit."""
    _, site = district_site
    project = copy_project(tmp_path / "project")
    stranger = next(d for d in raw_records() if d["employment"]["unit"] == "fagai")["name"]
    change(
        project, "cai-0004", lambda d: d["employment"].update(post=d["employment"]["post"] + f"（联系人{stranger}）")
    )
    copy = tmp_path / "site"
    shutil.copytree(site / "unit-caizheng", copy / "unit-caizheng")
    page = copy / "unit-caizheng/help.html"
    page.write_text(page.read_text(encoding="utf-8") + f"<p>{stranger}</p>", encoding="utf-8")
    status, lines, _ = cadres(project, "audit-site", "--sites", str(copy))
    assert status == 1 and [ln.split(":")[0] for ln in lines if "[A01]" in ln] == ["unit-caizheng/help.html"], lines


def test_the_local_preview_serves_on_loopback_only(district_site):
    from generator.serving.preview import preview_server

    _, site = district_site
    server = preview_server(site / "zuzhibu", 0)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()  # shutdown() waits a poll
    try:
        assert server.server_address[0] == "127.0.0.1"
        status, headers, body = get(f"http://127.0.0.1:{server.server_port}/index.html")
        assert status == 200 and "科级后备干部名册" in body and headers["X-Frame-Options"] == "DENY"
        status, headers, body = get(f"http://127.0.0.1:{server.server_port}/no-such-page.html")
        assert status == 404 and "<p>没有这个页面。</p>" in body and "File not found" not in body
        assert headers["Content-Type"] == "text/html; charset=utf-8"
    finally:
        server.shutdown()
        server.server_close()


# -- in a real browser ---------------------------------------------------------------------------


def page_for(browser, user):
    context = browser.new_context(
        http_credentials={"username": user, "password": USERS[user]}, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


def test_the_org_site_loads_with_no_errors_and_nothing_leaves_localhost(served, browser):
    url, _ = served
    page = page_for(browser, "org")
    for path in (
        "index.html",
        "roster/unit.html",
        "profiles/cai-0001.html",
        "stats.html",
        "candidates.html",
        "changes.html",
    ):
        response = page.goto(f"{url}/zuzhibu/{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert page.errors == []
    assert page.requests and all(r.startswith((url + "/", "data:")) for r in page.requests), [
        r for r in page.requests if not r.startswith(url)
    ]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{url}/zuzhibu/profiles/cai-0001.html")
    page.screenshot(path=str(ARTIFACTS / "profile.png"), full_page=True)
    page.goto(f"{url}/zuzhibu/stats.html")
    page.screenshot(path=str(ARTIFACTS / "stats.png"), full_page=True)
    page.context.close()


def test_the_csp_runs_the_sites_own_scripts_and_no_inline_one(served, browser, tmp_path):
    """script-src 'self' without 'unsafe-inline': the theme's scripts (moved out of the pages at build time),
    search and the roster's filters all work with no console error; a script written into a page does not run."""
    from generator.serving.preview import preview_server
    from generator.serving.serve import CSP

    url, site = served
    script_src = next(d for d in CSP.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert get(f"{url}/zuzhibu/index.html", "org")[1]["Content-Security-Policy"] == CSP
    page = page_for(browser, "org")
    # every kind of page: each page of the site's top, each roster, one list and one profile (404.html is
    # MkDocs's page for a preview server at the root; nginx answers a missing page with its own)
    kinds = sorted(
        {p.relative_to(site / "zuzhibu").as_posix() for p in (site / "zuzhibu").glob("*.html") if p.name != "404.html"}
        | {p.relative_to(site / "zuzhibu").as_posix() for p in (site / "zuzhibu/roster").glob("*.html")}
        | {"people/T01.html", "people/unit-0.html", "profiles/cai-0001.html"}
    )
    assert len(kinds) >= 14, kinds
    for path in kinds:
        page.goto(f"{url}/zuzhibu/{path}")  # waits for the load event: the pages' scripts are at their end
        assert page.evaluate("typeof __md_get") == "function", path  # the theme's own inline script ran
    page.goto(f"{url}/zuzhibu/roster/all.html")
    everyone = page.locator("output.cadres-count").inner_text()
    page.locator("select[data-filter=sex]").select_option("女")
    page.wait_for_timeout(200)
    assert page.locator("output.cadres-count").inner_text() not in (everyone, "")  # the filter script runs
    search(page, "财政")
    assert page.errors == [], page.errors
    page.context.close()

    copy = tmp_path / "zuzhibu"
    shutil.copytree(site / "zuzhibu", copy)
    index = copy / "index.html"
    index.write_text(
        index.read_text(encoding="utf-8").replace("</body>", "<script>window.hit=1</script></body>"), encoding="utf-8"
    )
    server = preview_server(copy, 0)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()  # shutdown() waits a poll
    try:
        page = browser.new_page()
        messages = []
        page.on("console", lambda m: messages.append(m.text))
        page.goto(f"http://127.0.0.1:{server.server_port}/index.html")  # the blocked script is said while parsing
        assert page.evaluate("window.hit") is None and page.evaluate("typeof __md_get") == "function"
        assert any("Content Security Policy" in m for m in messages), messages
        page.close()
    finally:
        server.shutdown()
        server.server_close()


PRINT_STYLES = """() => {
    const history = document.querySelector('.cadres-history');
    return {
        history: history && getComputedStyle(history).display,
        headings: [...document.querySelectorAll('.md-typeset :is(h1, h2, h3, h4)')].map(h => getComputedStyle(h).breakAfter),
        rows: [...document.querySelectorAll('.md-typeset tr')].map(r => getComputedStyle(r).breakInside),
        titles: [...document.querySelectorAll('.md-typeset :is(h1, h2, h3, h4)')].map(h => h.textContent.trim()),
    };
}"""


def test_a_profile_prints_on_one_or_two_a4_pages(served, browser):
    """Issue 27: without the git change log at its end, and no heading left alone at the bottom of a page."""
    url, _ = served
    page = page_for(browser, "org")
    page.goto(f"{url}/zuzhibu/profiles/cai-0001.html")
    page.emulate_media(media="print")
    styles = page.evaluate(PRINT_STYLES)
    assert styles["history"] == "none", styles  # the 变更记录 section, shown on the screen
    assert set(styles["headings"]) == {"avoid"} and set(styles["rows"]) == {"avoid"}, styles
    pdf = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "profile.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, pages
    assert b"%PDF" in pdf[:8]
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    meta = next(line for line in text.splitlines() if "年龄计算至" in line)
    assert meta.rstrip().endswith("2026.11.25") and "修改记录文件" not in text  # no stray "·" where the link was
    assert "内部资料 注意保密" in text and re.search(rf"第\s*1\s*页\s*/\s*共\s*{pages}\s*页", text)
    assert "变更记录" not in text and "修改历史" not in text and "记录文件" not in text
    for sheet in (p for p in text.split("\f") if p.strip()):
        lines = [ln.strip() for ln in sheet.splitlines() if ln.strip() and "内部资料" not in ln and "页 / 共" not in ln]
        assert lines[-1] not in styles["titles"], lines[-3:]  # a heading at a page's foot, its section overleaf
    page.context.close()


@pytest.fixture(scope="module")
def org_search(served, browser):
    """One page of the org department's site with its search index loaded: each search test types its own
    query into it (a fresh page loads the index again, about half a second a test)."""
    url, _ = served
    page = page_for(browser, "org")
    page.goto(f"{url}/zuzhibu/index.html")
    yield page
    page.context.close()


def search(page, words):
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")  # the last query's results go first
    page.wait_for_function("() => !document.querySelector('.md-search-result__list')?.children.length")
    box.fill(words)
    box.press("End")
    page.wait_for_timeout(300)
    page.wait_for_selector(".md-search-result__meta", timeout=10000)
    page.wait_for_timeout(300)
    return page.locator(".md-search-result__meta").inner_text(), page.locator(".md-search-result__list").inner_html()


def test_searching_a_full_name_finds_the_profile_and_another_units_person_is_not_found(served, browser):
    url, _site = served
    person = {"id": "cai-0005"}
    name = (
        (DISTRICT / "registry/cadres/caizheng/cai-0005.yaml")
        .read_text(encoding="utf-8")
        .split("name: ")[1]
        .split("\n")[0]
    )
    page = page_for(browser, "org")
    page.goto(f"{url}/zuzhibu/index.html")
    meta, results = search(page, name)
    assert f"profiles/{person['id']}.html" in results and name in results, (meta, results)
    page.context.close()
    stranger = (DISTRICT / "registry/cadres/fagai").glob("*.yaml")
    outside = next(p for p in stranger).read_text(encoding="utf-8").split("name: ")[1].split("\n")[0]
    page = page_for(browser, "cz")
    page.goto(f"{url}/unit-caizheng/index.html")
    meta, results = search(page, outside)
    assert "没有找到" in meta and "profiles/" not in results
    meta, results = search(page, "区发展和改革委员会")  # another unit: none of its people on this site
    assert "profiles/fag-" not in results and "profiles/" not in results, meta
    page.context.close()


def test_injected_markup_stays_text_in_the_browser(browser, tmp_path):
    from generator.serving.preview import preview_server

    root = copy_project(tmp_path / "project")
    change(
        root,
        "cai-0005",
        lambda d: (
            d.update(name="<img onerror=x>"),
            d["employment"].update(
                post='<script>window.hit=1</script><img src=x onerror="window.hit=2">[点我](javascript:window.hit=3)'
            ),
        ),
    )
    result = subprocess.run(
        [
            os.sys.executable,
            "-m",
            "generator",
            "--root",
            str(root),
            "build",
            "--as-of",
            AS_OF,
            "--audience",
            "unit-caizheng",
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CADRES_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.stderr
    server = preview_server(root / "site/unit-caizheng", 0)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()  # shutdown() waits a poll
    try:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in ("profiles/cai-0005.html", "roster/unit.html"):
            page.goto(f"http://127.0.0.1:{server.server_port}/{path}")
            assert page.evaluate("window.hit") is None
            assert "<script>window.hit=1</script>" in page.locator("article").inner_text()
            assert page.locator("article a[href^='javascript:']").count() == 0
        assert dialogs == []
        page.close()
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('<script src="https://cdn.example.com/x.js">', ["https://cdn.example.com/x.js"]),
        ("<a href='//evil.example/a'>", ["//evil.example/a"]),
        ('background: url( "http://x.example/z.png")', ["http://x.example/z.png"]),
        ("HREF=HTTPS://A.EXAMPLE/c", ["HTTPS://A.EXAMPLE/c"]),
        ('srcset="//cdn.example/a.png 2x"', ["//cdn.example/a.png"]),
        ("// a comment, then a/b//c", []),
        ('var u = "https://unpkg.com/mermaid"', []),  # a string in a script is not a load
        ('<a href="profiles/cai-0001.html">', []),
    ],
)
def test_the_audit_finds_addresses_that_load_from_a_host(text, found):
    from generator.serving.audit import external_addresses

    assert external_addresses(text) == found


def test_the_audit_finds_a_personal_number_inside_other_digits():
    from generator.serving.audit import Numbers

    numbers = Numbers(["340104197805120036", "13900000000"])
    assert numbers.search("编号 2026 年 11 月") is None
    assert numbers.search("电话：13900000000。")[0] == "13900000000"
    assert numbers.search("x340104197805120036y")[0] == "340104197805120036"
    assert numbers.search("861390000000099")[0] == "13900000000"  # inside a longer run of digits


# -- every page kind as its readers see it -----------------------------------------------------------------

PAGE_KINDS = {
    "zuzhibu": (
        "index.html",
        "roster/unit.html",
        "roster/all.html",
        "roster/level.html",
        "roster/track.html",
        "roster/others.html",
        "candidates.html",
        "round.html",
        "tracked.html",
        "stats.html",
        "people/T13.html",
        "changes.html",
        "help.html",
        "profiles/cai-0001.html",
    ),
    "changwei": ("index.html", "roster/unit.html", "candidates.html", "stats.html", "changes.html"),
    "unit-caizheng": ("index.html", "roster/unit.html", "roster/others.html", "stats.html", "changes.html"),
}
WIDE = """() => {
  const out = [];
  for (const el of document.querySelectorAll('.md-content *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > document.documentElement.clientWidth + 1 && !el.closest('.cadres-scroll')) {
      out.push(el.tagName + '.' + el.className);
    }
  }
  return out.slice(0, 5);
}"""
WRAPPED_NAMES = """() => Array.from(document.querySelectorAll('td.name')).filter(td => {
  const a = td.querySelector('a') || td; const style = getComputedStyle(a);
  return a.getBoundingClientRect().height > 1.6 * parseFloat(style.lineHeight || style.fontSize);
}).map(td => td.textContent).slice(0, 5)"""


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_every_page_kind_fits_its_screen_and_names_never_wrap(served, browser, width, height):
    url, _ = served
    (ARTIFACTS / "pages").mkdir(parents=True, exist_ok=True)
    for audience, paths in PAGE_KINDS.items():
        page = page_for(browser, "cz" if audience.startswith("unit-") else "org")
        page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            response = page.goto(f"{url}/{audience}/{path}", wait_until="load")
            assert response.status == 200, (audience, path)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, (audience, path, width, scroll, page.evaluate(WIDE))
            assert page.evaluate(WRAPPED_NAMES) == [], (audience, path, width)
            shot = f"{audience}-{path.replace('/', '-').removesuffix('.html')}-{width}.png"
            page.screenshot(path=str(ARTIFACTS / "pages" / shot))
        assert page.errors == [], (audience, page.errors)
        assert all(r.startswith((url + "/", "data:")) for r in page.requests), audience  # nothing from outside
        page.context.close()


@pytest.mark.parametrize("width", [390, 1024, 1440, 1920])
def test_the_verdict_of_every_target_is_on_screen_without_scrolling(served, browser, width):
    """Issue 27: a long breakdown row (T10's specialties, T15's years) once kept the table wider than its box,
    so the 结果 column was off screen at every width."""
    url, _ = served
    page = page_for(browser, "org")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{url}/zuzhibu/stats.html", wait_until="load")
    sizes = page.evaluate(
        """() => {
        const table = document.querySelector('table.cadres-targets'), box = table.parentElement;
        const verdicts = [...table.querySelectorAll('tr[id] td:last-child')].map(td => td.getBoundingClientRect().right);
        return {table: table.scrollWidth, box: box.clientWidth, right: Math.max(...verdicts), edge: box.getBoundingClientRect().right};
    }"""
    )
    assert sizes["table"] <= sizes["box"] and sizes["right"] <= sizes["edge"] + 1, sizes
    page.context.close()


CHARTS = """() => [...document.querySelectorAll('svg.cadres-chart')].map(svg => {
  const box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
  const texts = [...svg.querySelectorAll('text')];
  return {
    title: svg.getAttribute('aria-label'), left: box.left, right: box.right,
    outside: texts.filter(t => { const r = t.getBoundingClientRect();
      return r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5;
    }).map(t => t.textContent),
    smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale)),
  };
})"""


@pytest.mark.parametrize("audience", ["zuzhibu", "unit-caizheng"])
@pytest.mark.parametrize("width", [360, 390])
def test_every_chart_fits_a_phone_and_no_figure_is_cut_off(served, browser, audience, width):
    """Issue 27: at 390 px the age pyramid showed only its 正职 half and the bars' figures were cut off."""
    url, _ = served
    page = page_for(browser, "cz" if audience.startswith("unit-") else "org")
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{url}/{audience}/stats.html", wait_until="load")
    found = page.evaluate(CHARTS)
    assert len(found) >= 6, found
    for chart in found:
        assert chart["left"] >= 0 and chart["right"] <= width, chart
        assert chart["outside"] == [], chart
        assert chart["smallest"] >= 9, chart  # text still legible
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"charts-{audience}-{width}.png"), full_page=True)
    page.context.close()


def test_a_printed_roster_is_a_document_a_meeting_can_use(served, browser):
    url, _ = served
    page = page_for(browser, "org")
    page.goto(f"{url}/zuzhibu/roster/unit.html")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "roster-unit.pdf").write_bytes(pdf)
    pages = (
        subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
        .stdout.decode()
        .split("\f")
    )
    pages = [p for p in pages if p.strip()]
    total = len(pages)
    assert 2 <= total <= 8, total  # 34 people of 16 units on landscape A4 (the demo's 210: 14 pages)
    assert "区委组织部（全区）·蜀山区科级后备干部名册（按单位）" in pages[0] and "统计日期：2026.11.25" in pages[0]
    for other in ("stats.html", "candidates.html", "round.html"):  # the other documents a meeting prints
        page.goto(f"{url}/zuzhibu/{other}")
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=page.pdf(prefer_css_page_size=True),
            capture_output=True,
            check=True,
        ).stdout.decode()
        sheets = [p for p in text.split("\f") if p.strip()]
        assert all("内部资料 注意保密" in p for p in sheets) and "统计日期：2026.11.25" in sheets[0], other
        assert re.search(rf"第\s*{len(sheets)}\s*页\s*/\s*共\s*{len(sheets)}\s*页", sheets[-1]), other
    for number, text in enumerate(pages, 1):
        assert re.search(rf"第\s*{number}\s*页\s*/\s*共\s*{total}\s*页", text), number
        assert "内部资料 注意保密" in text, number
        assert len([line for line in text.splitlines() if line.strip()]) >= 8, (number, text)  # no near-blank page
    page.context.close()


def test_the_printed_candidates_plan_gives_each_candidate_a_page_and_strands_no_heading(served, browser):
    """Issue 22, point 2: the 人选方案 as the 常委会 reads it on paper."""
    from generator.analysis.adjustment import plan

    url, _ = served
    names = [c["name"] for c in plan(district_registry(), AS_OF_DATE)["in"]]
    page = page_for(browser, "org")
    page.goto(f"{url}/zuzhibu/candidates.html")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / "candidates.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    sheets = [p for p in text.decode().split("\f") if p.strip()]
    lines = [
        [ln.strip() for ln in p.splitlines() if ln.strip() and "内部资料" not in ln and "页 / 共" not in ln]
        for p in sheets
    ]
    headings = ("一、", "二、", "三、", "四、", "五、", "正职后备人选", "副职后备人选")
    assert all(not page_lines[-1].startswith(headings) for page_lines in lines), [p[-1] for p in lines]
    tops = [p[1] if p[0].startswith("五、") else p[0] for p in lines]  # the first sheet follows the section's title
    assert [t.split("（")[0] for t in tops[-len(names) :]] == names  # one candidate a page, in the list's order
    for number, sheet in enumerate(sheets, 1):
        assert "内部资料 注意保密" in sheet and re.search(rf"第\s*{number}\s*页\s*/\s*共\s*{len(sheets)}\s*页", sheet)


@pytest.mark.parametrize(
    "words,expected",
    [
        ("区财政局", "cai-0001"),  # a unit's full name
        ("财政局", "cai-0001"),  # and its short name
        ("区财政局副局长", "cai-0001"),  # a post
        ("cai-0005", "cai-0005"),  # an id
        (None, "cai-0005"),  # a given name alone (filled in below)
    ],
)
def test_search_finds_people_by_unit_post_id_and_given_name(org_search, words, expected):
    if words is None:
        name = RECORD_NAMES["cai-0005"]
        words = name[1:]
    page = org_search
    meta, results = search(page, words)
    assert f"profiles/{expected}.html" in results, (words, meta)
    assert "年龄计算至" not in results and "修改记录文件" not in results  # clean snippets


RESULTS = """() => [...document.querySelectorAll('.md-search-result__item > a')].map(a =>
    ({href: a.getAttribute('href'), text: a.innerText.replaceAll('\\u200b', '')}))"""  # jieba's zero-width spaces
HIDDEN_WORDS = re.compile(r"(?:姓|名|单位|职务|编号)：")  # the keyword line once shown in results


@pytest.mark.parametrize(
    "words,unit", [("卫健委", "weijian"), ("发改委", "fagai"), ("城管局", "chengguan"), ("城管", "chengguan")]
)
def test_a_units_short_name_finds_its_people_and_only_them(org_search, words, unit):
    """Issue 27: posts say 区卫健委副主任, and people search as they write."""
    people = {d["id"] for d in raw_records() if d["employment"]["unit"] == unit}
    page = org_search
    meta, _ = search(page, words)
    results = page.evaluate(RESULTS)
    found = {r["href"].split("profiles/")[1].split(".html")[0] for r in results if "profiles/" in r["href"]}
    assert meta.startswith(f"{len(people)} 个") and found and found <= people, (words, meta, found - people)
    assert not any(HIDDEN_WORDS.search(r["text"]) for r in results), results[0]["text"]


@pytest.mark.parametrize("unit", ["caizheng", "dangxiao", "zuzhi", "zfb"])
def test_a_units_full_name_gives_its_people_first(org_search, unit):
    """区财政局 was searched as 区 (区科学技术局, named on the statistics page alone, was cut into 区/科学技术/局) and
    区委党校 as 区委 (jieba's 区委/常委会): the unit's people came after others or not at all."""
    name = next(u["name"] for u in UNITS if u["id"] == unit)
    people = {d["id"] for d in raw_records() if d["employment"]["unit"] == unit}
    page = org_search
    meta, _ = search(page, name)
    profiles = [
        r["href"].split("profiles/")[1].split(".html")[0] for r in page.evaluate(RESULTS) if "profiles/" in r["href"]
    ]
    assert set(profiles[: len(people)]) == people, (name, meta, profiles)


@pytest.mark.parametrize("cadre_id", ["fag-0001", "wei-0011", "zfb-0002", "sif-0002", "zuz-0007"])
def test_a_full_name_gives_that_persons_profile_first_and_no_hidden_words(org_search, cadre_id):
    """Issue 27: 孟敏霞 (fag-0001) came fourth and 段瑶娜 (wei-0011) second; 于明健 and 高超 had the same fault.
    Results show the name, unit and post, never the hidden words (单位：委组织部 for 区委组织部's 段鑫晨)."""
    name = next(d["name"] for d in raw_records() if d["id"] == cadre_id)
    page = org_search
    meta, _ = search(page, name)
    results = page.evaluate(RESULTS)
    assert results[0]["href"].split("?")[0].endswith(f"profiles/{cadre_id}.html"), (name, meta, results[:3])
    assert results[0]["text"].startswith(name)
    assert not any(HIDDEN_WORDS.search(r["text"]) for r in results), results[0]["text"]
    assert "委组织部" not in "".join(r["text"] for r in results).replace("区委组织部", "")


def test_the_whole_pool_filters_and_sorts_in_the_browser(served, browser):
    url, _ = served
    pool = [d for d in raw_records() if d["reserve"]["status"] == "在库"]
    page = page_for(browser, "org")
    page.goto(f"{url}/zuzhibu/roster/all.html")
    shown = "Array.from(document.querySelectorAll('table.cadres-all tbody tr')).filter(tr => !tr.hidden)"
    assert page.evaluate(f"{shown}.length") == len(pool) == 34
    page.select_option("select[data-filter=unit]", "区财政局")
    page.select_option("select[data-filter=level]", "副职")
    expected = {d["name"] for d in pool if d["employment"]["unit"] == "caizheng" and d["reserve"]["level"] == "副职"}
    names = page.evaluate(f"{shown}.map(tr => tr.cells[1].textContent)")
    assert set(names) == expected and len(names) == len(expected)
    assert page.evaluate(f"{shown}.map(tr => tr.cells[0].textContent)") == [str(i) for i in range(1, len(names) + 1)]
    assert page.locator(".cadres-count").inner_text() == f"共 {len(expected)} 人"
    page.select_option("select[data-filter=unit]", "")
    page.select_option("select[data-filter=level]", "")
    page.select_option("select[data-filter=specialty]", "金融")
    assert page.evaluate(f"{shown}.length") == sum("金融" in (d.get("specialties") or []) for d in pool)
    page.select_option("select[data-filter=specialty]", "")
    page.select_option("select[data-order]", "birth")
    births = page.evaluate(f"{shown}.map(tr => tr.cells[4].textContent.slice(0, 7))")
    assert births == sorted(births) and len(births) == 34
    page.select_option("select[data-order]", "-birth")
    assert page.evaluate(f"{shown}.map(tr => tr.cells[4].textContent.slice(0, 7))") == sorted(births, reverse=True)
    assert page.errors == []
    page.context.close()


VISIBLE = """() => ({
  filters: document.querySelectorAll('input.cadres-filter').length,
  rows: [...document.querySelectorAll('.cadres-group tbody tr')].filter(tr => tr.offsetParent !== null)
    .map(tr => tr.querySelector('td.name').textContent),
  headings: [...document.querySelectorAll('.cadres-group h2')].filter(h => h.offsetParent !== null)
    .map(h => h.textContent.split('（')[0]),
})"""


def test_the_roster_by_unit_has_one_filter_for_the_page_that_hides_the_units_without_a_match(served, browser):
    """Issue 27: thirty filter boxes, one per unit's table. One box filters every table of the page, and a unit's
    heading goes with its last matching row."""
    url, _ = served
    pool = [d for d in raw_records() if d["reserve"]["status"] == "在库"]
    person = next(d for d in pool if d["employment"]["unit"] == "caizheng")
    assert sum(person["name"] in d["name"] for d in pool) == 1  # a name that finds one person only
    page = page_for(browser, "org")
    page.goto(f"{url}/zuzhibu/roster/unit.html")
    before = page.evaluate(VISIBLE)
    assert before["filters"] == 1 and len(before["rows"]) == len(pool) and len(before["headings"]) == len(UNITS) == 16
    page.locator("input.cadres-filter").fill(person["name"])
    assert page.evaluate(VISIBLE) == {"filters": 1, "rows": [person["name"]], "headings": ["区财政局"]}
    assert page.locator(".cadres-group-filter output").inner_text() == "找到 1 人"
    page.locator("input.cadres-filter").fill("查无此人")
    assert page.evaluate(VISIBLE) == {"filters": 1, "rows": [], "headings": []}
    page.locator("input.cadres-filter").fill("")
    assert page.evaluate(VISIBLE) == before
    assert page.errors == []
    page.context.close()


def test_the_home_page_opened_from_disk_says_how_to_open_the_site(served, browser):
    """Issue 27: opened as a file, the site has no search and its scripts log errors: the home page says to open
    it through the web server; served, it says nothing of it."""
    url, site = served
    notice = ".cadres-file-notice"
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto((site / "zuzhibu" / "index.html").as_uri(), wait_until="load")
    assert page.locator(notice).is_visible()
    assert "make serve" in page.locator(notice).inner_text() and "cadres serve" in page.locator(notice).inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-from-file.png"))
    page.close()
    page = page_for(browser, "org")
    page.goto(f"{url}/zuzhibu/index.html", wait_until="load")
    assert page.locator(notice).count() == 1 and not page.locator(notice).is_visible()
    assert page.errors == []  # the script ran under the CSP and found nothing to say
    page.context.close()


def test_dot_files_and_symlinks_inside_a_site_are_never_served(project, tmp_path):
    """Issue 15, point 8: the site's prefix location used to win over the dot-file rule; symlinks were followed."""
    site = project / "site" / "unit-caizheng"
    (site / ".git").mkdir(parents=True)
    (site / "index.html").write_text("<p>首页</p>", encoding="utf-8")
    (site / ".git" / "config").write_text("[remote] url = secret", encoding="utf-8")
    outside = tmp_path / "outside.html"
    outside.write_text("不该看到", encoding="utf-8")
    (site / "link.html").symlink_to(outside)
    prefix = tmp_path / "nginx"
    auth = prefix / "auth"
    auth.mkdir(parents=True)
    hashed = subprocess.run(
        ["openssl", "passwd", "-apr1", USERS["cz"]], capture_output=True, text=True, check=True
    ).stdout.strip()
    (auth / "unit-caizheng.htpasswd").write_text(f"cz:{hashed}\n")
    url = run_nginx(project, prefix, "--htpasswd-dir", str(auth))
    try:
        assert get(f"{url}/unit-caizheng/index.html", "cz")[0] == 200
        status, _, body = get(f"{url}/unit-caizheng/.git/config", "cz")
        assert status == 404 and "secret" not in body and "没有这个页面" in body
        status, _, body = get(f"{url}/unit-caizheng/link.html", "cz")
        assert status in (403, 404) and "不该看到" not in body
        # the slash is added after the login, to a path (never the Host header the client sent)
        assert get(f"{url}/unit-caizheng")[0] == 401
        assert redirected(f"{url}/unit-caizheng", "cz", {"Host": "evil.example"}) == (301, "/unit-caizheng/")
        status, _, body = get(f"{url}/unit-caizheng/index.html", "cz", method="POST")
        assert status == 405 and "不支持这种请求方式" in body and "nginx" not in body.lower()
    finally:
        stop_nginx(prefix)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def redirected(url, user=None, headers=None):
    """(status, Location) of one request, the redirect not followed."""
    request = urllib.request.Request(url, headers=dict(headers or {}))
    if user:
        token = base64.b64encode(f"{user}:{USERS[user]}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status, response.headers.get("Location")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Location")


def test_serve_config_refuses_what_would_break_or_inject_into_the_configuration(district_site, tmp_path, cadres):
    root, _ = district_site
    auth = tmp_path / "auth"
    auth.mkdir()
    base = ["serve-config", "--htpasswd-dir", str(auth), "--output", str(tmp_path / "c.conf")]
    for options, words in (
        (["--sites", str(tmp_path / "a;b")], "含有 nginx 配置中不能出现的字符"),
        (["--sites", str(tmp_path / "$document_root")], "含有 nginx 配置中不能出现的字符"),
        (["--listen", "80; include /etc/passwd"], "不是 nginx 的 listen 参数"),
        (["--groups-separator", "x"], "--groups-separator 只能是"),
    ):
        status, _, err = cadres(root, *base, *options)
        assert status == 2 and words in err, (options, err)
    sso = ["serve-config", "--output", str(tmp_path / "c.conf")]
    for url in ("http://sso/check; return 200", "http://sso/check {", "javascript:alert(1)", "http://sso/$host"):
        status, _, err = cadres(root, *sso, "--sso-url", url)
        assert status == 2 and "不是单点登录校验地址" in err, url
    status, _, err = cadres(root, *sso, "--sso-url", "http://sso/check", "--groups-header", "X-G: 1")
    assert status == 2 and "不是响应头名称" in err
    status, _, err = cadres(root, "serve-config", "--htpasswd-dir", str(auth))
    assert status == 2 and "请用 --output 指定配置文件" in err
    assert not (root / "site-errors").exists() and not (tmp_path / "cadres-errors").exists()  # nothing written


def test_a_site_folder_with_spaces_is_quoted_and_the_error_pages_go_beside_the_config(district_site, tmp_path, cadres):
    root, site = district_site
    spaced = tmp_path / "web root" / "站点"
    shutil.copytree(site / "changwei", spaced / "changwei")
    conf = tmp_path / "conf" / "cadres.conf"
    conf.parent.mkdir()
    status, _, err = cadres(
        root, "serve-config", "--htpasswd-dir", str(tmp_path / "my auth"), "--sites", str(spaced), "--output", str(conf)
    )
    assert status == 0, err
    text = conf.read_text(encoding="utf-8")
    assert f'root "{spaced}";' in text and f'"{tmp_path / "my auth" / "changwei.htpasswd"}"' in text
    assert (tmp_path / "conf" / "cadres-errors" / "404.html").is_file() and not (root / "site-errors").exists()
    wrapper = tmp_path / "nginx.conf"
    wrapper.write_text(
        f"events {{}}\nhttp {{\n include {conf};\n}}\n".replace("listen 443 ssl;", "listen 8443;"), encoding="utf-8"
    )
    conf.write_text(text.replace("listen 443 ssl;", "listen 127.0.0.1:8443;"), encoding="utf-8")
    result = subprocess.run(
        ["nginx", "-t", "-q", "-c", str(wrapper), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="what nginx does when root starts it")
def test_a_full_configuration_started_by_root_never_runs_workers_as_root(district_site, tmp_path, cadres):
    root, _ = district_site
    auth = tmp_path / "auth"
    auth.mkdir()
    base = ["serve-config", "--htpasswd-dir", str(auth), "--full", str(tmp_path), "--output", str(tmp_path / "n.conf")]
    for extra in ([], ["--user", "root"]):
        status, _, err = cadres(root, *base, *extra)
        assert status == 2 and "工作进程不能以 root 运行" in err, extra
    status, _, err = cadres(root, *base, "--user", "nobody")
    assert status == 0, err
    assert (tmp_path / "n.conf").read_text(encoding="utf-8").startswith("user nobody nogroup;\n")


def test_serve_config_refuses_two_sites_with_one_folder(project, cadres, tmp_path):
    audiences = project / "registry/audiences.yaml"
    text = audiences.read_text(encoding="utf-8")
    audiences.write_text(
        text.replace(
            "  - id: changwei\n",
            "  - id: unit-caizheng\n    title: 财政局全部\n    sees: all\n    statuses: all\n    sensitive: true\n"
            '    reviewers: ["@zuzhibu-ganbuke"]\n  - id: changwei\n',
        ),
        encoding="utf-8",
    )
    status, _, err = cadres(project, "serve-config", "--htpasswd-dir", str(tmp_path), "--output", str(tmp_path / "c"))
    assert status == 2 and "读者站点目录重名：unit-caizheng" in err and not (tmp_path / "c").exists()


def test_known_numbers_are_found_in_long_runs_as_a_scan_of_every_run_finds_them():
    """audit-site looks for the registry's numbers only in runs of digits as long as the shortest of them: the
    same first hit as looking at every run, on texts of digits, Xs, separators and letters."""
    import random
    import re

    from generator.serving.audit import Numbers

    known = ["13912345678", "34010419880312001X", "340104880312001"]
    found = Numbers(known)

    def scanned(text):
        for run in re.finditer(r"\d[\dXx]*", text):
            for length in sorted({len(n) for n in known}):
                for i in range(len(run[0]) - length + 1):
                    if run[0][i : i + length] in known:
                        return run.start() + i
        return None

    rng = random.Random(26)
    for _ in range(3000):
        parts = [rng.choice("0123456789Xx -a.") for _ in range(rng.randint(0, 30))]
        if rng.random() < 0.4:
            parts.insert(rng.randint(0, len(parts)), rng.choice(known))
        text = "".join(parts)
        hit = found.search(text)
        assert (hit.start() if hit else None) == scanned(text), repr(text)
    assert Numbers([]).search("13912345678") is None
