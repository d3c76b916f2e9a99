"""The reference mockgun's store rules, as overridable methods: validate, match, read and write rows.

Test rigs written for the reference mockgun patch these helpers
(``mock.patch.object(mockgun.Shotgun, "_validate_entity_data")``) or build
their own ``find``/``create`` on them, so each one keeps the reference's
name, signature and meaning (docs/mockgun.rst, "Hooks"). Where the
reference answers, these answer the same; where it raises something no
site would (a ``KeyError`` on a dangling link, a ``TypeError`` comparing an
empty number), they answer as a site does instead, and say so in their
docstrings.

The mixin needs ``self._schema`` (``schema_read()``'s dict) and ``self._db``
(``{entity_type: {id: row}}``) and nothing else, except for the few
relations only a site answers (:meth:`_site_compare`), which ask the
instance's engine.
"""
from __future__ import annotations

import datetime
from typing import Any, Dict, Iterable, List, Optional, Tuple

from shotgun_api3._errors import ShotgunError

from .engine_bridge import PLAIN_LEAVES, fresh
from .reference_relations import Unsupported, reference_relation

# The Python class each data type's values must have, as the reference checks
# them, widened where a site takes more than the reference did (``int`` for
# ``float``, ``date`` objects, lists for ``serializable``) and completed for the
# types the reference refuses outright ("Handling ... is not implemented").
PYTHON_TYPES: Dict[str, Any] = {
    "number": int,
    "float": (float, int),
    "checkbox": bool,
    "percent": int,
    "text": str,
    "serializable": (dict, list),
    "entity_type": str,
    "date": (str, datetime.date),
    "date_time": datetime.datetime,
    "duration": int,
    "list": str,
    "status_list": str,
    "url": dict,
    "tag_list": list,
    "color": str,
    "uuid": str,
    "timecode": int,
    "footage": str,
    "currency": (int, float),
    "password": str,
    "url_template": str,
}
# What the reference named in its type error: a single class per data type.
_NAMED_TYPES = {"number": int, "float": float, "serializable": dict, "date": str, "currency": float}

# Relations of a condition group, with the client's aliases (the reference knew only any/all).
GROUP_OPERATORS = {"all": "all", "and": "all", "any": "any", "or": "any"}

# Data types whose empty value sorts as a number, a float, text or the oldest datetime (the reference's choice).
_EMPTY_SORT_VALUES: Dict[str, Any] = {"number": 0, "percent": 0, "duration": 0, "float": 0.0, "text": "",
                                      "entity_type": "", "date": "", "list": "", "status_list": "",
                                      "date_time": datetime.datetime(datetime.MINYEAR, 1, 1)}


_NO_FIELDS: Dict[str, Any] = {}


def split_path(field: str) -> Optional[Tuple[str, str, str]]:
    """``("sg_sequence", "Sequence", "code")`` for ``"sg_sequence.Sequence.code"``, ``None`` for a plain field."""
    if "." not in field:
        return None
    parts = field.split(".", 2)
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else None


def link_key(link: Any) -> Tuple[Any, Any]:
    """``(type, id)`` of a link dict (``(None, None)`` for anything else)."""
    if isinstance(link, dict):
        return link.get("type"), link.get("id")
    return None, None


def empty_sort_value(field_type: str) -> Any:
    """What an empty value sorts as, by data type; ``None`` where the reference had no answer."""
    return _EMPTY_SORT_VALUES.get(field_type)


def named_link_source(target: Dict[str, Any]) -> Tuple[bool, Any]:
    """Whether a linked row gives a link a ``name``, and which: its ``name``, else its ``code``."""
    if "name" in target:
        return True, target["name"]
    if "code" in target:
        return True, target["code"]
    return False, None


class ReferenceRules:
    """The reference mockgun's helpers (same names, signatures and answers), on ``_schema`` and ``_db``."""

    _schema: Dict[str, Dict[str, Any]]
    _db: Dict[str, Dict[int, Dict[str, Any]]]

    # --- validation ------------------------------------------------------------------

    def _validate_entity_type(self, entity_type: Any) -> None:
        """Raise ``ShotgunError`` unless the schema has ``entity_type``."""
        if not isinstance(entity_type, str) or entity_type not in self._schema:
            raise ShotgunError("%s is not a valid entity" % (entity_type,))

    def _validate_entity_data(self, entity_type: str, data: Any) -> None:
        """Check the fields and the Python types of the values of a create or update.

        As the reference: ``id``/``type`` keys and unknown fields are refused,
        ``None`` is always taken, links need ``type`` and ``id`` (a multi-entity
        link's type must be one of the field's ``valid_types``; a single
        link's type is not checked), other values must be of the data type's
        Python class. No check of ``valid_values``, ``mandatory`` or
        ``unique``.
        """
        if not isinstance(data, dict):
            raise ShotgunError("The data of a create or update must be a dict of field names to values, not %s"
                               % type(data).__name__)
        if "id" in data or "type" in data:
            raise ShotgunError("Can't set id or type on create or update")
        self._validate_entity_fields(entity_type, data.keys())
        definitions = self._schema[entity_type]
        for field, item in data.items():
            if item is None:
                continue
            definition = definitions.get(field)
            if definition is None:
                raise ShotgunError("%s is not a field of %s that a create or update can set" % (field, entity_type))
            data_type = definition["data_type"]["value"]
            if data_type == "multi_entity":
                _check_multi_entity(entity_type, field, item, definition)
            elif data_type == "entity":
                if not isinstance(item, dict):
                    raise ShotgunError("%s.%s is of type entity, but data %s is not a dictionary"
                                       % (entity_type, field, item))
                if "id" not in item or "type" not in item:
                    raise ShotgunError("%s.%s is of type entity, but data %s does not contain 'type' and 'id'"
                                       % (entity_type, field, item))
            else:
                python_type = PYTHON_TYPES.get(data_type)
                if python_type is None:
                    raise ShotgunError("Field %s.%s: Handling for Flow Production Tracking type %s is not implemented"
                                       % (entity_type, field, data_type))
                if not isinstance(item, python_type) or (data_type == "float" and isinstance(item, bool)):
                    raise ShotgunError("%s.%s is of type %s, but data %s is not of type %s"
                                       % (entity_type, field, type(item), data_type,
                                          _NAMED_TYPES.get(data_type, python_type)))

    def _validate_entity_fields(self, entity_type: str, fields: Optional[Iterable[Any]]) -> None:
        """Raise ``ShotgunError`` for a field ``entity_type`` lacks; dotted fields are checked hop by hop."""
        self._validate_entity_type(entity_type)
        if fields is None:
            return
        definitions = self._schema[entity_type]
        for field in fields:
            if field.__class__ is str and "." not in field and (field in definitions or field in ("type", "id")):
                continue
            if not isinstance(field, str):
                raise ShotgunError("Field names must be strings, not %r" % (field,))
            path = split_path(field)
            if path is not None:
                self._validate_entity_fields(path[1], [path[2]])
            elif field not in definitions and field not in ("type", "id"):
                raise ShotgunError("%s is not a valid field for entity %s" % (field, entity_type))

    def _validate_entity_exists(self, entity_type: str, entity_id: Any) -> None:
        """Raise ``ShotgunError`` unless ``_db`` holds a row (live or retired) under ``entity_id``."""
        try:
            known = entity_id in self._db.get(entity_type, {})
        except TypeError:  # an unhashable id
            known = False
        if not known:
            raise ShotgunError("No entity of type %s exists with id %s" % (entity_type, entity_id))

    # --- new rows ----------------------------------------------------------------------

    def _get_default_value(self, entity_type: str, field: str) -> Any:
        """A new record's value of ``field``: ``[]`` for multi-entity fields, else the schema default."""
        definition = self._schema[entity_type][field]
        if definition["data_type"]["value"] == "multi_entity":
            return []
        return definition["properties"]["default_value"]["value"]

    def _get_new_row(self, entity_type: str) -> Dict[str, Any]:
        """A new row: ``type``, ``__retired`` and every field of the type at its default.

        Like the reference, it reads the defaults itself rather than through
        :meth:`_get_default_value`, so patching that one changes no new row.
        """
        template, multi_entity_fields = new_row_template(self._schema[entity_type], entity_type)
        row = dict(template)
        for field in multi_entity_fields:
            row[field] = []
        return row

    # --- reading rows --------------------------------------------------------------------

    def _get_field_type(self, entity_type: str, field: str) -> str:
        """The data type of ``field`` (the last hop's field for a dotted path)."""
        if field.__class__ is str and "." not in field:
            definition = self._schema.get(entity_type, _NO_FIELDS).get(field)
            if definition is not None:
                return definition["data_type"]["value"]
        path = split_path(field) if isinstance(field, str) else None
        if path is not None:
            return self._get_field_type(path[1], path[2])
        definition = self._schema.get(entity_type, {}).get(field) if isinstance(field, str) else None
        if definition is None:
            raise ShotgunError("%s is not a valid field for entity %s" % (field, entity_type))
        return definition["data_type"]["value"]

    def _get_field_from_row(self, entity_type: str, row: Dict[str, Any], field: str) -> Any:
        """The value of ``field`` in ``row``, following dotted paths through ``_db``.

        Unknown fields read as ``None``. Through a multi-entity hop: the
        values of the linked rows of the named type, in link order. Where the
        reference raises (a link to another type than the path names, a link
        to a row ``_db`` does not hold), this reads ``None`` as a site does.
        """
        if not isinstance(field, str):
            raise ShotgunError("Field names must be strings, not %r" % (field,))
        path = split_path(field)
        if path is None:
            return row.get(field)
        link_field, linked_type, rest = path
        if link_field not in row:
            return None
        value = row[link_field]
        if isinstance(value, list):
            values = []
            for link in value:
                if not isinstance(link, dict):
                    raise ShotgunError("Invalid deep query field %s.%s" % (entity_type, field))
                if link.get("type") != linked_type:
                    continue
                linked = _linked_row(self._db, link)
                if linked is not None:
                    values.append(self._get_field_from_row(linked_type, linked, rest))
            return values
        if value is None:
            return None
        if not isinstance(value, dict):
            raise ShotgunError("Invalid deep query field %s.%s" % (entity_type, field))
        if value.get("type") != linked_type:
            return None
        linked = _linked_row(self._db, value)
        if linked is None:
            return None
        return self._get_field_from_row(linked_type, linked, rest)

    # --- matching ----------------------------------------------------------------------

    def _rearrange_filters(self, filters: Any) -> List[list]:
        """Each filter as ``[field, relation, value]``; a group dict as ``[None, operator, filters]``.

        ``["f", "in", 1, 2]`` becomes ``["f", "in", [1, 2]]`` and
        ``["f", "in", 1]`` becomes ``["f", "in", [1]]``. Tuples are read as
        lists (the client takes them; the reference refused them).
        """
        if isinstance(filters, (str, bytes)) or not isinstance(filters, Iterable):
            raise ShotgunError("Filters must be a list of conditions, not %s" % type(filters).__name__)
        rearranged = []
        for item in filters:
            if isinstance(item, (list, tuple)):
                if len(item) > 3:
                    item = [item[0], item[1], list(item[2:])]
                elif len(item) == 3 and item[1] == "in" and not isinstance(item[2], list):
                    item = [item[0], item[1], list(item[2]) if isinstance(item[2], tuple) else [item[2]]]
                else:
                    item = list(item)
            elif isinstance(item, dict):
                if "filter_operator" not in item or "filters" not in item:
                    raise ShotgunError("Bad filter operator, requires keys 'filter_operator' and 'filters', found %s"
                                       % ", ".join(str(key) for key in item))
                item = [None, item["filter_operator"], item["filters"]]
            else:
                raise ShotgunError("Filters can only be lists or dictionaries, not %s." % type(item).__name__)
            rearranged.append(item)
        return rearranged

    def _row_matches_filters(self, entity_type: str, row: Dict[str, Any], filters: Any,
                             filter_operator: Optional[str], retired_only: bool) -> bool:
        """Whether ``row`` passes ``filters`` joined by ``filter_operator`` (and its retired state)."""
        filters = self._rearrange_filters(filters)
        if bool(row.get("__retired")) != bool(retired_only):
            return False
        joined = GROUP_OPERATORS.get(filter_operator) if filter_operator is not None else "all"
        if joined == "all":
            return all(self._row_matches_filter(entity_type, row, item, retired_only) for item in filters)
        if joined == "any":
            return any(self._row_matches_filter(entity_type, row, item, retired_only) for item in filters)
        raise ShotgunError("%s is not a valid filter operator" % (filter_operator,))

    def _row_matches_filter(self, entity_type: str, row: Dict[str, Any], sg_filter: Any, retired_only: bool) -> bool:
        """Whether ``row`` passes one ``[field, relation, value]`` filter (or a ``[None, op, filters]`` group).

        On an entity field, the linked row's ``name`` (else its ``code``) is
        first copied into the stored link, as the reference does: later reads
        of that link carry the ``name``.
        """
        try:
            field, operator, rval = sg_filter
        except (TypeError, ValueError):
            raise ShotgunError("Filters must be in the form [lval, operator, rval]") from None
        if field is None:
            if operator in GROUP_OPERATORS:
                return self._row_matches_filters(entity_type, row, rval, operator, retired_only)
            raise ShotgunError("Unknown filter_operator type: %s" % (operator,))
        lval = self._get_field_from_row(entity_type, row, field)
        field_type = self._get_field_type(entity_type, field)
        if field_type == "entity" and isinstance(lval, dict):
            name_link_from_target(self._db, lval)
        return self._compare(field_type, lval, operator, rval)

    def _compare(self, field_type: str, lval: Any, operator: str, rval: Any) -> bool:
        """Apply ``operator`` to a stored value ``lval`` and a filter value ``rval`` of a ``field_type`` field.

        The reference's rules (text case-insensitive, lists compare elements
        with "any", multi-entity links by id), except ``in`` on an entity
        field, which matches any listed entity rather than every one. A
        relation the reference has no rule for, or whose rule fails on the
        value (an empty number with ``less_than``, a naive against an aware
        datetime), is answered by a site's rules.
        """
        if isinstance(lval, list) and field_type != "multi_entity":
            return any(self._compare(field_type, item, operator, rval) for item in lval)
        try:
            return reference_relation(field_type, lval, operator, rval)
        except (Unsupported, TypeError, KeyError, AttributeError, IndexError):
            return self._site_compare(field_type, lval, operator, rval)

    def _site_compare(self, field_type: str, lval: Any, operator: str, rval: Any) -> bool:
        """A site's answer to one relation (see the engine's relations); the mockgun class provides it."""
        raise ShotgunError("The %s operator is not supported on the %s type" % (operator, field_type))

    # --- writing rows -------------------------------------------------------------------

    def _update_row(self, entity_type: str, row: Dict[str, Any], data: Dict[str, Any],
                    multi_entity_update_modes: Optional[Dict[str, str]] = None) -> None:
        """Write ``data`` into ``row``: links reduced to ``{type, id}``, multi-entity fields by update mode.

        ``set`` replaces, ``add`` appends links not yet there, ``remove``
        drops every listed link (the reference's removed nothing for two or
        more). ``None`` empties a multi-entity field (the reference crashed).
        ``date`` objects are stored as ``YYYY-MM-DD`` strings, as a site
        answers them; other values are stored as given (dicts and lists as
        copies).
        """
        for field in data:
            field_type = self._get_field_type(entity_type, field)
            value = data[field]
            if field_type == "entity" and value:
                row[field] = {"type": value["type"], "id": value["id"]}
            elif field_type == "multi_entity":
                mode = multi_entity_update_modes.get(field, "set") if multi_entity_update_modes else "set"
                row[field] = _updated_links(row.get(field), value or [], mode)
            elif field_type == "date" and isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                row[field] = value.isoformat()
            elif value.__class__ in PLAIN_LEAVES:
                row[field] = value
            elif isinstance(value, (dict, list)):
                # A copy: what the caller does to its dict or list later never reaches the store.
                row[field] = fresh(value)
            else:
                row[field] = value


def _check_multi_entity(entity_type: str, field: str, item: Any, definition: Dict[str, Any]) -> None:
    if not isinstance(item, list):
        raise ShotgunError("%s.%s is of type multi_entity, but data %s is not a list" % (entity_type, field, item))
    if any(not isinstance(link, dict) for link in item):
        raise ShotgunError("%s.%s is of type multi_entity, but data %s contains a non-dictionary"
                           % (entity_type, field, item))
    if any("id" not in link or "type" not in link for link in item):
        raise ShotgunError("%s.%s is of type multi-entity, but an item in data %s does not contain 'type' and 'id'"
                           % (entity_type, field, item))
    valid_types = ((definition.get("properties") or {}).get("valid_types") or {}).get("value") or []
    if any(link["type"] not in valid_types for link in item):
        raise ShotgunError("%s.%s is of multi-type entity, but an item in data %s has an invalid type "
                           "(expected one of %s)" % (entity_type, field, item, valid_types))


def _updated_links(current: Any, given: List[Dict[str, Any]], mode: str) -> Any:
    """A multi-entity field's new list of ``{type, id}`` links, by update mode."""
    current = current if isinstance(current, list) else []
    if mode == "set":
        return [{"type": link["type"], "id": link["id"]} for link in given]
    if mode == "add":
        present = {link_key(link) for link in current}
        added = list(current)
        for link in given:
            key = (link["type"], link["id"])
            if key not in present:
                present.add(key)
                added.append({"type": key[0], "id": key[1]})
        return added
    if mode == "remove":
        removed = {(link["type"], link["id"]) for link in given}
        return [link for link in current if link_key(link) not in removed]
    return current  # an unknown mode writes nothing, as with the reference


def _linked_row(db: Dict[str, Dict[Any, Dict[str, Any]]], link: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    table = db.get(link.get("type"))
    if table is None:
        return None
    try:
        return table.get(link.get("id"))
    except TypeError:  # an unhashable id
        return None


def name_link_from_target(db: Dict[str, Dict[Any, Dict[str, Any]]], link: Dict[str, Any]) -> None:
    """Copy the linked row's ``name`` (else ``code``) into the stored ``link``, as the reference's filters do."""
    target = _linked_row(db, link)
    if target is not None:
        has_name, name = named_link_source(target)
        if has_name:
            link["name"] = name


# --- schema digests shared by every instance on the same schema dicts ------------------------

# {id(definitions): (definitions, field count, template row, multi-entity fields)}. The
# definitions are kept so their id is never reused while cached; the count notices fields
# added or removed by a rig.
_TEMPLATES: Dict[int, Tuple[Dict[str, Any], int, Dict[str, Any], Tuple[str, ...]]] = {}


def new_row_template(definitions: Dict[str, Any], entity_type: str) -> Tuple[Dict[str, Any], Tuple[str, ...]]:
    """A type's new row (defaults, ``type``, ``__retired``) and its multi-entity fields, read once per schema."""
    cached = _TEMPLATES.get(id(definitions))
    if cached is not None and cached[0] is definitions and cached[1] == len(definitions) \
            and cached[2]["type"] == entity_type:
        return cached[2], cached[3]
    template: Dict[str, Any] = {"type": entity_type, "__retired": False}
    multi = []
    for field, definition in definitions.items():
        if definition["data_type"]["value"] == "multi_entity":
            multi.append(field)
            template[field] = None
        else:
            template[field] = definition["properties"]["default_value"]["value"]
    if len(_TEMPLATES) > 4096:
        _TEMPLATES.clear()
    _TEMPLATES[id(definitions)] = (definitions, len(definitions), template, tuple(multi))
    return template, tuple(multi)
