"""What the record page renders and builds, kept per process for the next view of the same record.

The sections (about, sharing, what is due, shots, timeline, TB tests:
records/_sections.html) show nothing but the record's view (every value read from
the database, the reader's language and today's date: services.RecordView, whose
`due` is the forecast of those doses on that day), the reader's words
(fixed per language for the life of the process) and whether staff read it.
They are kept keyed on exactly that, so a kept copy is always what rendering
would give: any change to the record, or the next day, is a different key,
and the old copy ages out. The page still reads the record on every request;
only the rendering is saved, and only in this process's memory (an LRU of a
setting's size, RECORD_PAGE_CACHE; 0 turns it off). The parts of the page
that carry the reader's session (the print form's CSRF token, the menu) are
rendered each time. In the same way the family's page keeps the view it built
from the rows it read (services.load_linked_record_view: the view is a pure
function of them, the language and the day), so a record read again as it was
is not built again. Both are per app, in app.extensions.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """A bounded least-recently-used map, safe across threads: `get(key, make)` gives
    what `make()` gave for an equal key before, else calls it and keeps the answer.
    Only for values that are a pure function of the key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        if self.size <= 0:
            return make()
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        made = make()
        with self._lock:
            self._kept[key] = made
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return made

    def __len__(self) -> int:
        return len(self._kept)
