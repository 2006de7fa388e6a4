"""What one area announces and another acts on, so that an area never imports one that depends on it:
named signals (blinker, as Flask's own signals). Senders pass keyword arguments only; receivers are
connected by the receiving area's `connect_events()`, called from create_app.

- territory_data_changed: a data file (demands, events, allocations, stock) was applied and committed.
  Keywords: session, day (the import's date), progress (a portal.jobs.records.Tracker, or None).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

territory_data_changed = _signals.signal("territory-data-changed")
