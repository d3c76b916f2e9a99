"""A bound on the rows a site holds in memory: the tables read least recently are let go first.

A table read whole (``stored_table.py``) stays in memory so later scans of
it are fast. On a site whose tables together outgrow the memory it may use
(``SqliteStore.memory_budget``), the tables scanned least recently let go
of their rows between calls, and are read again from the store when next
needed: a buffer pool by table. A table's size is its row count times the
bytes a row holds, measured on a sample when it was read.
"""
from __future__ import annotations

from typing import Any, Iterable, List


def held_bytes(tables: Iterable[Any]) -> int:
    """About how many bytes the rows ``tables`` hold in memory take."""
    return sum(table.held_rows() * table.row_bytes for table in tables if table.keeps_rows)


def trim(tables: Iterable[Any], budget: int) -> List[str]:
    """Let the least recently scanned tables go until the rest fit in ``budget`` bytes; their names.

    Call it between calls only: a released table's rows are read again from
    the store, so no call may hold one of them.
    """
    held = [table for table in tables if table.keeps_rows and table.held_rows()]
    total = held_bytes(held)
    released: List[str] = []
    for table in sorted(held, key=lambda table: table.used):
        if total <= budget:
            break
        total -= table.held_rows() * table.row_bytes
        table.release()
        released.append(table.entity_type)
    return released
