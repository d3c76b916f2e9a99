"""Where a site keeps the bytes of uploaded files.

A :class:`FileStore` is a folder of opaque, store-chosen names. Nothing a client
sends (a path, a file name) ever becomes part of a path on disk, so a hostile
name cannot reach outside the folder. Writes are streamed into a temporary
file and renamed into place when complete, so a reader never sees half a file
and an interrupted upload leaves nothing behind. Reads are streamed in chunks,
so serving a file of any size takes bounded memory.

The local site keeps its store inside the site folder; mockgun uses a
temporary folder that is removed when the store is closed.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

#: Bytes moved per read or write when streaming; large enough for loopback
#: speed, small enough that memory stays flat for any file size.
CHUNK_SIZE = 1024 * 1024

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


class FileStoreError(Exception):
    """Raised for an unknown or invalid stored name, or a source shorter than announced."""


def is_valid_name(name: object) -> bool:
    """Whether ``name`` could be a stored name: plain characters, no separators, no ``..``."""
    return isinstance(name, str) and bool(_NAME.match(name)) and ".." not in name


class FileStore:
    """A folder of stored files addressed by names the store chooses.

    ``folder`` is created if missing; ``None`` makes a private temporary folder
    that :meth:`close` removes.
    """

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self._owns_folder = folder is None
        if folder is None:
            folder = tempfile.mkdtemp(prefix="sg-filestore-")
        self.folder = Path(folder)
        self._incoming = self.folder / ".incoming"
        self._incoming.mkdir(parents=True, exist_ok=True)
        # Whatever is left in .incoming was being written when a previous
        # process stopped: it was never stored, so it can go.
        for leftover in self._incoming.iterdir():
            _remove_quietly(leftover)

    # -- naming -----------------------------------------------------------

    def new_name(self) -> str:
        """Return a fresh name no stored file has."""
        return uuid.uuid4().hex

    def path(self, name: str) -> Path:
        """The on-disk path of a stored file (for ``sendfile``-style serving); the file may not exist."""
        if not is_valid_name(name):
            raise FileStoreError("invalid stored file name %r" % (name,))
        return self.folder / name

    # -- writing ----------------------------------------------------------

    def write(self, source: BinaryIO | Iterable[bytes] | bytes, length: int | None = None,
              name: str | None = None) -> str:
        """Store the bytes of ``source`` and return the stored name.

        ``source`` is a readable binary stream (read in chunks; with ``length``
        exactly that many bytes are taken), an iterable of byte chunks, or
        ``bytes``. Raises :class:`FileStoreError` when a stream ends before
        ``length`` bytes; nothing is stored then. An existing ``name`` is
        replaced atomically.
        """
        target = self.path(self.new_name() if name is None else name)
        handle, temp = tempfile.mkstemp(dir=self._incoming)
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in _chunks_of(source, length):
                    out.write(chunk)
            os.replace(temp, target)
        except BaseException:
            _remove_quietly(temp)
            raise
        return target.name

    def concatenate(self, names: Iterable[str], name: str | None = None) -> str:
        """Store the concatenation of stored files (multipart upload parts) and return its name."""
        target = self.path(self.new_name() if name is None else name)
        handle, temp = tempfile.mkstemp(dir=self._incoming)
        try:
            with os.fdopen(handle, "wb") as out:
                for part in names:
                    with open(self._existing(part), "rb") as source:
                        _append_file(source, out)
            os.replace(temp, target)
        except BaseException:
            _remove_quietly(temp)
            raise
        return target.name

    def rename(self, name: str, new_name: str | None = None) -> str:
        """Give a stored file another name (a fresh one by default) and return it."""
        target = self.path(self.new_name() if new_name is None else new_name)
        os.replace(self._existing(name), target)
        return target.name

    def remove_stale(self, prefix: str, max_age_seconds: float, now: float | None = None) -> int:
        """Remove stored files whose name starts with ``prefix`` and that are older than ``max_age_seconds``.

        Used for uploads that were stored but never linked. Returns how many went.
        """
        cutoff = (time.time() if now is None else now) - max_age_seconds
        removed = 0
        for path in self.folder.glob(prefix + "*"):
            try:
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                pass
        return removed

    # -- reading ----------------------------------------------------------

    def exists(self, name: str) -> bool:
        """Whether ``name`` is a stored file."""
        return is_valid_name(name) and (self.folder / name).is_file()

    def size(self, name: str) -> int:
        """The size in bytes of a stored file."""
        return self._existing(name).stat().st_size

    def open(self, name: str) -> BinaryIO:
        """Open a stored file for binary reading."""
        return open(self._existing(name), "rb")

    def iter_bytes(self, name: str, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
        """Yield the bytes of a stored file in chunks; the file is opened at once and closed when done."""
        source = self.open(name)
        return _iter_and_close(source, chunk_size)

    def read_bytes(self, name: str) -> bytes:
        """The whole content of a stored file (for small files such as thumbnails)."""
        return self._existing(name).read_bytes()

    # -- removal ----------------------------------------------------------

    def delete(self, name: str) -> None:
        """Remove a stored file; unknown names are ignored."""
        if is_valid_name(name):
            _remove_quietly(self.folder / name)

    def close(self) -> None:
        """Remove the folder if the store made it (a temporary store); a site folder is kept."""
        if self._owns_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __repr__(self) -> str:
        return "FileStore(%r)" % str(self.folder)

    def _existing(self, name: str) -> Path:
        path = self.path(name)
        if not path.is_file():
            raise FileStoreError("no stored file named %r" % (name,))
        return path


def _chunks_of(source: BinaryIO | Iterable[bytes] | bytes, length: int | None) -> Iterator[bytes]:
    """Yield the bytes of ``source`` in bounded chunks, checking ``length`` when given."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield bytes(source)
        return
    if hasattr(source, "read"):
        remaining = length
        while remaining is None or remaining > 0:
            want = CHUNK_SIZE if remaining is None else min(CHUNK_SIZE, remaining)
            chunk = source.read(want)  # type: ignore[union-attr]
            if not chunk:
                break
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk
        if remaining:
            raise FileStoreError("stream ended %d bytes short of the announced length" % remaining)
        return
    for chunk in source:  # type: ignore[union-attr]
        yield chunk


def _append_file(source: BinaryIO, out: BinaryIO) -> None:
    """Copy all of ``source`` to the end of ``out``, inside the kernel where the platform allows it."""
    out.flush()
    if hasattr(os, "sendfile"):
        size = os.fstat(source.fileno()).st_size
        offset = 0
        try:
            while offset < size:
                sent = os.sendfile(out.fileno(), source.fileno(), offset, min(size - offset, 1 << 30))
                if not sent:
                    break
                offset += sent
            if offset == size:
                return
        except OSError:
            if offset:
                raise  # part of the file is already out: do not copy it twice
        source.seek(offset)
    shutil.copyfileobj(source, out, CHUNK_SIZE)


def _iter_and_close(source: BinaryIO, chunk_size: int) -> Iterator[bytes]:
    try:
        while True:
            chunk = source.read(chunk_size)
            if not chunk:
                return
            yield chunk
    finally:
        source.close()


def _remove_quietly(path: str | os.PathLike[str]) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
