"""The ``shotgun-local-site`` command line (also ``python -m shotgun_api3.local_site``)."""
from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, List, Optional
from urllib.parse import quote

if TYPE_CHECKING:
    from .site import Site

DEFAULT_PORT = 8090
#: Seconds ``serve`` lets a new thumbnail stay transient (a hosted site takes a few).
DEFAULT_THUMBNAIL_PROCESSING = 1.0
LOCK_NAME = "site.lock"


class CommandError(Exception):
    """A command cannot run as asked; printed without a traceback."""


class SiteInUse(CommandError):
    """Another process (a running ``serve``) holds the site folder's lock."""


def _require_site_folder(folder: Path) -> None:
    """Refuse a folder that holds no site, before anything is made in it."""
    from .site import DATABASE_NAME

    if not (folder / DATABASE_NAME).exists():
        raise CommandError("%s is not a site folder (no %s); create it with `init`" % (folder, DATABASE_NAME))


@contextlib.contextmanager
def exclusive_site(folder: Path, purpose: str, create: bool = False) -> Iterator[None]:
    """Hold the site folder's lock: one process at a time owns a site's engine.

    A second process working on the same folder would keep its own copy of
    the tables in memory and hand out the same ids twice. Only with
    ``create`` (``init``) may the folder be made; otherwise a folder without
    a site is refused before the lock file is written.
    """
    if not create:
        _require_site_folder(folder)
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; the guide says to stop the server first
        yield
        return
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(folder / LOCK_NAME, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise SiteInUse("the site in %s is in use by another process (a running `serve`?); "
                            "stop it before you %s" % (folder, purpose)) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _open_site(folder: str):
    from .site import Site, SiteError

    try:
        return Site.open(folder)
    except SiteError as error:
        raise CommandError(str(error)) from None


@contextlib.contextmanager
def _locked_site(folder: str, purpose: str, explain: str = "%s") -> Iterator[Site]:
    """The site in ``folder``, opened under its lock and closed after; a ``SiteError`` becomes a ``CommandError``.

    ``explain`` is the message, with ``%s`` standing for the site's error.
    """
    from .site import SiteError

    with exclusive_site(Path(folder), purpose):
        site = _open_site(folder)
        try:
            yield site
        except SiteError as error:
            raise CommandError(explain % error) from None
        finally:
            site.close()


def cmd_init(args) -> int:
    from .site import DATABASE_NAME, Site, SiteError, _schema_dicts

    folder = Path(args.site)
    # Every refusal comes before the folder (or its lock file) is made.
    if (folder / DATABASE_NAME).exists():
        raise CommandError("%s already holds a site" % folder)
    if folder.exists() and not folder.is_dir():
        raise CommandError("%s exists and is not a folder" % folder)
    if args.schema:
        try:
            _schema_dicts(args.schema)
        except (OSError, ValueError) as error:
            raise CommandError("cannot read the schema in %s: %s" % (args.schema, error)) from None
    made = not folder.exists()
    try:
        _init_site(folder, args)
    except BaseException:
        if made:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    print("Start it with:  shotgun-local-site serve --site %s" % folder)
    return 0


def _init_site(folder: Path, args) -> None:
    from .site import Site, SiteError

    with exclusive_site(folder, "initialise it", create=True):
        try:
            site = Site.create(folder, args.schema)
        except (SiteError, OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        try:
            site.add_default_pages()
            print("Created a local site in %s" % folder.resolve())
            if args.script:
                _, key = site.add_script(args.script, can_sudo=True)
                print("Script (may sudo_as_login): script_name=%s  api_key=%s" % (args.script, key))
        finally:
            site.close()


def _account_command(folder: str, operation: str, arguments: dict) -> dict:
    """Run an account command on the site in ``folder``: in place, or sent to the ``serve`` that holds it."""
    from . import admin

    try:
        with exclusive_site(Path(folder), operation.replace("_", " ")):
            site = _open_site(folder)
            try:
                return admin.run(site, operation, arguments)
            finally:
                site.close()
    except SiteInUse:
        pass
    except admin.AdminError as error:
        raise CommandError(str(error)) from None
    try:
        return admin.request(Path(folder), operation, arguments)
    except admin.AdminError as error:
        raise CommandError(str(error)) from None


def cmd_add_script(args) -> int:
    result = _account_command(args.site, "add_script", {"name": args.name, "key": args.key,
                                                         "allow_sudo": args.allow_sudo})
    print("Script added: script_name=%s  api_key=%s%s" % (args.name, result["key"],
                                                         "  (may sudo_as_login)" if args.allow_sudo else ""))
    return 0


def cmd_account_switch(args) -> int:
    operation = "%s_%s" % (args.action, args.kind)
    _account_command(args.site, operation, {"name": args.name})
    done = {"disable": "disabled (its credentials are refused, its sessions ended)", "enable": "enabled again",
            "remove": "removed (its credentials are gone; its %s record stays)"
                      % ("ApiUser" if args.kind == "script" else "HumanUser")}[args.action]
    print("%s %s %s" % (args.kind.capitalize(), args.name, done))
    return 0


def cmd_add_user(args) -> int:
    password = args.password
    if password is None:
        password = getpass.getpass("Password for %s: " % args.login)
        if password != getpass.getpass("Again: "):
            raise CommandError("the passwords do not match")
    _require_site_folder(Path(args.site))
    result = _account_command(args.site, "add_user", {
        "login": args.login, "password": password, "name": args.name, "two_factor": args.two_factor,
        "allow_sudo": args.allow_sudo, "email": args.email})
    entity, totp_secret = result["entity"], result["totp_secret"]
    print("HumanUser %d added: login=%s (password as given)" % (entity["id"], args.login))
    if totp_secret:
        print("Two-factor secret (add it to an authenticator app): %s" % totp_secret)
        print("  otpauth://totp/local-site:%s?secret=%s&issuer=local-site" % (quote(args.login), totp_secret))
    return 0


def cmd_serve(args) -> int:
    from .admin import AdminListener
    from .limits import Limits
    from .server import LocalSiteServer, tune_garbage_collector

    if bool(args.tls_cert) != bool(args.tls_key):
        raise CommandError("--tls-cert and --tls-key go together")
    folder = Path(args.site)
    with exclusive_site(folder, "serve it again"):
        site = _open_site(args.site)
        site.anonymous_downloads = args.anonymous_downloads
        site.thumbnail_processing_seconds = max(0.0, args.thumbnail_processing)
        try:
            limits = Limits(max_connections=args.max_connections, idle_timeout=args.idle_timeout)
            site.max_request_bytes = int(args.max_request_mb * 1024 * 1024)
            site.memory_mb = args.memory_mb
            server = LocalSiteServer(site, args.host, args.port, args.tls_cert, args.tls_key, args.public_url,
                                     limits=limits)
        except OSError as error:
            site.close()
            raise CommandError("cannot listen on %s:%s: %s" % (args.host, args.port, error)) from None
        tune_garbage_collector()
        commands = AdminListener(site, folder)
        commands.start()
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        server.start()
        print("Local site serving %s at %s" % (folder.resolve(), server.url), flush=True)
        print("  scripts: %s" % (", ".join(sorted(site.accounts.scripts)) or "none (add one with add-script)"))
        if args.anonymous_downloads:
            print("  downloads: served without a session cookie (--anonymous-downloads)")
        print("  users:   %s" % (", ".join(sorted(site.accounts.users)) or "none (add one with add-user)"))
        print("  pages:   %s/ (a user logs in there to browse records, the event log and the schema)" % server.url)
        print("Connect with shotgun_api3.Shotgun(%r, script_name=..., api_key=...). Ctrl-C stops." % server.url,
              flush=True)
        while not stop.wait(0.5):
            pass
        print("Stopping: finishing requests in flight...", flush=True)
        server.stop()
        commands.stop()
        site.close()
    return 0


def cmd_compact_events(args) -> int:
    from .event_archive import archive_events
    from .site import SiteError, _open_store

    if args.keep < 1:
        # The newest entry stays: the next event's id is one above the highest stored.
        raise CommandError("--keep must be 1 or more (the newest event keeps the ids counting up)")
    folder = Path(args.site)
    with exclusive_site(folder, "compact its event log"):
        try:
            store = _open_store(folder)
        except SiteError as error:
            raise CommandError(str(error)) from None
        try:
            done = archive_events(store, folder, keep=args.keep, reclaim=not args.no_vacuum)
        finally:
            store.close()
    if not done["archived"]:
        print("Nothing to archive: the site holds at most %d event log entries." % args.keep)
    else:
        print("Archived %d event log entries (ids %d to %d) to %s; the newest %d stay in the site."
              % (done["archived"], done["first_id"], done["last_id"], done["file"], args.keep))
    return 0


def cmd_seed_demo(args) -> int:
    from .demo import seed_site

    explain = "%s: the demo needs a site without its script and user (seed a fresh site)"
    with _locked_site(args.site, "seed it", explain) as site:
        for line in seed_site(site):
            print(line)
    return 0


def cmd_demo(args) -> int:
    from .demo import run_demo

    return run_demo(keep=args.keep)


def cmd_export(args) -> int:
    from .site_export import export_site

    with _locked_site(args.site, "export it") as site:
        if args.output in (None, "-"):
            count = export_site(site, sys.stdout)
        else:
            with open(args.output, "w", encoding="utf-8", newline="\n") as handle:
                count = export_site(site, handle)
            print("Exported the schema and %d records of %s to %s" % (count, args.site, args.output))
    return 0


def cmd_import(args) -> int:
    from .site_import_cli import ImportFailed, run_import

    try:
        return run_import(args, exclusive_site)
    except ImportFailed as error:
        raise CommandError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shotgun-local-site",
        description="Run a Flow Production Tracking site on this machine: the wire protocol of a hosted site "
                    "over HTTP(S), data in SQLite in a site folder, real script keys and user passwords.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log requests and errors to stderr")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    def site_option(sub):
        sub.add_argument("--site", required=True, metavar="DIR", help="the site folder")

    init = commands.add_parser("init", help="create a site folder from a schema",
                               description="Create a site folder: the SQLite database with the site schema and a "
                                           "first script whose key is printed.")
    site_option(init)
    init.add_argument("--schema", metavar="DIR", help="folder with schema.json and schema_entity.json "
                                                      "(default: the real site schema shipped with shotgun_api3)")
    init.add_argument("--script", default="local_admin", metavar="NAME",
                      help="name of a first script, allowed to sudo_as_login (default: local_admin; '' for none)")
    init.set_defaults(run=cmd_init)

    serve = commands.add_parser("serve", help="serve a site folder over HTTP(S)",
                                description="Serve a site until Ctrl-C or SIGTERM; requests in flight finish first.")
    site_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default: %d; 0 picks one)" % DEFAULT_PORT)
    serve.add_argument("--public-url", metavar="URL",
                       help="the URL clients reach the site at, used in the file URLs it hands out "
                            "(default: scheme://HOST:PORT; set it when HOST is 0.0.0.0)")
    serve.add_argument("--tls-cert", metavar="PEM", help="certificate (chain) file: serve HTTPS")
    serve.add_argument("--tls-key", metavar="PEM", help="private key file of --tls-cert")
    serve.add_argument("--thumbnail-processing", type=float, default=DEFAULT_THUMBNAIL_PROCESSING, metavar="SECONDS",
                       help="a new thumbnail shows the transient placeholder this long before its final URL, as a "
                            "hosted site processes images (default: %(default)s; 0: final at once)")
    serve.add_argument("--max-connections", type=int, default=512, metavar="N",
                       help="connections served at once (default: %(default)s); see docs: Security and limits")
    serve.add_argument("--idle-timeout", type=float, default=300.0, metavar="SECONDS",
                       help="how long a kept-alive connection may wait for its next request (default: %(default)s)")
    serve.add_argument("--max-request-mb", type=float, default=50.0, metavar="MB",
                       help="largest JSON API request body in MiB (default: %(default)s)")
    serve.add_argument("--memory-mb", type=float, default=None, metavar="MB",
                       help="MiB the records held in memory may take; the tables scanned least recently are let go "
                            "first and read again when needed (default: 1.5 times the database's size, at least 512)")
    serve.add_argument("--anonymous-downloads", action="store_true",
                       help="serve /file_serve/ downloads without a session cookie (the reference client sends "
                            "none to a site URL with a port); anyone who can reach the port can then download")
    serve.set_defaults(run=cmd_serve)

    script = commands.add_parser("add-script", help="add an API script (ApiUser) and print its key",
                                 description="Add an ApiUser that authenticates with script_name/api_key.")
    site_option(script)
    script.add_argument("name", help="the script name (script_name in Shotgun(...))")
    script.add_argument("--key", help="use this API key instead of a random one")
    script.add_argument("--allow-sudo", action="store_true", help="allow sudo_as_login for this script")
    script.set_defaults(run=cmd_add_script)

    user = commands.add_parser("add-user", help="add a HumanUser who logs in with a password",
                               description="Add an active HumanUser that authenticates with login/password.")
    site_option(user)
    user.add_argument("login", help="the user's login")
    user.add_argument("--password", help="the password (prompted for when absent)")
    user.add_argument("--name", help="full name, 'First Last' (default: the login)")
    user.add_argument("--email", help="email address (default: LOGIN@localhost)")
    user.add_argument("--2fa", dest="two_factor", action="store_true",
                      help="turn on two-factor authentication; prints the TOTP secret")
    user.add_argument("--allow-sudo", action="store_true", help="allow sudo_as_login for this user")
    user.set_defaults(run=cmd_add_user)

    for action, explain in (("disable", "refuse its credentials (and end its sessions) until enabled again"),
                            ("enable", "accept its credentials again"),
                            ("remove", "forget its credentials; its entity record stays")):
        for kind, what in (("script", "NAME"), ("user", "LOGIN")):
            sub = commands.add_parser("%s-%s" % (action, kind), help="%s a %s: %s" % (action, kind, explain),
                                      description="%s a %s: %s. Works while the site is served."
                                                  % (action.capitalize(), kind, explain))
            site_option(sub)
            sub.add_argument("name", metavar=what)
            sub.set_defaults(run=cmd_account_switch, action=action, kind=kind)

    compact = commands.add_parser("compact-events", help="archive old event log entries out of a site",
                                  description="Keep the newest event log entries in the site and move the older "
                                              "ones to a gzip JSON-lines file in <site>/event_archive/ (docs: "
                                              "Local site). Stop the server first.")
    site_option(compact)
    compact.add_argument("--keep", type=int, default=100000, metavar="N",
                         help="event log entries kept in the site (default: 100000)")
    compact.add_argument("--no-vacuum", action="store_true",
                         help="do not give the freed space back to the file system (VACUUM takes a while)")
    compact.set_defaults(run=cmd_compact_events)

    seed = commands.add_parser("seed-demo", help="fill a site with a small demo project",
                               description="Create a demo project with sequences, shots, assets, tasks, versions "
                                           "and notes.")
    site_option(seed)
    seed.set_defaults(run=cmd_seed_demo)

    export = commands.add_parser("export", help="write a site's schema and records as a JSON fixture",
                                 description="Write the schema and every record of a site as a versioned, "
                                             "diff-friendly JSON fixture (docs: Fixtures); `import` and "
                                             "mockgun.Shotgun.from_fixture read it.")
    site_option(export)
    export.add_argument("--output", metavar="FILE", help="the fixture file (default: standard output)")
    export.set_defaults(run=cmd_export)

    from .site_import_cli import add_import_parser

    add_import_parser(commands, site_option, cmd_import)

    demo = commands.add_parser("demo", help="run the demo pipeline against an embedded site",
                               description="Start a local site in a temporary folder, run an example pipeline "
                                           "through shotgun_api3.Shotgun over HTTP, print a report, stop.")
    demo.add_argument("--keep", action="store_true", help="keep the temporary site folder and print its path")
    demo.set_defaults(run=cmd_demo)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(asctime)s %(levelname)s %(message)s")
        # The client module keeps this logger at WARNING (as the reference
        # does); -v wants the server's one line per request.
        logging.getLogger("shotgun_api3").setLevel(logging.DEBUG)
    try:
        return args.run(args)
    except CommandError as error:
        print("shotgun-local-site %s: error: %s" % (args.command, error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
