"""Each benchmark still runs end to end at a tiny size, both sides, and its checks agree.

No figure is asserted (speed is not a test); what is pinned is that both
clients run, every cell of the table is filled, and the result checks say the
two sides returned the same records.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH_DIR = Path(__file__).resolve().parents[2] / "benchmarks"

pytestmark = [pytest.mark.slow, pytest.mark.reference]


@pytest.fixture(autouse=True)
def _reference_installed() -> None:
    """Skip (with the reason) when the reference cannot be installed, instead of failing in the subprocess."""
    from tests.support.reference_venv import reference_python

    reference_python()


def run_benchmark(script: str, *args: str) -> str:
    result = subprocess.run([sys.executable, str(BENCH_DIR / script), *args], capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def measured_cells(output: str) -> list[str]:
    """The ours and reference cells of every table row (the ratio may be n/a when a figure is 0)."""
    cells, in_table = [], False
    for line in output.splitlines():
        if line.startswith("---"):
            in_table = True
        elif not line.strip():
            in_table = False
        elif in_table:
            cells.extend(re.split(r"\s{2,}", line.strip())[1:3])
    return cells


@pytest.mark.parametrize("script, args, checks", [
    ("bench_client_find.py", ["--quick"], 2),
    ("bench_mockgun.py", ["--quick", "--no-memory", "--shots", "300"], 8),
    ("bench_files.py", ["--size-mb", "2", "--route", "server"], 2),
])
def test_benchmark_runs_both_sides_and_both_return_the_same(script, args, checks):
    output = run_benchmark(script, *args)
    check_lines = [line for line in output.splitlines() if line.startswith("CHECK")]
    assert len(check_lines) == checks, output
    assert not any("DIFFER" in line or "skipped" in line for line in check_lines), output
    cells = measured_cells(output)
    assert cells and "n/a" not in cells, output
    assert "!! " not in output


def test_local_site_benchmark_fills_every_cell():
    output = run_benchmark("bench_local_site.py", "--seconds", "0.3")
    cells = measured_cells(output)
    assert len(cells) == 2 * 12, output
    assert "n/a" not in cells and "!! " not in output, output


def test_update_paths_benchmark_times_every_variant():
    output = run_benchmark("bench_update_paths.py", "--shots", "60", "--rounds", "2", "--calls", "5")
    names = ("plain", "general", "eager", "no events")
    times = dict(re.findall(r"^  (%s)\s+([\d.]+) us$" % "|".join(names), output, re.MULTILINE))
    assert set(times) == set(names), output
    assert all(float(t) > 0 for t in times.values()), output
    assert "plain/general per round: median" in output
