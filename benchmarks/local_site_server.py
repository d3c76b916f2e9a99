"""Start our local site for a benchmark, in this process, and print how to reach it.

Run with the interpreter of the repository's ``.venv``. It makes a site in a
temporary folder (SQLite store, files on disk; ``--in-memory`` for a
throwaway store), adds an API script, serves on 127.0.0.1 with an ephemeral
port, and prints one line ``LOCAL-SITE {"url": ..., "script_name": ...,
"api_key": ...}``. It stops (finishing requests in flight) on SIGTERM or
SIGINT and removes the temporary folder. Only the public local-site API is
used: ``Site.create`` / ``Site.in_memory``, ``Site.add_script``,
``Site.server_info``, ``Site.anonymous_downloads``, ``LocalSiteServer`` and
``tune_garbage_collector`` (see docs/local_site.rst and docs/files.rst).
"""
from __future__ import annotations

import argparse
import json
import shutil
import signal
import sys
import tempfile
import threading

SCRIPT_NAME = "bench"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--in-memory", action="store_true", help="keep the site in memory (no SQLite file)")
    parser.add_argument("--max-request-mb", type=int, default=0,
                        help="request size limit of the site in MB (default: the site's own)")
    parser.add_argument("--direct-uploads", action="store_true",
                        help="announce direct-to-storage uploads in info (the emulated storage route)")
    parser.add_argument("--anonymous-downloads", action="store_true",
                        help="serve downloads without the session cookie (the reference client sends none "
                             "to a URL with a port)")
    parser.add_argument("--profile", metavar="FILE",
                        help="profile every server thread; write a summary to FILE when stopped")
    args = parser.parse_args(argv)
    profilers = start_thread_profiling() if args.profile else None

    from shotgun_api3.local_site.server import LocalSiteServer, tune_garbage_collector
    from shotgun_api3.local_site.site import Site

    options = {}
    if args.max_request_mb:
        options["max_request_bytes"] = args.max_request_mb * 1024 * 1024
    folder = None
    if args.in_memory:
        site = Site.in_memory(**options)
    else:
        folder = tempfile.mkdtemp(prefix="bench-local-site-")
        site = Site.create(folder + "/site", **options)
    _, key = site.add_script(SCRIPT_NAME)
    if args.direct_uploads:
        site.server_info["s3_direct_uploads_enabled"] = True
        site.server_info["s3_enabled_upload_types"] = {"*": "*"}
    if args.anonymous_downloads:
        site.anonymous_downloads = True
    server = LocalSiteServer(site, host="127.0.0.1", port=0)
    tune_garbage_collector()  # as `shotgun-local-site serve` does
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    server.start()
    print("LOCAL-SITE " + json.dumps({"url": server.url, "script_name": SCRIPT_NAME, "api_key": key,
                                      "folder": folder}), flush=True)
    try:
        stop.wait()
    finally:
        server.stop()
        site.close()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        if profilers is not None:
            write_profile(profilers, args.profile)
    return 0


def start_thread_profiling() -> list:
    """Give every thread started from now on its own cProfile profiler.

    cProfile only sees the thread that enabled it; the server answers on its
    own threads, so each one enables a profiler on its first call.
    """
    import cProfile

    profilers: list = []

    def enable_here(*_: object) -> None:
        profiler = cProfile.Profile()
        profilers.append(profiler)
        profiler.enable()  # replaces this hook for the thread

    threading.setprofile(enable_here)
    return profilers


def write_profile(profilers: list, path: str) -> None:
    import io
    import pstats

    threading.setprofile(None)
    out = io.StringIO()
    stats = None
    for profiler in profilers:
        try:
            if stats is None:
                stats = pstats.Stats(profiler, stream=out)
            else:
                stats.add(profiler)
        except (TypeError, ValueError):  # a thread that never made a call
            continue
    if stats is None:
        out.write("no server thread was profiled\n")
    else:
        stats.sort_stats("tottime").print_stats(20)
        stats.sort_stats("cumulative").print_stats(25)
    with open(path, "w") as handle:
        handle.write(out.getvalue())


if __name__ == "__main__":
    sys.exit(main())
