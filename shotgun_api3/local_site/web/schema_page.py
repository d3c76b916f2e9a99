"""The schema: entity types, and for each its fields with data types, valid values and valid types."""
from __future__ import annotations

from typing import Tuple

from .markup import esc, href, link, table
from .reads import Reader, prop


def schema_index(reader: Reader) -> Tuple[str, str, int]:
    schema = reader.schema()
    rows = []
    for entity_type, definition in sorted(reader.entity_types().items()):
        rows.append([link("/schema/" + entity_type, entity_type), esc(prop(definition, "name")),
                     '<span class="num">%d</span>' % len(schema.get(entity_type, {})),
                     link(href("/table/" + entity_type), "records")])
    return "Schema", table(["Entity type", "Display name", "Fields", ""], rows), 200


def schema_type_page(reader: Reader, entity_type: str) -> Tuple[str, str, int]:
    fields = reader.fields(entity_type)
    rows = []
    for name, definition in sorted(fields.items()):
        valid_values = prop(definition, "properties", "valid_values") or []
        valid_types = prop(definition, "properties", "valid_types") or []
        rows.append([esc(name), esc(prop(definition, "name")),
                     '<span class="type">%s</span>' % esc(prop(definition, "data_type")),
                     esc(", ".join(str(v) for v in valid_values)),
                     ", ".join(link("/schema/" + str(t), t) for t in valid_types),
                     "yes" if prop(definition, "editable") else "no",
                     esc(prop(definition, "properties", "default_value"))])
    body = ('<p>%s &middot; %s</p>' % (link("/schema", "all entity types"),
                                       link(href("/table/" + entity_type), "%s records" % entity_type))
            + table(["Field", "Display name", "Data type", "Valid values", "Valid types", "Editable", "Default"],
                    rows, "grid fields"))
    return "Schema: %s" % entity_type, body, 200
