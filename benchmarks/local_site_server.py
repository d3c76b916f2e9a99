"""Start our local site for a benchmark, in this process, and print how to reach it.

Run with the interpreter of the repository's ``.venv``. It makes a site in a
temporary folder (SQLite store, files on disk; ``--in-memory`` for a
throwaway store), adds an API script, serves on 127.0.0.1 with an ephemeral
port, and prints one line ``LOCAL-SITE {"url": ..., "script_name": ...,
"api_key": ...}``. It stops (finishing requests in flight) on SIGTERM or
SIGINT and removes the temporary folder. Only the public local-site API is
used: ``Site.create`` / ``Site.in_memory``, ``Site.add_script``,
``Site.server_info``, ``Site.anonymous_downloads`` and ``LocalSiteServer``
(see docs/local_site.rst and docs/files.rst).
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
    args = parser.parse_args(argv)

    from shotgun_api3.local_site.server import LocalSiteServer
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
