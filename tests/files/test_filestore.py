"""FileStore keeps bytes under names it chooses, streams them, and never leaves half a file."""
from __future__ import annotations

import io
import os

import pytest

from shotgun_api3._engine.store.file_store import FileStore, FileStoreError, is_valid_name


@pytest.fixture
def store(tmp_path):
    return FileStore(tmp_path / "files")


def test_write_then_read_back_by_the_returned_name(store):
    name = store.write(io.BytesIO(b"hello world"))
    assert is_valid_name(name)
    assert store.exists(name) and store.size(name) == 11
    assert store.read_bytes(name) == b"hello world"
    assert b"".join(store.iter_bytes(name, chunk_size=4)) == b"hello world"


def test_write_takes_exactly_the_announced_length_from_a_stream(store):
    source = io.BytesIO(b"0123456789rest")
    name = store.write(source, length=10)
    assert store.read_bytes(name) == b"0123456789"
    assert source.read() == b"rest"


def test_a_short_stream_stores_nothing(store):
    with pytest.raises(FileStoreError, match="short"):
        store.write(io.BytesIO(b"abc"), length=10)
    assert [p.name for p in store.folder.iterdir()] == [".incoming"]
    assert list((store.folder / ".incoming").iterdir()) == []


def test_an_interrupted_iterable_stores_nothing(store):
    def chunks():
        yield b"abc"
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        store.write(chunks(), name="fixed")
    assert not store.exists("fixed")


def test_empty_files_and_bytes_sources(store):
    assert store.size(store.write(b"")) == 0
    assert store.read_bytes(store.write(b"raw")) == b"raw"


def test_concatenate_assembles_parts_in_order(store):
    parts = [store.write(b"AA"), store.write(b"BB"), store.write(b"C")]
    whole = store.concatenate(parts)
    assert store.read_bytes(whole) == b"AABBC"


def test_concatenate_copies_large_and_empty_parts_exactly(store):
    first, second = bytes(range(256)) * 5000, b"\x00\xff" * 70001
    parts = [store.write(first), store.write(b""), store.write(second)]
    assert store.read_bytes(store.concatenate(parts)) == first + second


def test_concatenate_without_kernel_copy_gives_the_same_file(store, monkeypatch):
    monkeypatch.delattr(os, "sendfile")
    parts = [store.write(b"AA" * 100000), store.write(b"BB")]
    assert store.read_bytes(store.concatenate(parts)) == b"AA" * 100000 + b"BB"


@pytest.mark.parametrize("name", ["../etc/passwd", "a/b", "..", ".hidden", "", "a\\b", "x" * 200, None, "a\x00b"])
def test_names_that_could_leave_the_folder_are_refused(store, name):
    assert not is_valid_name(name)
    assert not store.exists(name)
    with pytest.raises(FileStoreError):
        store.open(name)
    if name is not None:  # None asks the store to choose a name
        with pytest.raises(FileStoreError):
            store.write(b"x", name=name)


def test_unknown_names_are_an_error_and_delete_ignores_them(store):
    with pytest.raises(FileStoreError, match="no stored file"):
        store.size("abc123")
    store.delete("abc123")
    name = store.write(b"x")
    store.delete(name)
    assert not store.exists(name)


def test_a_temporary_store_removes_its_folder_on_close_a_given_folder_stays(tmp_path):
    temporary = FileStore()
    temporary.write(b"x")
    temporary.close()
    assert not temporary.folder.exists()
    kept = FileStore(tmp_path / "site")
    kept.write(b"x")
    kept.close()
    assert kept.folder.exists()


def test_writes_interrupted_by_a_crash_are_cleared_when_the_store_reopens(tmp_path):
    store = FileStore(tmp_path / "files")
    (store.folder / ".incoming" / "tmp123").write_bytes(b"half")
    kept = store.write(b"whole")
    reopened = FileStore(tmp_path / "files")
    assert list((reopened.folder / ".incoming").iterdir()) == []
    assert reopened.read_bytes(kept) == b"whole"


def test_rename_and_stale_removal(store):
    import os
    import time

    old = store.write(b"old", name="upload-aaa")
    fresh = store.write(b"fresh", name="upload-bbb")
    kept = store.write(b"linked")
    past = time.time() - 7200
    for name in (old, kept):
        os.utime(store.path(name), (past, past))
    assert store.remove_stale("upload-", 3600) == 1
    assert not store.exists(old) and store.exists(fresh) and store.exists(kept)
    renamed = store.rename(fresh)
    assert not store.exists(fresh) and store.read_bytes(renamed) == b"fresh"
    with pytest.raises(FileStoreError):
        store.rename("upload-missing")
