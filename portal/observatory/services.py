"""The public figures: computed for the whole territory at once (after each import, and daily by
`portal observatory refresh` from cron), stored as a snapshot, and read from it by the commune pages, the
territory page, the comparison page and the API, with statistical secrecy applied on the way out.

A commune's figures are then one dictionary look-up in a copy each worker keeps (it checks at most every
STAMP_SECONDS whether a newer snapshot was stored), whatever the number of demands.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, fields

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.demands.models import DWELLING_TYPES
from portal.observatory.definitions import INDICATORS
from portal.observatory.figures import Figures, Period, public
from portal.observatory.indicators import ALL, Filters, observatory
from portal.observatory.models import FiguresSnapshot
from portal.territory.models import Commune

KEEP_SNAPSHOTS = 7  # older snapshots are deleted when a new one is stored
STAMP_SECONDS = 2.0

_kept: dict[str, tuple[float, int | None, Snapshot | None]] = {}  # database URL -> (checked at, id, copy)


@dataclass(frozen=True)
class Snapshot:
    """A stored snapshot, read back: unmasked figures per (commune or ALL) and (dwelling type or ALL)."""

    id: int
    day: dt.date
    period: Period
    stock_year: int | None
    computed_at: dt.datetime
    territory: dict[str, Figures]
    communes: dict[str, dict[str, Figures]]


def _figures(values: dict) -> Figures:
    names = {item.name for item in fields(Figures)}
    known = {name: value for name, value in values.items() if name in names}
    known["hidden"] = tuple(known.get("hidden") or ())
    return Figures(**known)


def _per_type(overall: Figures, by_type: dict[str, Figures]) -> dict[str, dict]:
    return {ALL: overall.as_dict(), **{name: figures.as_dict() for name, figures in by_type.items()}}


def refresh(session: Session, day: dt.date) -> FiguresSnapshot:
    """Compute the figures of the twelve months before `day` and store them (in the caller's transaction);
    keep the KEEP_SNAPSHOTS latest."""
    communes = list(session.scalars(select(Commune.insee).order_by(Commune.insee)))
    result = observatory(session, Filters(Period.year_before(day)), communes)
    by_commune: dict[str, dict] = {}
    for insee in communes:
        by_type = {
            dwelling_type: result.by_commune_type[(insee, dwelling_type)]
            for dwelling_type in DWELLING_TYPES
            if (insee, dwelling_type) in result.by_commune_type
        }
        by_commune[insee] = _per_type(result.by_commune[insee], by_type)
    snapshot = FiguresSnapshot(
        day=day,
        period_start=result.period.start,
        period_end=result.period.end,
        stock_year=result.stock_year,
        figures={"territory": _per_type(result.territory, result.by_type), "communes": by_commune},
    )
    session.add(snapshot)
    session.flush()
    older = list(
        session.scalars(select(FiguresSnapshot.id).order_by(FiguresSnapshot.id.desc()).offset(KEEP_SNAPSHOTS))
    )
    if older:
        session.execute(delete(FiguresSnapshot).where(FiguresSnapshot.id.in_(older)))
    forget()
    return snapshot


def forget() -> None:
    """Drop the kept copies (after a refresh in this process, and between tests)."""
    _kept.clear()


def _read(row: FiguresSnapshot) -> Snapshot:
    return Snapshot(
        id=row.id,
        day=row.day,
        period=Period(row.period_start, row.period_end),
        stock_year=row.stock_year,
        computed_at=row.computed_at,
        territory={name: _figures(values) for name, values in row.figures["territory"].items()},
        communes={
            insee: {name: _figures(values) for name, values in per_type.items()}
            for insee, per_type in row.figures["communes"].items()
        },
    )


def latest(session: Session) -> Snapshot | None:
    """The latest stored snapshot, from this worker's copy when no newer one was stored since."""
    key = str(session.get_bind().engine.url)
    now = time.monotonic()
    kept = _kept.get(key)
    if kept is not None and now - kept[0] < STAMP_SECONDS:
        return kept[2]
    newest = session.scalar(select(FiguresSnapshot.id).order_by(FiguresSnapshot.id.desc()).limit(1))
    if kept is not None and kept[1] == newest:
        _kept[key] = (now, newest, kept[2])
        return kept[2]
    copy = _read(session.get(FiguresSnapshot, newest)) if newest is not None else None
    _kept[key] = (now, newest, copy)
    return copy


def current(session: Session, day: dt.date) -> Snapshot:
    """The latest snapshot; the first time ever (a new database), computed and stored now."""
    snapshot = latest(session)
    if snapshot is None:
        refresh(session, day)
        session.commit()
        snapshot = latest(session)
    return snapshot


@dataclass(frozen=True)
class PublicFigures:
    """What the public reads of a commune (or of the territory): secrecy applied."""

    snapshot: Snapshot
    overall: Figures
    by_type: dict[str, Figures]  # T1 to T5

    @property
    def hides_something(self) -> bool:
        """Whether secrecy withholds a figure the public pages show (the others are not shown anyway)."""
        shown = {indicator.name for indicator in INDICATORS if indicator.public}
        return any(shown & set(figures.hidden) for figures in (self.overall, *self.by_type.values()))


def public_figures(session: Session, day: dt.date, insee: str | None = None) -> PublicFigures | None:
    """The public figures of a commune (None for a commune the snapshot does not know), or of the
    territory when `insee` is None."""
    snapshot = current(session, day)
    per_type = snapshot.territory if insee is None else snapshot.communes.get(insee)
    if per_type is None:
        return None
    return PublicFigures(
        snapshot=snapshot,
        overall=public(per_type[ALL]),
        by_type={name: public(per_type[name]) for name in DWELLING_TYPES if name in per_type},
    )


def demands_per_allocation(figures: Figures) -> int | None:
    """N in "about 1 allocation for N demands": the pressure rounded (None when it cannot be said, or when
    there were more allocations than demands in progress)."""
    if figures.pressure is None or figures.allocations in (None, 0) or figures.pressure < 1:
        return None
    return max(1, round(figures.pressure))
