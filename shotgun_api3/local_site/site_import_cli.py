"""``shotgun-local-site import``: its options, its progress display and its report (``site_import`` copies)."""
from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import Any, Callable, Dict, Optional, TextIO

#: Environment variables read when the matching option is not given (keys stay out of `ps` and shell history).
CREDENTIAL_VARIABLES = (("script_name", "SHOTGUN_SCRIPT_NAME"), ("api_key", "SHOTGUN_API_KEY"),
                        ("login", "SHOTGUN_LOGIN"), ("password", "SHOTGUN_PASSWORD"))
BAR_WIDTH = 30
LOG = logging.getLogger("shotgun_api3")


def add_import_parser(commands: Any, site_option: Callable[[Any], None], run: Callable[[Any], int]) -> None:
    """Add the ``import`` command, run by ``run``, to the CLI's sub-parsers."""
    sub = commands.add_parser(
        "import", help="copy a schema and records from a site URL or a fixture file into a site",
        description="Copy the schema and the selected records of SOURCE (a site URL, or a fixture file written "
                    "by `export`) into the site in DIR, made when absent. Resumes an interrupted import; a "
                    "repeated one changes only what changed at the source. See docs: Bringing a site home.")
    sub.add_argument("source", metavar="SOURCE", help="https://... site URL, or a fixture file")
    site_option(sub)
    sub.add_argument("--project", metavar="NAME|ID", help="copy the project and the records that link to it")
    sub.add_argument("--type", dest="types", action="append", default=[], metavar="TYPE",
                     help="copy this entity type (repeatable; default: every type, or every project type)")
    sub.add_argument("--filter", metavar="JSON", help="a find filter list every selected type must match, as JSON")
    sub.add_argument("--fields", metavar="F1,F2", help="copy only these fields (default: every field)")
    sub.add_argument("--links", choices=("keep", "drop"), default="keep",
                     help="links to records not copied: keep them (with their names) or drop them "
                          "(default: keep)")
    sub.add_argument("--retired", action="store_true", help="copy retired records too")
    sub.add_argument("--files", action="store_true",
                     help="copy the uploaded files and thumbnails of the copied records too (a site URL source)")
    sub.add_argument("--max-file-mb", type=float, default=None, metavar="MB",
                     help="with --files, leave out files larger than this (their fields stay empty)")
    sub.add_argument("--anonymise", "--anonymize", dest="anonymise", action="store_true",
                     help="replace people's names, emails and logins and free-text fields by stable fakes")
    for option, what in (("script-name", "script name"), ("api-key", "API key"), ("login", "user login"),
                         ("password", "user password")):
        variable = dict(CREDENTIAL_VARIABLES)[option.replace("-", "_")]
        sub.add_argument("--" + option, metavar=what.split()[-1].upper(),
                         help="the source site's %s (default: $%s)" % (what, variable))
    sub.set_defaults(run=run)


def credentials(args: argparse.Namespace, environ: Dict[str, str] = os.environ) -> Dict[str, str]:
    """The source credentials from the options, else from the environment; a user's password is prompted for."""
    found = {}
    for name, variable in CREDENTIAL_VARIABLES:
        value = getattr(args, name, None) or environ.get(variable)
        if value:
            found[name] = value
    if "login" in found and "password" not in found and sys.stdin.isatty():
        found["password"] = getpass.getpass("Password for %s: " % found["login"])
    return found


class ProgressDisplay:
    """Records per type: a line per type when it is done, and a bar while it runs on a terminal."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.terminal = out.isatty()

    def __call__(self, entity_type: str, done: int, total: int) -> None:
        if self.terminal and total:
            filled = BAR_WIDTH * done // total
            self.out.write("\r  %-24s [%s%s] %d/%d" % (entity_type, "#" * filled, "." * (BAR_WIDTH - filled),
                                                       done, total))
            if done >= total:
                self.out.write("\n")
            self.out.flush()
        elif done >= total and total:
            print("  %-24s %d records" % (entity_type, total), file=self.out, flush=True)


class ImportFailed(Exception):
    """The import cannot run or stopped; the CLI prints it without a traceback."""


class ImportInterrupted(ImportFailed):
    """The import stopped partway (the source failed); the folder and its journal stay, to resume."""


def run_import(args: argparse.Namespace, exclusive_site: Callable[..., Any]) -> int:
    """Run ``import`` as parsed; ``exclusive_site`` is the CLI's site-folder lock."""
    from .import_sources import SourceError, open_source
    from .site import DATABASE_NAME, SiteError
    from .site_import import ImportOptions, ImportRefused, SiteImporter, open_or_create_site

    try:
        filters = json.loads(args.filter) if args.filter else []
    except ValueError as error:
        raise ImportFailed("--filter is not JSON: %s" % error) from None
    if not isinstance(filters, list):
        raise ImportFailed("--filter is a JSON list of conditions, e.g. '[[\"code\", \"starts_with\", \"sh\"]]'")
    fields = [name.strip() for name in (args.fields or "").split(",") if name.strip()]
    try:
        options = ImportOptions(args.project, args.types, filters, fields, args.links, args.retired, args.anonymise,
                                args.files, args.max_file_mb)
        source = open_source(args.source, credentials(args))
    except (SourceError, ImportRefused) as error:
        raise ImportFailed(str(error)) from None
    folder = Path(args.site)
    new_folder = not folder.exists()
    try:
        with exclusive_site(folder, "import into it", create=True):
            made = not (folder / DATABASE_NAME).exists()
            try:
                site = open_or_create_site(folder, source.schema_dicts())
            except SiteError as error:
                raise ImportFailed(str(error)) from None
            try:
                print("Importing %s into %s%s" % (source.describe(), folder, " (a new site)" if made else ""),
                      flush=True)
                report = SiteImporter(site, source, options, ProgressDisplay(sys.stdout)).run()
            except (SourceError, ImportRefused) as error:
                raise ImportFailed(str(error)) from None
            except Exception as error:  # a source's fault (a bad filter, a lost connection): one line
                LOG.debug("import failed", exc_info=True)
                raise ImportInterrupted("%s (run the same command again to resume)" % error) from None
            finally:
                site.close()
    except ImportFailed as error:
        if new_folder and not isinstance(error, ImportInterrupted):
            shutil.rmtree(folder, ignore_errors=True)  # a refused import leaves no new folder behind
        raise
    finally:
        source.close()
    print_report(report, folder if made else None)
    return 0


def print_report(report: Any, new_site: Optional[Path]) -> None:
    """The summary line, the moved ids, and (for a site made now) how to connect to it."""
    new, updated, unchanged = report.count("new"), report.count("updated"), report.count("unchanged")
    print("%s: %d new, %d updated, %d unchanged records; %d schema definitions added or changed"
          % ("Resumed and finished" if report.resumed else "Done", new, updated, unchanged, report.schema_changes))
    if report.files:
        files = report.files
        print("  files: %d copied (%.1f MiB), %d over --max-file-mb, %d missing at the source, %d thumbnails "
              "still being processed at the source" % (files["files"], files["bytes"] / 1048576.0, files["over_cap"],
                                                files["missing"], files["thumbnails_not_copied"]))
    for entity_type, offset in sorted(report.offsets.items()):
        print("  ids of %s moved by +%d (source id N is id N+%d here)" % (entity_type, offset, offset))
    if new_site is not None:
        print("Add a script to connect:  shotgun-local-site add-script NAME --site %s" % new_site)
