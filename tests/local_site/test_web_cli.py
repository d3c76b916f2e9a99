"""``shotgun-local-site serve`` says where the pages are, and ``demo --keep`` says where to look."""
from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from shotgun_api3.local_site.cli import main


def test_serve_prints_the_pages_url_and_the_pages_ask_for_a_login(tmp_path, capsys):
    folder = tmp_path / "site"
    assert main(["init", "--site", str(folder), "--script", ""]) == 0
    assert main(["add-user", "--site", str(folder), "grace", "--password", "pw-for-grace-1"]) == 0
    capsys.readouterr()
    process = subprocess.Popen([sys.executable, "-m", "shotgun_api3.local_site", "serve", "--site", str(folder),
                                "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline() for _ in range(4)]
        pages = next((re.search(r"pages:\s+(http://127\.0\.0\.1:\d+/)", line) for line in lines
                      if "pages:" in line), None)
        assert pages, "".join(lines)
        parts = urlsplit(pages.group(1))
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        connection.request("GET", "/")
        response = connection.getresponse()
        response.read()
        assert response.status == 303 and response.getheader("Location").startswith("/login")
        connection.request("POST", "/login", urlencode({"login": "grace", "password": "pw-for-grace-1"}),
                           {"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        response.read()
        assert response.status == 303 and "_session_id=" in response.getheader("Set-Cookie")
        connection.close()
    finally:
        process.terminate()
        process.wait(30)
        process.stdout.close()
        process.stderr.close()


def test_the_demo_with_keep_ends_by_saying_where_to_look(capsys):
    assert main(["demo", "--keep"]) == 0
    out = capsys.readouterr().out
    kept = re.search(r"site folder kept: (\S+)", out).group(1)
    try:
        assert "serve --site %s" % kept in out
        assert re.search(r"see what the pipeline wrote: open the pages URL serve prints and log in as ada / \S+", out)
    finally:
        shutil.rmtree(Path(kept).parent, ignore_errors=True)


def test_the_pages_benchmark_runs_at_a_tiny_size():
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_web_pages.py"
    result = subprocess.run([sys.executable, str(script), "--records", "300", "--samples", "1"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line for line in result.stdout.splitlines() if re.search(r"\s\d+\.\d\s+\d+\.\d$", line)]
    assert len(rows) == 9, result.stdout
