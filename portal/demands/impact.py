"""What a draft grid would change, before it is activated: every active demand of the grid's kind scored
on the same day with the grid in force and with the draft; the distribution of scores before and after,
and how many demands would move up, down or keep their rank in their queue (the look-up's segment:
portal.demands.services._segment — same kind, dwelling type and first-choice commune).

Built for a million demands: the rows are read in batches by primary key as plain tuples (no ORM object),
and what is kept per demand is four numbers in compact arrays, grouped by segment.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from portal.cotation.engine import Score, score
from portal.cotation.grids import GridFile, grid_in_force
from portal.cotation.services import stored_grids
from portal.demands.models import Demand
from portal.demands.scoring import read_events, stored_facts
from portal.demands.services import HISTOGRAM_STEP
from portal.territory.models import Commune

BATCH = 20000
TOP_SEGMENTS = 15


@dataclass(frozen=True)
class SegmentMoves:
    mutation: bool
    dwelling_type: str
    commune_insee: str
    commune_name: str
    demands: int
    up: int
    down: int
    same: int


@dataclass
class Impact:
    demands: int = 0
    in_force: GridFile | GridVersion | None = None
    bands: list[tuple[int, int, int]] = field(default_factory=list)  # (lowest score, before, after)
    up: int = 0
    down: int = 0
    same: int = 0
    segments: list[SegmentMoves] = field(default_factory=list)  # the most moved first
    segment_count: int = 0
    mean_before: float = 0.0
    mean_after: float = 0.0
    median_before: float = 0.0
    median_after: float = 0.0
    mean_change: float = 0.0
    median_change: float = 0.0
    raised: int = 0  # demands whose score goes up
    lowered: int = 0


def _rows(session: Session, after_id: int, batch: int) -> list[tuple]:
    table = Demand.__table__
    return session.execute(
        select(
            table.c.id,
            table.c.status,
            table.c.dwelling_type,
            table.c.first_commune_insee,
            table.c.filed_on,
            cast(table.c.facts, Text),
            cast(table.c.checked, Text),
            table.c.mutation,
            table.c.household_size,
            table.c.other_communes,
        )
        # By primary key only, as the recompute reads (a condition on status would pick the queue index).
        .where(table.c.id > after_id)
        .order_by(table.c.id)
        .limit(batch)
    ).all()


class _Segment:
    """One queue's demands: scores before and after, and the tie-breakers (filing day, id)."""

    __slots__ = ("after", "before", "filed", "ids")

    def __init__(self):
        self.before, self.after, self.filed, self.ids = array("l"), array("l"), array("l"), array("q")

    def moves(self) -> tuple[int, int, int]:
        """(up, down, same): ranks by score descending, then filing date and id (queue_position follows
        the grid's own tie order, which is the filing date unless the grid says otherwise)."""
        count = len(self.ids)
        seniority = sorted(range(count), key=lambda i: (self.filed[i], self.ids[i]))
        tie = array("l", bytes(array("l").itemsize * count))
        for rank, index in enumerate(seniority):
            tie[index] = rank
        ranks = []
        for scores in (self.before, self.after):
            order = sorted(range(count), key=lambda i: tie[i] - scores[i] * count)
            rank = array("l", bytes(array("l").itemsize * count))
            for position, index in enumerate(order):
                rank[index] = position
            ranks.append(rank)
        up = sum(1 for old, new in zip(*ranks, strict=True) if new < old)
        down = sum(1 for old, new in zip(*ranks, strict=True) if new > old)
        return up, down, count - up - down


def grid_impact(
    session: Session,
    draft: GridFile,
    day: dt.date,
    ceilings: tuple | None = None,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> Impact:
    """Score every active demand of the draft's kind with the grid in force on `day` and with the draft
    (on `day` too); no demand is changed."""
    kind = draft.grid.kind
    current = grid_in_force(stored_grids(session), kind, day)
    mutation = kind == "mutation"
    segments: dict[tuple, _Segment] = {}
    before_counts: Counter = Counter()
    after_counts: Counter = Counter()
    changes: Counter = Counter()
    after_id = read = 0
    while True:
        rows = _rows(session, after_id, batch)
        if not rows:
            break
        after_id = rows[-1][0]
        read += len(rows)
        if progress is not None:
            progress(read)
        events = read_events(session.connection(), rows, {"current": current, "draft": draft})
        for ident, status, dwelling, commune, filed_on, facts, checked, is_mutation, size, others in rows:
            if status != "active" or bool(is_mutation) != mutation:
                continue
            stored = stored_facts(
                (filed_on, size, dwelling, commune),
                (others, is_mutation),
                json.loads(facts) if facts else {},
                json.loads(checked) if checked else [],
                events.get(ident, ()),
            )
            old = _total(score(stored, current.grid, day, ceilings)) if current else 0
            new = _total(score(stored, draft.grid, day, ceilings))
            segment = segments.get((dwelling, commune))
            if segment is None:
                segment = segments[(dwelling, commune)] = _Segment()
            segment.before.append(old)
            segment.after.append(new)
            segment.filed.append(filed_on.toordinal())
            segment.ids.append(ident)
            before_counts[old] += 1
            after_counts[new] += 1
            changes[new - old] += 1
    return _summary(session, segments, before_counts, after_counts, changes, current, mutation)


def _total(result: Score) -> int:
    """A total for the comparison: a demand the grid leaves unscored counts as 0."""
    return 0 if result.excluded else result.total


def _summary(session, segments, before_counts, after_counts, changes, current, mutation) -> Impact:
    impact = Impact(demands=sum(before_counts.values()), in_force=current, segment_count=len(segments))
    names = dict(session.execute(select(Commune.insee, Commune.name)).all())
    moved = []
    for (dwelling, commune), segment in segments.items():
        up, down, same = segment.moves()
        impact.up, impact.down, impact.same = impact.up + up, impact.down + down, impact.same + same
        moved.append(
            SegmentMoves(
                mutation, dwelling, commune, names.get(commune, commune), len(segment.ids), up, down, same
            )
        )
    moved.sort(
        key=lambda item: (-(item.up + item.down), -item.demands, item.dwelling_type, item.commune_name)
    )
    impact.segments = moved
    buckets: dict[int, list[int]] = {}
    for counts, slot in ((before_counts, 0), (after_counts, 1)):
        for value, count in counts.items():
            buckets.setdefault((value // HISTOGRAM_STEP) * HISTOGRAM_STEP, [0, 0])[slot] += count
    impact.bands = [(low, pair[0], pair[1]) for low, pair in sorted(buckets.items())]
    if impact.demands:
        impact.mean_before = _mean(before_counts)
        impact.mean_after = _mean(after_counts)
        impact.median_before = _median(before_counts)
        impact.median_after = _median(after_counts)
        impact.mean_change = _mean(changes)
        impact.median_change = _median(changes)
        impact.raised = sum(count for change, count in changes.items() if change > 0)
        impact.lowered = sum(count for change, count in changes.items() if change < 0)
    return impact


def _mean(counts: Counter) -> float:
    return sum(value * count for value, count in counts.items()) / sum(counts.values())


def _median(counts: Counter) -> float:
    """The median of many values kept as value -> how many times (as statistics.median would give)."""
    total = sum(counts.values())
    wanted = [(total - 1) // 2, total // 2]
    found, seen = [], 0
    for value in sorted(counts):
        seen += counts[value]
        while wanted and wanted[0] < seen:
            found.append(value)
            wanted.pop(0)
    return statistics.fmean(found)


def impact_to_dict(impact: Impact) -> dict:
    """The impact as JSON, kept with the job that computed it."""
    values = {name: getattr(impact, name) for name in Impact.__dataclass_fields__ if name != "in_force"}
    values["segments"] = [asdict(segment) for segment in impact.segments]
    values["bands"] = [list(band) for band in impact.bands]
    grid = impact.in_force.grid if impact.in_force else None
    values["in_force"] = {"code": grid.code, "version": grid.version} if grid else None
    return values


@dataclass(frozen=True)
class GridVersion:
    """What the impact page says of the grid in force."""

    code: str
    version: int


def impact_from_dict(values: dict) -> Impact:
    """An impact read back from its job (the grid in force as its code and version only)."""
    fields = dict(values)
    in_force = fields.pop("in_force")
    impact = Impact(**{name: value for name, value in fields.items() if name not in ("segments", "bands")})
    impact.segments = [SegmentMoves(**segment) for segment in values["segments"]]
    impact.bands = [tuple(band) for band in values["bands"]]
    impact.in_force = GridVersion(**in_force) if in_force else None
    return impact
