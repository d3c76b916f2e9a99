"""Schema files for mockgun: reading them (reference pickles or JSON) and writing them from a site.

A site schema is two dicts, the answers of ``schema_read()`` and
``schema_entity_read()``. Rigs keep them on disk either as the reference's
pickles (protocol 0 or 2) or as JSON files like the ones shipped in
``shotgun_api3/data``; both forms are accepted and told apart by content.
"""
from __future__ import annotations

import io
import json
import os
import pickle
from typing import Any, Dict, Tuple

from .errors import MockgunError

# generate_schema writes protocol 2, the protocol the reference writes, so the
# files it produces stay readable by the reference mockgun and old Pythons.
SCHEMA_PICKLE_PROTOCOL = 2

# Schema pickles hold plain dicts, lists, strings, numbers and None. Unpickling
# can run arbitrary code, so only these harmless classes may be named in one.
_SAFE_PICKLE_GLOBALS = {
    ("collections", "OrderedDict"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
}


class _SchemaUnpickler(pickle.Unpickler):
    """An unpickler that refuses every class except a few plain value types."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_PICKLE_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError("schema pickles may not reference %s.%s" % (module, name))


def read_schema_file(path: str) -> Dict[str, Any]:
    """Return the dict held in a schema file, JSON or pickle (decided by its first byte).

    Raises ``MockgunError`` when the file is missing or does not hold a dict.
    """
    if not os.path.exists(path):
        raise MockgunError("Cannot locate Mockgun schema file '%s'!" % path)
    with open(path, "rb") as handle:
        content = handle.read()
    try:
        if content.lstrip()[:1] == b"{":
            data = json.loads(content.decode("utf-8"))
        else:
            # encoding="latin1" lets Python 2 pickles with byte strings load.
            data = _SchemaUnpickler(io.BytesIO(content), encoding="latin1").load()
    except (ValueError, pickle.UnpicklingError, EOFError) as error:
        raise MockgunError("Cannot read Mockgun schema file '%s': %s" % (path, error)) from error
    if not isinstance(data, dict):
        raise MockgunError("Mockgun schema file '%s' does not hold a dict but a %s" % (path, type(data).__name__))
    return data


class SchemaFactory:
    """Loads schema file pairs, remembering the last pair read.

    Test suites build many mockgun instances on the same two files, so the
    parsed dicts are cached by path and modification time. Callers get the
    cached objects; mockgun copies them into each instance's own schema, so
    one instance changing its schema never leaks into another.
    """

    _cache: Dict[str, Tuple[Tuple[float, int], Dict[str, Any]]] = {}
    _blobs: Dict[Tuple[str, str], Tuple[Dict[str, Any], Dict[str, Any], bytes]] = {}

    @classmethod
    def get_schemas(cls, schema_path: str, schema_entity_path: str) -> Tuple[Dict[str, Any], Dict[str, Any]]:
        """Return ``(schema, schema_entity)`` read from the two files."""
        return cls._read_cached(schema_path), cls._read_cached(schema_entity_path)

    @classmethod
    def get_site_schema(cls, schema_path: str, schema_entity_path: str) -> Any:
        """Return a new engine ``SiteSchema`` of the two files, owned by the caller alone."""
        from shotgun_api3._engine import SiteSchema

        key = (os.fspath(schema_path), os.fspath(schema_entity_path))
        schema, schema_entity = cls.get_schemas(schema_path, schema_entity_path)
        blob = cls._blobs.get(key)
        if blob is None or blob[0] is not schema or blob[1] is not schema_entity:
            # A pickled copy is several times faster to clone than a deepcopy,
            # which matters to suites that build a mockgun per test.
            cls._blobs = {key: (schema, schema_entity, pickle.dumps((schema, schema_entity), protocol=-1))}
            blob = cls._blobs[key]
        fields, entities = pickle.loads(blob[2])
        return SiteSchema(fields, entities)

    @classmethod
    def _read_cached(cls, path: str) -> Dict[str, Any]:
        path = os.fspath(path)
        try:
            stat = os.stat(path)
        except OSError:
            raise MockgunError("Cannot locate Mockgun schema file '%s'!" % path) from None
        stamp = (stat.st_mtime, stat.st_size)
        cached = cls._cache.get(path)
        if cached is None or cached[0] != stamp:
            # Keep only the most recent files: suites use one pair for the whole run.
            if len(cls._cache) >= 4:
                cls._cache.clear()
            cached = (stamp, read_schema_file(path))
            cls._cache[path] = cached
        return cached[1]


def generate_schema(shotgun: Any, schema_file_path: str, schema_entity_file_path: str) -> None:
    """Write the schema of the site ``shotgun`` talks to as two pickles mockgun can load.

    Works with any ``Shotgun``: a real site, the local site server, or a
    mockgun instance. Errors from the connection or the file system propagate.
    """
    schema = shotgun.schema_read()
    with open(schema_file_path, "wb") as handle:
        pickle.dump(schema, handle, protocol=SCHEMA_PICKLE_PROTOCOL)
    schema_entity = shotgun.schema_entity_read()
    with open(schema_entity_file_path, "wb") as handle:
        pickle.dump(schema_entity, handle, protocol=SCHEMA_PICKLE_PROTOCOL)
