"""Account commands of a site, run in place or sent to the ``serve`` process that holds it.

A serving site keeps its tables in memory, so another process must not
write its database (it would hand out ids twice). Instead ``serve`` listens
on a Unix socket in the site folder (``admin.sock``, private to the owner
like the folder), and the command line sends it the command: one JSON line
in, one JSON line out. The same :data:`OPERATIONS` run in both cases, so a
command answers the same whether the site is served or not.

Secrets (a new key, a password) travel only over that socket; nothing here logs them.
"""
from __future__ import annotations

import json
import logging
import os
import socket
import threading
from pathlib import Path
from typing import Any, Callable, Dict, Optional

LOG = logging.getLogger("shotgun_api3")

SOCKET_NAME = "admin.sock"
#: The longest command line we read (a password, a name...).
MAX_REQUEST_BYTES = 64 * 1024


class AdminError(Exception):
    """A command was refused; the message says why."""


def _add_script(site: Any, args: Dict[str, Any]) -> Dict[str, Any]:
    entity, key = site.add_script(args["name"], key=args.get("key"), can_sudo=bool(args.get("allow_sudo")))
    return {"entity": entity, "key": key}


def _add_user(site: Any, args: Dict[str, Any]) -> Dict[str, Any]:
    entity, totp_secret = site.add_user(args["login"], args["password"], name=args.get("name"),
                                        two_factor=bool(args.get("two_factor")),
                                        can_sudo=bool(args.get("allow_sudo")), email=args.get("email"))
    return {"entity": entity, "totp_secret": totp_secret}


def _switch(kind: str, disabled: bool) -> Callable[[Any, Dict[str, Any]], Dict[str, Any]]:
    def run(site: Any, args: Dict[str, Any]) -> Dict[str, Any]:
        site.set_account_disabled(kind, args["name"], disabled)
        return {}
    return run


def _remove(kind: str) -> Callable[[Any, Dict[str, Any]], Dict[str, Any]]:
    def run(site: Any, args: Dict[str, Any]) -> Dict[str, Any]:
        site.remove_account(kind, args["name"])
        return {}
    return run


OPERATIONS: Dict[str, Callable[[Any, Dict[str, Any]], Dict[str, Any]]] = {
    "add_script": _add_script,
    "add_user": _add_user,
    "disable_script": _switch("script", True),
    "enable_script": _switch("script", False),
    "remove_script": _remove("script"),
    "disable_user": _switch("user", True),
    "enable_user": _switch("user", False),
    "remove_user": _remove("user"),
}


def run(site: Any, operation: str, args: Dict[str, Any]) -> Dict[str, Any]:
    """Run one account command on an open site; a refusal raises :class:`AdminError`."""
    from .site import SiteError

    command = OPERATIONS.get(operation)
    if command is None:
        raise AdminError("unknown command %r" % operation)
    try:
        return command(site, args)
    except SiteError as error:
        raise AdminError(str(error)) from None
    except (KeyError, TypeError):
        raise AdminError("malformed %s command" % operation) from None


def socket_path(folder: Path) -> Path:
    return Path(folder) / SOCKET_NAME


def request(folder: Path, operation: str, args: Dict[str, Any], timeout: float = 30.0) -> Dict[str, Any]:
    """Send one command to the ``serve`` holding ``folder``; its answer, or :class:`AdminError`."""
    path = socket_path(folder)
    if not hasattr(socket, "AF_UNIX") or not path.exists():
        raise AdminError("the site in %s is served by a process that takes no commands; stop it first" % folder)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(str(path))
            sock.sendall(json.dumps({"operation": operation, "args": args}).encode("utf-8") + b"\n")
            answer = _read_line(sock)
        except OSError as error:
            raise AdminError("cannot reach the serve process of %s: %s" % (folder, error)) from None
    try:
        reply = json.loads(answer)
    except ValueError:
        raise AdminError("the serve process of %s gave no answer" % folder) from None
    if not reply.get("ok"):
        raise AdminError(reply.get("error") or "refused")
    return reply.get("result") or {}


def _read_line(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        piece = sock.recv(65536)
        if not piece:
            break
        data += piece
        if len(data) > MAX_REQUEST_BYTES:
            raise OSError("line too long")
    return data


class AdminListener:
    """Take account commands for a served site on ``<folder>/admin.sock`` (owner only), one at a time."""

    def __init__(self, site: Any, folder: Path) -> None:
        self.site = site
        self.path = socket_path(folder)
        self._lock = threading.Lock()
        self._sock: Optional[socket.socket] = None
        self._thread: Optional[threading.Thread] = None

    def start(self) -> bool:
        """Listen; False where Unix sockets are missing or the path is too long (commands then need a stop)."""
        if not hasattr(socket, "AF_UNIX"):
            return False
        try:
            if self.path.exists() or self.path.is_symlink():
                self.path.unlink()  # left by a serve that was killed: the folder lock says none runs
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            # Private from the first moment: umask for bind, then chmod to be sure.
            old_umask = os.umask(0o177)
            try:
                sock.bind(str(self.path))
            finally:
                os.umask(old_umask)
            os.chmod(self.path, 0o600)
            sock.listen(8)
        except OSError as error:
            LOG.warning("local site: account commands while serving are off: %s", error)
            return False
        self._sock = sock
        self._thread = threading.Thread(target=self._loop, name="local-site-admin", daemon=True)
        self._thread.start()
        return True

    def _loop(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return  # closed by stop()
            with conn:
                try:
                    conn.settimeout(10.0)
                    self._answer(conn)
                except OSError as error:
                    LOG.debug("local site: an account command connection failed: %s", error)

    def _answer(self, conn: socket.socket) -> None:
        try:
            message = json.loads(_read_line(conn))
            operation, args = message["operation"], message["args"]
            if not isinstance(args, dict):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            reply = {"ok": False, "error": "malformed command"}
        else:
            with self._lock:
                try:
                    reply = {"ok": True, "result": run(self.site, operation, args)}
                    LOG.info("local site: account command %s done", operation)
                except AdminError as error:
                    reply = {"ok": False, "error": str(error)}
        conn.sendall(json.dumps(reply).encode("utf-8") + b"\n")

    def stop(self) -> None:
        if self._sock is None:
            return
        try:
            # shutdown() wakes the accept() blocked in the loop's thread on Linux; close() alone may not.
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self._sock.close()
        finally:
            try:
                self.path.unlink()
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(5)
