"""The site schema: entity types, their fields, and per-project visibility.

``SiteSchema`` holds the two dicts a site answers to ``schema_read()`` and
``schema_entity_read()`` (the shape of ``fixtures/schema/``) plus the
per-project ``visible`` overrides, and a compact :class:`FieldInfo` view of
every field that the query and write code use so they never walk the raw
definitions row by row.
"""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

from .. import site_choices
from ..errors import EngineFault

PathLike = Union[str, "Path"]

SchemaDict = Dict[str, Dict[str, Any]]

#: Data types whose value is a list of links.
LINK_LIST_TYPES = frozenset(("multi_entity", "addressing"))


class FieldInfo:
    """What the engine needs to know about one field, read once from its definition.

    A slotted class rather than a named tuple: the write and query paths read
    these attributes many times per call, and slot reads are cheaper.
    Treat it as immutable.
    """

    __slots__ = ("entity_type", "name", "data_type", "valid_types", "valid_values", "default", "editable", "label")

    def __init__(
        self,
        entity_type: str,
        name: str,
        data_type: str,
        valid_types: Tuple[str, ...] = (),
        valid_values: Tuple[str, ...] = (),
        default: Any = None,
        editable: bool = True,
        label: str = "",
    ) -> None:
        self.entity_type = entity_type
        self.name = name
        self.data_type = data_type
        self.valid_types = valid_types
        self.valid_values = valid_values
        self.default = default
        self.editable = editable
        #: The display name (the definition's ``name``), as event descriptions quote it.
        self.label = label

    def _key(self) -> Tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __reduce__(self) -> Tuple[Any, ...]:
        # Copies and pickles (every protocol) rebuild it from its values.
        return (FieldInfo, self._key())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldInfo) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.entity_type, self.name, self.data_type))

    def __repr__(self) -> str:
        return "FieldInfo(%s)" % ", ".join("%s=%r" % (name, getattr(self, name)) for name in self.__slots__)


def _property(definition: Dict[str, Any], name: str) -> Any:
    prop = definition.get("properties", {}).get(name)
    return prop.get("value") if isinstance(prop, dict) else None


def _value(definition: Dict[str, Any], key: str, default: Any = None) -> Any:
    item = definition.get(key)
    return item.get("value", default) if isinstance(item, dict) else default


def _load_file(path: PathLike) -> Any:
    """Read a schema file that is either JSON or a reference pickle (protocol 0 or 2)."""
    data = Path(path).read_bytes()
    if data.lstrip()[:1] in (b"{", b"["):
        return json.loads(data.decode("utf-8"))
    # Reference schema pickles hold only plain containers; they are trusted
    # input by contract (see fixtures/schema/README.md).
    return pickle.loads(data)  # noqa: S301


#: What ``_display_fields`` holds for no type (a type's own entry may be None).
_UNKNOWN_TYPE: Any = object()


class SiteSchema:
    """The field and entity schema of one site, changeable through ``schema_field_*``."""

    def __init__(
        self,
        fields: SchemaDict,
        entities: SchemaDict,
        visibility: Optional[Dict[str, Dict[str, Dict[str, bool]]]] = None,
    ) -> None:
        self.fields = fields
        self.entities = entities
        # {project id (str): {entity type: {field name: visible}}}
        self.visibility: Dict[str, Dict[str, Dict[str, bool]]] = visibility or {}
        self._infos: Dict[str, Dict[str, FieldInfo]] = {}
        self._display_fields: Dict[str, Optional[str]] = {}
        self._rebuild()

    # --- construction ------------------------------------------------------

    @classmethod
    def from_files(cls, schema_path: PathLike, entity_schema_path: PathLike) -> "SiteSchema":
        """Load ``schema_read()`` and ``schema_entity_read()`` dicts from JSON or pickle files."""
        fields = _load_file(schema_path)
        entities = _load_file(entity_schema_path)
        if not isinstance(fields, dict) or not isinstance(entities, dict):
            raise ValueError("schema files must each hold a dict keyed by entity type")
        return cls(fields, entities)

    @classmethod
    def default(cls) -> "SiteSchema":
        """The schema shipped in ``shotgun_api3/data/`` (a real site's)."""
        data = Path(__file__).resolve().parents[2] / "data"
        return cls.from_files(data / "schema.json", data / "schema_entity.json")

    @classmethod
    def from_dicts(cls, dicts: Dict[str, Any]) -> "SiteSchema":
        """Rebuild a schema saved with :meth:`to_dicts` (what a Store persists)."""
        return cls(
            copy.deepcopy(dicts["schema"]),
            copy.deepcopy(dicts["schema_entity"]),
            copy.deepcopy(dicts.get("visibility") or {}),
        )

    def to_dicts(self) -> Dict[str, Any]:
        """A deep, picklable and JSON-able copy of the whole schema state."""
        return {
            "schema": copy.deepcopy(self.fields),
            "schema_entity": copy.deepcopy(self.entities),
            "visibility": copy.deepcopy(self.visibility),
        }

    def copy(self) -> "SiteSchema":
        return SiteSchema.from_dicts(self.to_dicts())

    # --- lookups -------------------------------------------------------------

    def _rebuild(self, entity_type: Optional[str] = None) -> None:
        types = [entity_type] if entity_type else list(self.fields)
        for name in types:
            if name not in self.fields:
                self._infos.pop(name, None)
                continue
            self._infos[name] = {
                field: self._info(name, field, definition)
                for field, definition in self.fields[name].items()
            }
            self._display_fields[name] = self._pick_display_field(name)

    def _pick_display_field(self, entity_type: str) -> Optional[str]:
        infos = self._infos[entity_type]
        chosen = site_choices.DISPLAY_NAME_FIELDS.get(entity_type)
        if chosen in infos:
            return chosen
        for candidate in site_choices.DISPLAY_NAME_FALLBACK_FIELDS:
            if candidate in infos:
                return candidate
        return None

    def display_field(self, entity_type: str) -> Optional[str]:
        """The field whose value is a record's display name (docs/site_facts.rst, Links)."""
        field = self._display_fields.get(entity_type, _UNKNOWN_TYPE)
        if field is not _UNKNOWN_TYPE:
            return field
        return site_choices.DISPLAY_NAME_FIELDS.get(entity_type, "code")

    @staticmethod
    def _info(entity_type: str, field: str, definition: Dict[str, Any]) -> FieldInfo:
        return FieldInfo(
            entity_type=entity_type,
            name=field,
            data_type=_value(definition, "data_type", "text"),
            valid_types=tuple(_property(definition, "valid_types") or ()),
            valid_values=tuple(_property(definition, "valid_values") or ()),
            default=_property(definition, "default_value"),
            editable=bool(_value(definition, "editable", True)),
            label=_value(definition, "name", field) or field,
        )

    def has_type(self, entity_type: str) -> bool:
        return entity_type in self._infos

    def entity_types(self) -> List[str]:
        return list(self._infos)

    def field_infos(self, entity_type: str) -> Dict[str, FieldInfo]:
        """Every field of a type (empty for an unknown type)."""
        return self._infos.get(entity_type, {})

    def field(self, entity_type: str, field: str) -> Optional[FieldInfo]:
        return self._infos.get(entity_type, {}).get(field)

    def require_type(self, entity_type: Any, method: str) -> Dict[str, FieldInfo]:
        """The fields of ``entity_type``, or a fault naming the unknown type."""
        infos = self._infos.get(entity_type) if isinstance(entity_type, str) else None
        if infos is None:
            raise EngineFault(f"API {method}() entity type '{entity_type}' does not exist on this site")
        return infos

    def require_field(self, entity_type: str, field: str, method: str) -> FieldInfo:
        info = self._infos.get(entity_type, {}).get(field)
        if info is None:
            raise EngineFault(f"API {method}() {entity_type}.{field} doesn't exist")
        return info

    # --- changes -------------------------------------------------------------

    def set_field(self, entity_type: str, field: str, definition: Dict[str, Any]) -> None:
        self.fields.setdefault(entity_type, {})[field] = definition
        self._rebuild(entity_type)

    def remove_field(self, entity_type: str, field: str) -> None:
        self.fields[entity_type].pop(field, None)
        for per_type in self.visibility.values():
            per_type.get(entity_type, {}).pop(field, None)
        self._rebuild(entity_type)

    def field_visible(self, project_id: Optional[int], entity_type: str, field: str) -> bool:
        if project_id is None:
            return True
        return self.visibility.get(str(project_id), {}).get(entity_type, {}).get(field, True)

    def set_field_visible(self, project_id: int, entity_type: str, field: str, visible: bool) -> None:
        self.visibility.setdefault(str(project_id), {}).setdefault(entity_type, {})[field] = bool(visible)
