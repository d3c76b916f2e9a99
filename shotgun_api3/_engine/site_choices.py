"""Every behaviour of a site the reference material leaves uncertain, in one place.

docs/site_facts.rst, Not established, lists what is not known about a real
site. Each constant below is the engine's answer to one of those questions;
the rest of the engine reads these names instead of hard-coding a choice, so
confirming a behaviour against a real site means changing one line here.
``docs/engine.rst`` describes each choice for users. The first part holds the
choices of queries and writes, the second those of the other methods
(summaries, groupings, threads, streams, schedules, navigation).
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


# === The methods beyond find and the writes: summaries, groupings, search, threads, streams,
# schedules, preferences and navigation ===

# --- summarize: summary types -------------------------------------------------

# `count` counts records whose value is not empty (None, "", []); `record_count`
# counts every record. `count` of `id` is therefore the number of records.
COUNT_SKIPS_EMPTY_VALUES = True

# `percentage` and `status_percentage` answer an int from 0 to 100 (rounded
# half up), the share of records whose value equals the summary's "value" key.
# Without a "value" key, `status_percentage` measures this status ...
DEFAULT_STATUS_PERCENTAGE_VALUE = "fin"
# ... and `percentage` measures checked boxes (checkbox fields) or non-empty values (others).

# `status_list` rolls a set up to one status: the single status all records
# share, this one for a mix, None when no record has a status.
MIXED_STATUS_ROLL_UP = "ip"

# `checked` / `unchecked` count records (not a share); an unset checkbox is unchecked.
# `average` is a float; `sum` of nothing is 0; `minimum`, `maximum`, `average`,
# `earliest`, `latest` of nothing are None.

# --- summarize: groups ------------------------------------------------------

# Records whose grouped value is empty form one group with this name and a
# None group_value ...
EMPTY_GROUP_NAME = ""
# ... placed last ascending and first descending (the reference mockgun has no
# summarize to follow here; a site's database would place them so).
EMPTY_GROUP_SORTS_LAST_ASCENDING = True

# Week groups start on Monday (ISO weeks) and are named by that day.
WEEK_STARTS_ON_MONDAY = True

# Duration groupings (`oneday`, `fivedays`) count days of this many minutes,
# the site's default working day of 8 hours.
MINUTES_PER_WORKING_DAY = 8 * 60

# Checkbox groups are named like the site's filter panel.
CHECKBOX_GROUP_NAMES = {True: "Yes", False: "No"}

# A multi_entity (or tag_list) field groups by each linked entity (or tag): a
# record with several links is counted in several groups.

# --- text_search (query_display_name_cache) ----------------------------------

# The site refuses shorter searches.
SEARCH_MIN_CHARACTERS = 3
# A record matches when every search word appears (case ignored) anywhere in
# its display name. Matches come type by type in the order of the request's
# entity_types, then by id; max_results caps them.
# The link shown in a match's "links" ([type, name]), per entity type; other
# types show ["", ""].
SEARCH_LINK_FIELDS = {
    "Shot": "sg_sequence",
    "Task": "entity",
    "Version": "entity",
    "PublishedFile": "entity",
    "TankPublishedFile": "entity",
    "Reply": "entity",
}

# --- note_thread_read (note_thread_contents) -----------------------------------

# Thread items carry created_at as the site's string, which the client does not
# turn into a datetime (docs/site_facts.rst, Answers). Items are oldest first,
# the Note itself always first.
THREAD_TIME_FORMAT = "%Y-%m-%d %H:%M:%S UTC"

# --- activity_stream_read (activity_stream) -----------------------------------

# An entity's stream holds the events of its own writes (create, update,
# delete, revive) and the creation of every live record that links to it (a
# Note on a Shot shows on the Shot's stream), newest first; min_id and max_id
# are inclusive bounds on update ids (the event log ids); without a limit the
# whole stream is answered. earliest/latest_update_id describe the answered updates.
STREAM_INCLUDES_LINKED_CREATIONS = True

# --- work schedule ---------------------------------------------------------------

# The studio's working week: Monday (0) to Friday (4). No API call changes
# the week itself, so days without an exception report STUDIO_WORK_WEEK.
STUDIO_WORKING_WEEKDAYS = frozenset({0, 1, 2, 3, 4})
# An exception for a user (in a project, then anywhere) wins over one for the
# project, which wins over one for the studio.
# The longest range one work_schedule_read answers (ten years).
WORK_SCHEDULE_MAX_DAYS = 3660

# --- preferences_read ------------------------------------------------------------

# The preferences a freshly made site answers (names and values as a site's
# Preferences page holds them; none can be changed through the API). Hosted
# sites also answer two groups of viewer settings whose keys change between
# releases; a fresh site has none set.
SITE_PREFERENCES = {
    "date_component_order": "month_day",
    "duration_units": "days",
    "format_currency_fields_decimal_options": "$1,000.99",
    "format_currency_fields_display_dollar_sign": False,
    "format_currency_fields_negative_options": "- $1,000",
    "format_date_fields": "08/04/22 OR 04/08/22 (depending on the Month order preference)",
    "format_float_fields": "9,999.99",
    "format_float_fields_rounding": "9.999999",
    "format_footage_fields": "10-05",
    "format_number_fields": "1,000",
    "format_time_hour_fields": "12 hour",
    "hours_per_day": 8.0,
    "support_local_storage": True,
    "enable_rv_integration": True,
    "enable_shotgun_review_for_rv": False,
    "view_master_settings": {},
    "creative_review_settings": {},
}

# --- navigation (nav_expand, nav_search) --------------------------------------

# The tree: "/" lists projects, "/Project/<id>" the entity types with records
# in the project, "/Project/<id>/<Type>" those records. Bookkeeping types are
# never shown in it.
NAVIGATION_HIDDEN_TYPES = frozenset({"EventLogEntry", "PageHit", "PageSetting", "AppWelcomeUserConnection",
                                     "BannerUserConnection"})
