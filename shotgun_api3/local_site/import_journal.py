"""The import journal: what an ``import`` into a site folder planned and how far it got.

One JSON object per line in ``import-journal.jsonl`` in the site folder,
appended and flushed to disk as the import goes:

- ``{"event": "start", "key": ..., "source": ..., "offsets": {...}}`` — an
  import begins; ``key`` names the source and the options (never
  credentials), ``offsets`` how each type's ids move (0: ids kept);
- ``{"event": "page", "key": ..., "type": ..., "done": n}`` — the first ``n``
  selected records of a type are committed to the site;
- ``{"event": "done", "key": ..., "report": {...}}`` — the import finished.

Pages are written to the site before the journal says so, and a page is
written at fixed target ids, so repeating one after a crash rewrites the same
rows: nothing is ever duplicated.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, Optional

JOURNAL_NAME = "import-journal.jsonl"


class ImportJournal:
    """The journal of one site folder (``None``: an in-memory site, nothing kept)."""

    def __init__(self, folder: Optional[Path]) -> None:
        self.path = Path(folder) / JOURNAL_NAME if folder is not None else None

    def _events(self):
        if self.path is None or not self.path.exists():
            return
        with open(self.path, encoding="utf-8") as handle:
            for line in handle:
                line = line.strip()
                if not line:
                    continue
                try:
                    yield json.loads(line)
                except ValueError:
                    return  # a line cut short by a crash is the journal's end

    def last_run(self, key: str) -> Optional[Dict[str, Any]]:
        """The latest run with ``key``: ``{"offsets", "done": {type: n}, "finished": bool}``, or None."""
        run: Optional[Dict[str, Any]] = None
        for event in self._events():
            if event.get("key") != key:
                continue
            kind = event.get("event")
            if kind == "start":
                run = {"offsets": event.get("offsets") or {}, "done": {}, "finished": False}
            elif run is not None and kind == "page":
                run["done"][event["type"]] = event["done"]
            elif run is not None and kind == "done":
                run["finished"] = True
        return run

    def write(self, event: Dict[str, Any]) -> None:
        if self.path is None:
            return
        line = json.dumps(event, sort_keys=True) + "\n"
        fd = os.open(str(self.path), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
