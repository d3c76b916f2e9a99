"""Site behaviours the reference material leaves open, as chosen for summarize, search, notes and the rest.

Each constant is one choice (docs/site_facts.rst, Not established, lists the
open questions); change it here and every caller follows. The engine core keeps
its own choices in ``site_choices``; these cover the methods outside the
core (summaries, groupings, threads, streams, schedules, navigation).
"""
from __future__ import annotations

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
