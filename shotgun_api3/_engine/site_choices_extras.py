"""Site behaviours the reference material leaves open, as chosen for summarize, search, notes and the rest.

Each constant is one choice (query-semantics.md section 17 lists the open
questions); change it here and every caller follows. The engine core keeps
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
# ... placed last ascending and first descending, as empty values are placed
# when the engine orders records (site_choices.NULLS_LAST_ASCENDING).
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
