"""Requests per second that nginx serves for the org department's site, with basic auth, measured with wrk on loopback.

    .venv/bin/python benchmarks/bench_serve.py [--seconds 10] [--connections 32]

Builds the demo's `zuzhibu` site, writes an htpasswd file, starts nginx with
the configuration `cadres serve-config --full` makes (on a free loopback
port), and runs wrk (bounded in time) on a profile page, the statistics page
and the home page, side by side in one run. Target (issue 6): ≥ 1,000
requests/s for a profile page. Needs the Debian packages nginx, wrk, openssl.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
PAGES = ("profiles/cai-0001.html", "stats.html", "index.html")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args(argv)
    for tool in ("nginx", "wrk", "openssl"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install nginx wrk openssl")
    cli = [sys.executable, "-m", "generator", "--root", str(PROJECT)]
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as work:
        work = Path(work)
        site = work / "site"
        subprocess.run(  # the org department's site shows the numbers: built with the demo's key
            [*cli, "build", "--as-of", "2026-11-25", "--audience", "zuzhibu", "--output", str(site)],
            check=True,
            capture_output=True,
            env={**os.environ, "CADRES_AGE_IDENTITY_FILE": str(PROJECT / "benchmarks" / "demo-age-key.txt")},
        )
        auth = work / "auth"
        auth.mkdir()
        digest = subprocess.run(
            ["openssl", "passwd", "-apr1", "bench"], capture_output=True, text=True, check=True
        ).stdout.strip()
        (auth / "zuzhibu.htpasswd").write_text(f"org:{digest}\n")
        port = free_port()
        prefix = work / "nginx"
        prefix.mkdir()
        subprocess.run(
            [
                *cli,
                "serve-config",
                "--htpasswd-dir",
                str(auth),
                "--sites",
                str(site),
                "--listen",
                f"127.0.0.1:{port}",
                "--full",
                str(prefix),
                "--output",
                str(prefix / "nginx.conf"),
                # started by root, the workers run as nobody, who must reach the site (never as root)
                *(["--user", "nobody"] if os.geteuid() == 0 else []),
            ],
            check=True,
            capture_output=True,
        )
        if os.geteuid() == 0:
            for folder in (work, *work.parents):
                folder.chmod(folder.stat().st_mode | 0o005)
        subprocess.run(["nginx", "-c", str(prefix / "nginx.conf"), "-p", str(prefix)], check=True)
        header = "Authorization: Basic " + base64.b64encode(b"org:bench").decode()
        rows = []
        try:
            for page in PAGES:
                url = f"http://127.0.0.1:{port}/zuzhibu/{page}"
                out = subprocess.run(
                    ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "-H", header, url],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
                latency = re.search(r"Latency\s+(\S+)", out)[1]
                non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
                rows.append(
                    (page, (site / "zuzhibu" / page).stat().st_size, rps, latency, int(non2xx[1]) if non2xx else 0)
                )
        finally:
            subprocess.run(["nginx", "-c", str(prefix / "nginx.conf"), "-p", str(prefix), "-s", "stop"])
    print(f"nginx with basic auth, wrk -t2 -c{args.connections} -d{args.seconds}s on loopback, {os.cpu_count()} cores")
    print(f"{'page':<26} {'bytes':>8} {'requests/s':>11} {'latency':>9} {'non-2xx':>8}")
    for page, size, rps, latency, bad in rows:
        print(f"{page:<26} {size:>8} {rps:>11.0f} {latency:>9} {bad:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
