"""Shared plumbing of the benchmarks: interpreters, worker processes, tables.

Our package and the reference release are both named ``shotgun_api3``, so
each side runs in its own interpreter: ours in the repository's ``.venv``
(made by ``./run-tests``, package installed editable) and the reference in
``.venv-reference`` (made by ``tests/support/reference_venv.py``). A
benchmark script is both the orchestrator (run by any Python 3.9+) and the
worker: the orchestrator starts ``<side python> <script> --worker <json>``,
the worker does the measured work with only one ``shotgun_api3`` imported,
and reports a JSON object on its last stdout line.

This module is imported by both roles, so it uses the standard library only.
"""
from __future__ import annotations

import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = REPO_ROOT / "benchmarks"
RESULT_PREFIX = "BENCH-RESULT "
SIDES = ("ours", "reference")


# ---------------------------------------------------------------- interpreters

_ours_ready: list[bool] = []


def ours_python() -> Path:
    """The interpreter of the repository's ``.venv``, created by ``./run-tests`` if missing.

    ``SG_BENCH_OURS_PYTHON`` overrides it (any interpreter where our package is installed).
    """
    override = os.environ.get("SG_BENCH_OURS_PYTHON")
    if override:
        return Path(override)
    python = REPO_ROOT / ".venv" / "bin" / "python"
    if not _ours_ready:
        # run-tests builds the venv (or refreshes it when pyproject.toml changed) and
        # installs the package editable; --version makes pytest exit at once.
        subprocess.run([str(REPO_ROOT / "run-tests"), "--version"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _ours_ready.append(True)
    return python


def reference_python() -> Path:
    """The interpreter of ``.venv-reference`` holding shotgun-api3 3.10.3 from PyPI, created once."""
    override = os.environ.get("SG_BENCH_REFERENCE_PYTHON")
    if override:
        return Path(override)
    sys.path.insert(0, str(REPO_ROOT / "tests" / "support"))
    try:
        import reference_venv  # noqa: E402  (lives in tests/support, stdlib only)
    finally:
        sys.path.pop(0)
    return reference_venv.reference_python()


def side_python(side: str) -> Path:
    return ours_python() if side == "ours" else reference_python()


# ---------------------------------------------------------------- workers

def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for child processes: no PYTHONPATH, so each side sees only its own package."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if extra:
        env.update(extra)
    return env


def run_worker(side: str, script: Path, config: dict[str, Any], timeout: float = 1800) -> dict[str, Any]:
    """Run ``script --worker`` in ``side``'s interpreter and return the JSON it reports.

    The worker's stderr passes through (progress notes); a failing worker
    raises ``RuntimeError`` with its stderr.
    """
    command = [str(side_python(side)), str(script), "--worker", json.dumps(dict(config, side=side))]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            timeout=timeout, env=clean_env(), cwd=str(BENCH_DIR))
    for line in reversed(result.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX):])
    raise RuntimeError("%s worker of %s failed (exit %s):\n%s" % (
        side, script.name, result.returncode, result.stderr[-4000:]))


def try_worker(side: str, script: Path, config: dict[str, Any], timeout: float = 1800) -> dict[str, Any] | None:
    """``run_worker``, but a failing side prints its error and yields ``None`` (its cells read n/a)."""
    try:
        return run_worker(side, script, config, timeout)
    except (RuntimeError, subprocess.SubprocessError, OSError) as error:
        print("!! %s side failed: %s" % (side, str(error).strip()[-1500:]))
        return None


class InteractiveWorker:
    """A worker process that reports once it is ready, then answers one JSON command per stdin line.

    Its answers are ``report`` lines; its stderr goes to a temporary file,
    printed if the worker fails.
    """

    def __init__(self, side: str, script: Path, config: dict[str, Any]) -> None:
        self.side = side
        self._stderr = tempfile.TemporaryFile(mode="w+")
        command = [str(side_python(side)), str(script), "--worker", json.dumps(dict(config, side=side))]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self._stderr, text=True, env=clean_env(), cwd=str(BENCH_DIR))

    def wait_ready(self) -> bool:
        """Wait for the worker's first report; ``False`` (and its error printed) if it failed instead."""
        return self._next_report() is not None

    def command(self, command: dict[str, Any]) -> dict[str, Any] | None:
        """Send one command and return the worker's report, or ``None`` if the worker died."""
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps(command) + "\n")
            self.process.stdin.flush()
        except OSError:
            self._print_failure()
            return None
        return self._next_report()

    def finish(self) -> dict[str, Any] | None:
        """Tell the worker it is done and return its final report."""
        return self.command({"op": "done"})

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._stderr.close()

    def _next_report(self) -> dict[str, Any] | None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith(RESULT_PREFIX):
                return json.loads(line[len(RESULT_PREFIX):])
        self._print_failure()
        return None

    def _print_failure(self) -> None:
        self.process.wait()
        self._stderr.seek(0)
        print("!! %s side failed (exit %s): %s" % (self.side, self.process.returncode, self._stderr.read()[-1500:]))


def report(result: dict[str, Any]) -> None:
    """Called by a worker: hand ``result`` to the orchestrator."""
    sys.stdout.write(RESULT_PREFIX + json.dumps(result) + "\n")
    sys.stdout.flush()


def note(message: str) -> None:
    """Progress line on stderr (shown by the orchestrator only on failure)."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def worker_config(argv: Sequence[str]) -> dict[str, Any] | None:
    """The config dict if this process was started as a worker, else ``None``."""
    if len(argv) >= 3 and argv[1] == "--worker":
        return json.loads(argv[2])
    return None


# ---------------------------------------------------------------- helper processes

class ServerProcess:
    """A helper server in its own process (its CPU is not the client's).

    The command must print a line containing ``http://host:port`` on stdout
    once it listens; ``url`` holds the first such URL seen.
    """

    URL_PATTERN = re.compile(r"(https?://[\w.\-]+:\d+)")

    def __init__(self, command: Sequence[str], env: dict[str, str] | None = None,
                 cwd: str | None = None, startup_timeout: float = 120.0) -> None:
        self.command = list(command)
        # stderr goes to a file, not a pipe: a chatty server must never block on a full pipe.
        self._stderr = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=self._stderr,
                                        text=True, env=env or clean_env(), cwd=cwd)
        self.output: list[str] = []
        self.line = ""
        self.url = self._wait_for_url(startup_timeout)

    def _wait_for_url(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output.append(line)
            match = self.URL_PATTERN.search(line)
            if match:
                self.line = line.strip()
                return match.group(1)
        self.stop()
        raise RuntimeError("server %r did not report its URL:\n%s%s" % (
            " ".join(self.command), "".join(self.output), self.stderr_text()[-4000:]))

    def stderr_text(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()

    def __enter__(self) -> "ServerProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# ---------------------------------------------------------------- measuring

def current_rss_bytes() -> int:
    """Resident set size of this process now (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds used so far by process ``pid`` (Linux /proc; None elsewhere)."""
    try:
        with open("/proc/%d/stat" % pid) as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def peak_rss_bytes() -> int:
    """High-water mark of this process's resident set (``ru_maxrss``)."""
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def time_calls(call: Callable[[int], Any], min_calls: int, max_calls: int, budget_s: float,
               clock: Callable[[], float] = time.perf_counter) -> list[float]:
    """Call ``call(i)`` repeatedly (at least ``min_calls``, at most ``max_calls``, until
    ``budget_s`` wall seconds are spent) and return each call's duration by ``clock``.

    Pass ``clock=time.process_time`` for CPU-bound work on a shared machine:
    time spent waiting for a core another process holds is then not counted.
    """
    times: list[float] = []
    started = time.perf_counter()
    for i in range(max_calls):
        t0 = clock()
        call(i)
        times.append(clock() - t0)
        if i + 1 >= min_calls and time.perf_counter() - started >= budget_s:
            break
    return times


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile (nearest rank) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered) - 1e-9) - 1))
    return ordered[index]


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


# ---------------------------------------------------------------- tables

def ratio(ours: float | None, reference: float | None) -> float | None:
    if ours is None or reference is None or reference == 0:
        return None
    return ours / reference


def verdict(value: float | None, target: float, higher_is_better: bool = False) -> str:
    if value is None:
        return "n/a"
    ok = value >= target if higher_is_better else value <= target
    return "PASS" if ok else "MISS"


def fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        if unit == "ms":
            return "%.3f ms" % value if value < 1 else "%.1f ms" % value
        if unit == "s":
            return "%.3f s" % value
        if unit == "MB":
            return "%.1f MB" % value
        if unit == "x":
            return "%.3f" % value
        return "%.4g%s" % (value, (" " + unit) if unit else "")
    return "%s%s" % (value, (" " + unit) if unit else "")


def machine_note() -> str:
    """Cores and load average now: the context a reader needs to trust a figure from a shared machine."""
    try:
        load = "load average %.1f / %.1f / %.1f (1/5/15 min)" % os.getloadavg()
    except OSError:
        load = "load average unknown"
    return "(%d cores, %s)" % (os.cpu_count() or 0, load)


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Print a plain-text table and return it (run_all collects them)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [title, "=" * len(title), machine_note()]
    for n, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    text = "\n".join(lines) + "\n"
    print(text)
    sys.stdout.flush()
    return text


def comparison_row(label: str, ours: float | None, reference: float | None, unit: str,
                   target: float | None, target_text: str | None = None) -> list[str]:
    """A row: label, ours, reference, ratio ours/reference, target, PASS/MISS."""
    r = ratio(ours, reference)
    if target is None:
        return [label, fmt(ours, unit), fmt(reference, unit), fmt(r, "x"), "-", "-"]
    return [label, fmt(ours, unit), fmt(reference, unit), fmt(r, "x"),
            target_text or ("<= %.2f" % target), verdict(r, target)]


COMPARISON_HEADERS = ("measure", "ours", "reference", "ours/ref", "target", "result")


# ---------------------------------------------------------------- our local site

def start_local_site(*options: str) -> tuple[ServerProcess, dict[str, Any]]:
    """Start our local site (``local_site_server.py`` in our venv, its own process).

    Returns the process and ``{"url", "script_name", "api_key", ...}``; stop it with ``.stop()``.
    """
    server = ServerProcess([str(ours_python()), str(BENCH_DIR / "local_site_server.py"), *options],
                           cwd=str(BENCH_DIR))
    marker = "LOCAL-SITE "
    if not server.line.startswith(marker):
        server.stop()
        raise RuntimeError("unexpected first line from the local site: %r" % server.line)
    return server, json.loads(server.line[len(marker):])
