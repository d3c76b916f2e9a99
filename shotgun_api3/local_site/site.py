"""A local site: the engine, its SQLite store, the accounts, and the files, in one folder.

``Site.create(folder)`` makes a site folder from a schema, ``Site.open(folder)``
reopens it with everything it held, ``Site.in_memory()`` makes a throwaway
site for tests. The HTTP server (``local_site.server``) and the file routes
(``local_site.transfer``) use a Site through ``call``, ``authenticate`` and
``session_from_cookie``.
"""
from __future__ import annotations

import functools
import gc
import json
import logging
import os
import stat
import secrets
import threading
from pathlib import Path
from typing import Any, Mapping, Optional, Union

from .._engine import CallContext, Engine, EngineFault, SiteSchema
from .._engine.files.internal import files_context
from .._engine.store.file_store import FileStore
from .._engine.files.thumbnails import FINISH_THUMBNAILS
from .auth import AUTHENTICATION_FAILED, Accounts, AuthError, new_totp_secret
from .throttle import AuthLimits
from .relocation import file_link_mover, relocate_file_urls
from .._engine.store.sqlite_store import SqliteStore, StoreVersionError

LOG = logging.getLogger("shotgun_api3")

DEFAULT_SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_SCHEMA_ADDITIONS = "local_site_additions.json"
DATABASE_NAME = "site.sqlite3"
FILES_DIR = "files"
DEFAULT_MAX_REQUEST_BYTES = 50 * 1024 * 1024
#: ``(name, entity type)`` of the global Pages ``init`` makes.
DEFAULT_PAGES = (("Projects", "Project"), ("People", "HumanUser"), ("Scripts", "ApiUser"), ("My Tasks", "Task"),
                 ("Media", "Version"), ("Inbox", "Note"))
#: Site state: the address the site's file links were last made with.
FILES_URL_STATE = "files_url"
#: The records a site holds in memory may take this many times its database's size (the
#: process stays under twice it), and at least MIN_MEMORY_MB; ``serve --memory-mb`` sets it.
MEMORY_PER_DATABASE_BYTE = 1.5
MIN_MEMORY_MB = 512
#: How often (in calls) the site checks the memory its records take, besides after a call
#: that read a table whole.
TRIM_EVERY_CALLS = 256
#: After a call that leaves this many more young container objects, they are frozen (Site.freeze_survivors).
FREEZE_AFTER_OBJECTS = 5_000


class SiteError(Exception):
    """A site folder cannot be created or opened as asked."""


@functools.lru_cache(maxsize=4)
def _read_schema_dir(schema_dir: str) -> dict:
    # Cached: tests make many sites from the same files. The dicts are only
    # serialised into the store, never changed.
    return _load_schema_dir(Path(schema_dir))


def _schema_dicts(schema_dir: Union[str, Path]) -> dict:
    """The schema files of ``schema_dir`` in the form the store keeps (``SiteSchema.to_dicts()``)."""
    return _read_schema_dir(str(Path(schema_dir).resolve()))


def _load_schema_dir(schema_dir: Path) -> dict:
    with open(schema_dir / "schema.json", encoding="utf-8") as handle:
        schema = json.load(handle)
    with open(schema_dir / "schema_entity.json", encoding="utf-8") as handle:
        schema_entity = json.load(handle)
    if schema_dir == DEFAULT_SCHEMA_DIR:
        # The shipped schema is an older site's that lacks entity types every
        # hosted site has today (Ticket, Tag); a new local site gets them too.
        with open(schema_dir / DEFAULT_SCHEMA_ADDITIONS, encoding="utf-8") as handle:
            additions = json.load(handle)
        for entity_type, fields in additions["schema"].items():
            schema.setdefault(entity_type, fields)
        for entity_type, properties in additions["schema_entity"].items():
            schema_entity.setdefault(entity_type, properties)
    return {"schema": schema, "schema_entity": schema_entity}


def make_private(folder: Path) -> None:
    """Make a site folder, its database (and companions) and its files folder readable by their owner only."""
    _chmod(folder, 0o700)
    for name in (DATABASE_NAME, DATABASE_NAME + "-wal", DATABASE_NAME + "-shm"):
        _chmod(folder / name, 0o600)
    _chmod(folder / FILES_DIR, 0o700)


def _chmod(path: Path, mode: int) -> None:
    try:
        if stat.S_IMODE(path.stat().st_mode) != mode:
            os.chmod(path, mode)
    except FileNotFoundError:
        pass
    except OSError as error:  # not our file (a shared folder): say so, keep going
        LOG.warning("local site: cannot make %s private: %s", path, error)


def _open_store(folder: Path) -> SqliteStore:
    database = folder / DATABASE_NAME
    if not database.exists():
        # Made 0600 before SQLite writes a byte; SQLite gives its -wal and -shm the same mode.
        os.close(os.open(str(database), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        return SqliteStore(database)
    except StoreVersionError as error:
        raise SiteError(str(error)) from None


class Site:
    """One local site: an engine with a write-through store, accounts and files."""

    #: Set by ``server.tune_garbage_collector`` for a process that serves sites: what a call
    #: leaves alive (records written or read, kept for the site's life) is moved out of the
    #: cyclic collector's reach after it, so the collector never walks it again. Calls leave
    #: no cyclic garbage behind (tested), so nothing is kept that would have been freed.
    freeze_survivors = False

    fault_class = EngineFault

    def __init__(self, store: SqliteStore, folder: Optional[Path], schema_dicts: Optional[dict] = None,
                 url: str = "http://127.0.0.1:0", max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
                 auth_limits: Optional[AuthLimits] = None, thumbnail_processing_seconds: float = 0.0,
                 memory_mb: Optional[float] = None) -> None:
        self.folder = folder
        self.store = store
        #: MiB the records held in memory may take (``serve --memory-mb``); None: 1.5 times the
        #: database's size, at least :data:`MIN_MEMORY_MB` (docs/local_site.rst, "A large site").
        self.memory_mb = memory_mb
        self._calls_since_trim = 0
        if folder is not None:
            store.memory_budget = self._memory_budget
        self.max_request_bytes = max_request_bytes
        #: Serve downloads without a session cookie (``serve --anonymous-downloads``): the
        #: reference client sends no cookie to a site URL with a port (docs/site_facts.rst, Uploads and downloads).
        self.anonymous_downloads = False
        #: Seconds a new thumbnail shows the transient placeholder before its final URL,
        #: as a hosted site processes images (``serve --thumbnail-processing``); 0: final at once.
        self.thumbnail_processing_seconds = thumbnail_processing_seconds
        self._thumbnail_timers: set = set()
        self._lock = threading.RLock()
        if not store.has_schema():
            store.save_schema(schema_dicts or _schema_dicts(DEFAULT_SCHEMA_DIR))
        # The engine loads the schema and the tables from the store itself, so
        # the schema given here is an empty placeholder it replaces at once.
        self.engine = Engine(SiteSchema({}, {}), store=store, site_url=url)
        self.engine.reports_field_visibility = True
        self.engine.logs_paired_link_changes = True
        store.schema_source = self._current_schema
        state = store.read_state()
        last_url = (state.get(FILES_URL_STATE) or {}).get("value")
        if last_url:
            # Rows are read as they are needed: each gets the links of the address last served.
            store.row_loaded = file_link_mover(self.engine.schema, last_url)
        # What ``info`` answers, computed once: the engine's description of
        # a site, which the server and the file routes may adjust (e.g. the
        # direct-upload flags) before serving.
        self.server_info = self.engine.call("info", None, CallContext())
        secret = state.pop("secret", None)
        if secret is None:
            secret = {"value": secrets.token_hex(32)}
            store.write_state("secret", secret)
        self.secret = bytes.fromhex(secret["value"])
        self.accounts = Accounts(state, store.write_state, auth_limits=auth_limits)
        # Uploaded bytes: under the site folder, or a temporary folder that
        # close() removes for an in-memory site.
        self.file_store = FileStore(folder / FILES_DIR if folder is not None else None)
        if folder is not None:
            _chmod(folder / FILES_DIR, 0o700)
        self._url = url
        # Thumbnails left transient by a site stopped mid-processing are done now.
        self.finish_thumbnails()

    # -- making and opening sites -------------------------------------------
    @classmethod
    def create(cls, folder: Union[str, Path], schema_dir: Union[str, Path, None] = None, **options) -> "Site":
        """Make a new site folder from the schema in ``schema_dir`` (default: the shipped site schema).

        The folder is private to its owner (0700) and the database file too
        (0600): it holds the TOTP secrets and the key that signs file URLs.
        """
        folder = Path(folder)
        if (folder / DATABASE_NAME).exists():
            raise SiteError("%s already holds a site" % folder)
        # Read the schema first: a refused init leaves nothing behind.
        schema = _schema_dicts(schema_dir or DEFAULT_SCHEMA_DIR)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        make_private(folder)
        return cls(_open_store(folder), folder, schema, **options)

    @classmethod
    def open(cls, folder: Union[str, Path], **options) -> "Site":
        """Reopen an existing site folder with everything it held (migrating an older one forward)."""
        folder = Path(folder)
        if not (folder / DATABASE_NAME).exists():
            raise SiteError("%s is not a site folder (no %s); create it with `init`" % (folder, DATABASE_NAME))
        make_private(folder)
        store = _open_store(folder)
        if store.migrated_from is not None:
            LOG.warning("local site: %s was made by an older release (store version %d); it was migrated forward",
                        folder, store.migrated_from)
        return cls(store, folder, **options)

    @classmethod
    def in_memory(cls, schema_dir: Union[str, Path, None] = None, **options) -> "Site":
        """A site that keeps nothing after it is closed (tests): SQLite in memory, files in a temporary folder."""
        schema = _schema_dicts(schema_dir or DEFAULT_SCHEMA_DIR)
        return cls(SqliteStore(None), None, schema, **options)

    @property
    def lock(self) -> threading.RLock:
        """The lock every use of the engine (and its tables) holds: ``call`` takes it."""
        return self._lock

    def _current_schema(self) -> dict:
        return self.engine.schema.to_dicts()

    @property
    def url(self) -> str:
        return self._url

    @url.setter
    def url(self, value: str) -> None:
        """Set once the server knows its port; the engine builds file URLs from it.

        File links the site made under another address are moved to this one
        first; if that fails, the site keeps its previous address.
        """
        url = value.rstrip("/")
        with self._lock:
            self._move_file_links(url)
            self._url = url
            self.engine.site_url = url

    def _move_file_links(self, url: str) -> None:
        # Rows the store reads from now on are moved as they are read (a row
        # is written back with its moved links by its next change); the rows
        # already in memory are moved and written now.
        self.store.row_loaded = file_link_mover(self.engine.schema, url)
        changed = relocate_file_urls(self.engine, url)
        if changed:
            try:
                self.store.commit({key: row for key, (row, _) in changed.items()}, None)
            except Exception:
                for row, before in changed.values():
                    row.update(before)
                raise
            LOG.info("local site: moved the file links of %d records in memory to %s", len(changed), url)
        if (self.store.read_state().get(FILES_URL_STATE) or {}).get("value") != url:
            self.store.write_state(FILES_URL_STATE, {"value": url})

    def close(self) -> None:
        """Close the database; a temporary file store (in-memory sites) is removed."""
        for timer in list(self._thumbnail_timers):
            timer.cancel()
        self.store.close()
        self.file_store.close()

    # -- thumbnails being processed ---------------------------------------------
    def thumbnail_uploaded(self) -> None:
        """A thumbnail went transient: finish it once the processing time is over."""
        timer = threading.Timer(self.thumbnail_processing_seconds, self._finish_after_timer)
        timer.daemon = True
        with self._lock:
            self._thumbnail_timers.add(timer)
        timer.start()

    def _finish_after_timer(self) -> None:
        with self._lock:
            self._thumbnail_timers.discard(threading.current_thread())
        try:
            self.finish_thumbnails()
        except Exception:
            LOG.exception("local site: finishing thumbnails failed")

    def finish_thumbnails(self) -> int:
        """Give every transient thumbnail its final URL now; return how many."""
        return self.call(FINISH_THUMBNAILS, None, files_context(CallContext(user=None)))

    # -- the calls the server makes ------------------------------------------
    def call(self, method_name: str, params: Any, context: CallContext) -> Any:
        """Run one engine call; the lock makes the engine safe for many server threads."""
        with self._lock:
            try:
                return self.engine.call(method_name, params, context)
            finally:
                self.store.end_of_call()
                self._calls_since_trim += 1
                if self._calls_since_trim >= TRIM_EVERY_CALLS or self.store.tables_read:
                    # Between calls: no call holds a row the store may let go of.
                    self._calls_since_trim = 0
                    self.store.trim_memory()
                if self.freeze_survivors and gc.get_count()[0] >= FREEZE_AFTER_OBJECTS:
                    # What is not frozen yet is walked once (a full pass skips the frozen, so it
                    # costs what the next young pass would), then what is left is frozen: else
                    # each record is walked again among the middle-aged, and at a million records
                    # a full collection takes seconds. (A full pass, not a young one: garbage
                    # cycles an automatic pass moved to an older generation are freed, not frozen.)
                    gc.collect()
                    gc.freeze()

    def _memory_budget(self) -> int:
        if self.memory_mb is not None:
            return int(self.memory_mb * 2 ** 20)
        return max(MIN_MEMORY_MB * 2 ** 20, int(MEMORY_PER_DATABASE_BYTE * self.store.database_bytes()))

    def authenticate(self, auth: Mapping, client: str = "") -> CallContext:
        """Check a wire auth dict and return who the call runs as (``sudo_as_login`` applied).

        ``client`` is the caller's ``host:port``: failed tries are throttled per address too.
        """
        identity = self.accounts.authenticate(auth, self._is_active, client)
        user = identity.user
        sudo_login = auth.get("sudo_as_login")
        if sudo_login:
            if not identity.can_sudo:
                # Hosted sites start this refusal with the same words; rigs match on them.
                raise AuthError("The user does not have permission to 'sudo': this %s may not use sudo_as_login."
                                % ("script" if user["type"] == "ApiUser" else "user"), AUTHENTICATION_FAILED)
            user = self._active_human_user(str(sudo_login))
            if user is None:
                raise AuthError("Authentication failed: sudo_as_login names no active HumanUser (%r)." % sudo_login,
                                AUTHENTICATION_FAILED)
        return CallContext(user=user, session_uuid=auth.get("session_uuid"),
                           sudo_as_login=sudo_login or None, script_name=identity.script_name)

    def open_session(self, context: CallContext) -> str:
        """A new session token for the caller of ``get_session_token``."""
        return self.accounts.open_session(context.user)

    def session_from_cookie(self, cookies: Mapping[str, str]) -> Optional[CallContext]:
        """The caller named by a ``_session_id`` cookie, or None."""
        token = cookies.get("_session_id")
        if not token:
            return None
        user = self.accounts.session_user(token)
        if user is None or not self._is_active(user):
            return None
        return CallContext(user=user)

    def _is_active(self, link: dict) -> bool:
        table = self.engine.tables.get(link["type"], {})
        in_memory = getattr(table, "in_memory", None)
        # Authentication does not wait for a call when the account's row is in memory (nearly always);
        # reading it from the store takes the lock, as every use of the engine does.
        row = in_memory(link["id"]) if in_memory is not None else table.get(link["id"])
        if row is None:
            with self._lock:
                row = self.engine.tables.get(link["type"], {}).get(link["id"])
        if row is None or row.get("__retired"):
            return False
        return link["type"] != "HumanUser" or row.get("sg_status_list", "act") == "act"

    def _active_human_user(self, login: str) -> Optional[dict]:
        link = self._live_entity("HumanUser", "login", login)
        return link if link is not None and self._is_active(link) else None

    def _live_entity(self, entity_type: str, field: str, value: str) -> Optional[dict]:
        """The first live (not retired) record whose ``field`` equals ``value``."""
        with self._lock:
            for entity_id, row in self.engine.tables.get(entity_type, {}).items():
                if row.get(field) == value and not row.get("__retired"):
                    return {"type": entity_type, "id": entity_id}
        return None

    # -- accounts ---------------------------------------------------------------
    def add_script(self, name: str, key: Optional[str] = None, can_sudo: bool = False) -> tuple:
        """Give the ApiUser named ``name`` an API key, creating it if needed; return ``(entity link, key)``."""
        if name in self.accounts.scripts:
            raise SiteError("a script named %r already exists" % name)
        key = key or secrets.token_hex(32)
        entity = self._live_entity("ApiUser", "firstname", name) or self._create_entity(
            "ApiUser", {"firstname": name, "lastname": "", "description": "local site script"})
        self.accounts.add_script(name, entity["id"], key, can_sudo)
        return entity, key

    def add_user(self, login: str, password: str, name: Optional[str] = None, two_factor: bool = False,
                 can_sudo: bool = False, email: Optional[str] = None) -> tuple:
        """Let the HumanUser ``login`` log in with ``password``, creating an active one if needed.

        Returns ``(entity link, TOTP secret or None)``; a user already on the
        site (made through the API, say) keeps its record and gains credentials.
        """
        if login in self.accounts.users:
            raise SiteError("a user with login %r already exists" % login)
        if not password:
            raise SiteError("a user needs a password")
        first, _, last = (name or login).partition(" ")
        entity = self._live_entity("HumanUser", "login", login) or self._create_entity("HumanUser", {
            "login": login, "firstname": first, "lastname": last or login,
            "email": email or "%s@localhost" % login, "sg_status_list": "act"})
        totp_secret = new_totp_secret() if two_factor else None
        self.accounts.add_user(login, entity["id"], password, totp_secret, can_sudo)
        return entity, totp_secret

    def set_account_disabled(self, kind: str, name: str, disabled: bool) -> None:
        """Disable (or enable again) the script or user ``name``; ``kind`` is ``"script"`` or ``"user"``."""
        try:
            self.accounts.set_disabled(kind, name, disabled)
        except KeyError:
            raise SiteError("no %s named %r on this site" % (kind, name)) from None

    def remove_account(self, kind: str, name: str) -> None:
        """Remove the credentials of the script or user ``name``; its ApiUser or HumanUser record stays."""
        try:
            self.accounts.remove(kind, name)
        except KeyError:
            raise SiteError("no %s named %r on this site" % (kind, name)) from None

    def add_default_pages(self) -> list:
        """Make the global Pages a new hosted site has (``init`` calls it); return their links.

        Each gets ``last_accessed`` (a hosted site fills it as people open
        pages; rigs read it as a datetime). Types the schema lacks are skipped.
        """
        now = self.engine.now()
        made = []
        for name, entity_type in DEFAULT_PAGES:
            if not self.engine.schema.has_type(entity_type):
                continue
            made.append(self._create_entity("Page", {
                "name": name, "entity_type": entity_type, "page_type": "entity", "shared": True,
                "last_accessed": now}))
        return made

    def _create_entity(self, entity_type: str, fields: dict) -> dict:
        params = {"type": entity_type, "fields": [{"field_name": k, "value": v} for k, v in fields.items()],
                  "return_fields": ["id"]}
        record = self.call("create", params, CallContext(user=None))
        return {"type": entity_type, "id": record["id"]}
