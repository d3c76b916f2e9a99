"""Every behaviour of a site the reference material leaves uncertain, in one place.

docs/site_facts.rst, Not established, lists what is not known about a real
site. Each constant below is the engine's answer to one of those questions;
the rest of the engine reads these names instead of hard-coding a choice, so
confirming a behaviour against a real site means changing one line here.
``docs/engine.rst`` describes each choice for users.
"""

from __future__ import annotations

from typing import Dict, Tuple

# --- Display names ----------------------------------------------------------

#: The field a type's display name (the ``name`` of its links) comes from.
DISPLAY_NAME_FIELDS: Dict[str, str] = {
    "Project": "name",
    "HumanUser": "name",
    "ApiUser": "firstname",
    "Task": "content",
    "Note": "subject",
    "Reply": "content",
    "Ticket": "title",
    "Delivery": "title",
    "ActionMenuItem": "title",
    "Department": "name",
    "Page": "name",
    "Icon": "name",
    "Status": "name",
    "Group": "code",
    "Attachment": "filename",
    "EventLogEntry": "description",
}

#: Tried in order for types not in ``DISPLAY_NAME_FIELDS``.
DISPLAY_NAME_FALLBACK_FIELDS: Tuple[str, ...] = ("code", "name", "title", "cached_display_name")

# --- Return fields ----------------------------------------------------------

#: An unknown return field is answered as ``None`` (as the reference mockgun
#: does) rather than failing the read: rigs written against a small test
#: schema ask for fields their schema lacks.
UNKNOWN_RETURN_FIELD_IS_NONE = True

# --- Links ------------------------------------------------------------------

#: A link to a retired record reads as empty (entity: ``None``; multi-entity:
#: the member is left out) and matches filters as empty. Reviving restores it.
RETIRED_TARGETS_READ_AS_EMPTY = True

#: Plain ``read`` results carry ``type``, ``id`` and ``name`` only; ``update``
#: and ``batch`` results add ``"valid": "valid"`` (documented).
VALID_KEY_IN_WRITE_RESULTS = True

# --- Filters ----------------------------------------------------------------

#: String comparisons (``is``, ``in``, ``contains``...) ignore case for text
#: and also for list, status_list, color, uuid and entity_type values.
CASE_INSENSITIVE_LISTS = True

#: ``name_*`` relations ignore case.
CASE_INSENSITIVE_NAMES = True

#: ``between`` includes both bounds; a ``None`` bound is open-ended.
BETWEEN_INCLUSIVE = True

#: Negative relations (``is_not``, ``not_in``, ``not_contains``,
#: ``not_between``, ``not_in_last``, ``name_not_contains``, ``type_is_not``...)
#: are the exact negation of their positive form, so records with an empty
#: value match them. Through a multi-entity hop a negative relation matches
#: when *no* linked record matches the positive form.
NEGATIVE_RELATIONS_NEGATE = True

#: An empty ``any`` group matches nothing; an empty ``all`` group matches all.
EMPTY_ANY_GROUP_MATCHES = False

#: A checkbox read through an empty link (``project.Project.archived`` on a
#: record without a project) has no value: ``is False`` does not match it,
#: ``is_not False`` does. Toolkit relies on this to tell site-wide from
#: project pipeline configurations; a checkbox stored empty on an existing
#: record still reads as False.
DEEP_CHECKBOX_THROUGH_EMPTY_LINK_IS_EMPTY = True

#: ``in_calendar_week`` weeks start on Monday (``datetime.weekday() == 0``).
WEEK_STARTS_ON = 0

#: Relative date operators (``in_last``, ``in_calendar_day``...) use the
#: local time zone of the process for "today" and for date_time values.
RELATIVE_DATES_USE_LOCAL_TIME = True

#: Number of frames per foot for ``footage`` values (35mm film).
FRAMES_PER_FOOT = 16

# --- Ordering ---------------------------------------------------------------

#: Empty values sort first ascending and last descending, as the smallest
#: value. A site's placement is not established (its database would put them
#: last); where the site is uncertain we answer like the reference mockgun,
#: whose tests pin this order. Text sorts ignoring case, links sort by the
#: target's display name, and records tied on every key keep id order.
NULLS_LAST_ASCENDING = False

# --- Retired / archived -----------------------------------------------------

#: ``include_archived_projects=False`` on ``Project`` itself leaves the
#: archived projects out; types without a ``project`` field are unaffected.
ARCHIVED_FILTER_APPLIES_TO_PROJECT = True

# --- Writes -----------------------------------------------------------------

#: Entity and multi-entity values must point at an existing, live record of a
#: type listed in the field's ``valid_types``.
CHECK_LINK_TARGETS = True

#: ``list`` and ``status_list`` values must be one of ``valid_values`` (when
#: the field lists any).
CHECK_VALID_VALUES = True

#: The schema's ``mandatory``, ``unique`` and ``editable`` flags are not
#: enforced (rigs create minimal records, and many non-editable fields, such
#: as ``PublishedFile.path``, are settable on create); only the audit fields
#: are protected: ``updated_*`` can never be written and ``created_*`` only on
#: create.
ENFORCE_SCHEMA_FLAGS = False

#: A local file link whose path matches no LocalStorage root is kept as a
#: local link with ``local_storage`` ``None`` and the path copied to every
#: ``local_path_<os>`` key (rather than being refused).
LOCAL_LINK_WITHOUT_STORAGE_ALLOWED = True

#: ``create`` writes one ``Shotgun_<Type>_New`` event (no per-field
#: ``_Change`` events for the initial values: docs/site_facts.rst, Event log,
#: does not say a hosted site writes them); ``update`` writes one ``_Change``
#: event per field whose value changed.
CHANGE_EVENTS_ON_CREATE = False

# The engine's update of a paired field (``Shot.tasks`` when a Task's
# ``entity`` is set) is logged as the other record's own ``_Change`` event
# only where ``Engine.logs_paired_link_changes`` is on (the local site, as a
# hosted site logs it: docs/site_facts.rst, Event log); mockgun keeps it off.

#: ``updated_at``/``updated_by`` change only when an update changed a value.
TOUCH_UPDATED_AT_ONLY_ON_CHANGE = True

#: ``revive`` of an id that never existed is a fault (as ``delete``).
REVIVE_UNKNOWN_ID_FAULTS = True

#: ``update`` of a retired record is a fault (the record is in the trash).
UPDATE_RETIRED_FAULTS = True

#: Mask a site returns for password fields.
PASSWORD_MASK = "*******"

# --- Paging ----------------------------------------------------------------

#: The largest page a read answers; larger ``entities_per_page`` are clamped.
MAX_ENTITIES_PER_PAGE = 500
