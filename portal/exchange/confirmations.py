"""A landlord's file of answers to its tenants' listings, instead of one button per listing: a CSV with
the lease reference each tenant gave and the decision ("confirmer" or "refuser"). The file is checked
whole before anything is written: every line must name one listing waiting for this landlord, once,
with a known decision; one problem and nothing is recorded (the report says every problem, by line).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from portal import csvfiles
from portal.exchange import landlords, services
from portal.exchange.models import Listing
from portal.partners.models import User

MAX_LINES = 5000
DECISIONS = {"confirmer": True, "confirm": True, "refuser": False, "refuse": False}
COLUMNS = ("reference", "decision")


@dataclass
class Reading:
    """The decisions read from a file, or the problems found in it as (line number, code, value)."""

    decisions: list[tuple[Listing, bool]] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)


def read(session: Session, landlord_id: int, raw: bytes) -> Reading:
    """The file checked against the listings waiting for this landlord; nothing is changed."""
    reading = Reading()
    text = csvfiles.decode(raw)
    if text is None or not text.strip():
        reading.problems.append((0, "empty", ""))
        return reading
    rows = csvfiles.rows(text)
    header = [cell.strip().casefold() for cell in next(rows, [])]
    if any(column not in header for column in COLUMNS):
        reading.problems.append((1, "columns", ";".join(header)))
        return reading
    where = {column: header.index(column) for column in COLUMNS}
    waiting: dict[str, list[Listing]] = {}
    for listing in landlords.to_confirm(session, landlord_id):
        waiting.setdefault(listing.tenant_reference.strip().casefold(), []).append(listing)
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if number > MAX_LINES + 1:
            reading.problems.append((number, "too_many", str(MAX_LINES)))
            break
        cells = row + [""] * (len(header) - len(row))
        reference = cells[where["reference"]].strip()
        decision = cells[where["decision"]].strip().casefold()
        key = reference.casefold()
        if decision not in DECISIONS:
            reading.problems.append((number, "decision", decision))
        if key in seen:
            reading.problems.append((number, "twice", reference))
        elif key not in waiting:
            reading.problems.append((number, "unknown", reference))
        elif len(waiting[key]) > 1:  # two tenants claim one lease: the page's buttons, one by one
            reading.problems.append((number, "ambiguous", reference))
        elif decision in DECISIONS:
            reading.decisions.append((waiting[key][0], DECISIONS[decision]))
        seen.add(key)
    if not reading.decisions and not reading.problems:
        reading.problems.append((0, "empty", ""))
    return reading


def apply(
    session: Session, landlord_id: int, reading: Reading, user: User, now: dt.datetime
) -> tuple[int, int]:
    """Every decision of a file read without problem, audited like the buttons; (confirmed, refused)."""
    if reading.problems:
        raise services.ExchangeRefused("file")
    confirmed = refused = 0
    for listing, yes in reading.decisions:
        if yes:
            services.confirm(session, listing, landlord_id, user, listing.tenant_reference, now)
            confirmed += 1
        else:
            services.refuse(session, listing, landlord_id, user, now)
            refused += 1
    return confirmed, refused
