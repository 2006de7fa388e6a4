"""Look-up of a demand, its position among similar demands and the observed waiting time."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time
from dataclasses import dataclass

from argon2 import Parameters, PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, func, literal_column, or_, select
from sqlalchemy.orm import Session, aliased

from portal.demands.models import Demand, DemandEvent

# Every look-up hash is made with these parameters (OWASP's Argon2id setting: 19 MiB, 2 passes, one lane;
# about 20 ms). The import refuses others, and the hash checked for an unknown number uses them too, so
# "unknown number" and "wrong date" cost the same time (another cost would tell which numbers exist).
LOOKUP_PARAMETERS = Parameters(
    type=Type.ID, version=19, salt_len=16, hash_len=32, time_cost=2, memory_cost=19456, parallelism=1
)
HASHER = PasswordHasher.from_parameters(LOOKUP_PARAMETERS)
DUMMY_HASH = HASHER.hash("000000000000000000|1900-01-01")
NUMBER = re.compile(r"^\d{13}[0-9A-Z]{5}$")
MIN_ALLOCATIONS = 10  # below this, the segment's waiting time falls back to the territory's
HISTOGRAM_STEP = 10


def normalize_number(text: str) -> str:
    """The unique number as stored: spaces and dashes removed, letters upper-case."""
    return re.sub(r"[\s\-.]", "", text or "").upper()


def lookup_secret(number: str, birth_date: dt.date) -> str:
    return f"{normalize_number(number)}|{birth_date.isoformat()}"


def use_parameters(parameters: Parameters) -> None:
    """Set the look-up's Argon2 parameters (the tests use the cheapest ones, for every hash alike)."""
    global LOOKUP_PARAMETERS, HASHER, DUMMY_HASH, _HASH_SHAPE
    LOOKUP_PARAMETERS = parameters
    HASHER = PasswordHasher.from_parameters(parameters)
    DUMMY_HASH = HASHER.hash("000000000000000000|1900-01-01")
    _HASH_SHAPE = _shape(parameters)


def _shape(parameters: Parameters) -> re.Pattern:
    def length(size: int) -> int:  # unpadded base 64
        return (size * 4 + 2) // 3

    return re.compile(
        rf"^\$argon2id\$v={parameters.version}\$m={parameters.memory_cost},t={parameters.time_cost},"
        rf"p={parameters.parallelism}\$[A-Za-z0-9+/]{{{length(parameters.salt_len)}}}"
        rf"\$[A-Za-z0-9+/]{{{length(parameters.hash_len)}}}$"
    )


_HASH_SHAPE = _shape(LOOKUP_PARAMETERS)


def is_lookup_hash(value: str) -> bool:
    """An Argon2id hash made with exactly the look-up's parameters (what an import may bring)."""
    return bool(_HASH_SHAPE.match(value))


def hashes_with_other_parameters(session: Session) -> int:
    """Demands stored before the parameters were fixed (an earlier import): their numbers answer in
    another time than unknown ones until a new demands file replaces them."""
    p = LOOKUP_PARAMETERS
    prefix = f"$argon2id$v={p.version}$m={p.memory_cost},t={p.time_cost},p={p.parallelism}$"
    other = ~Demand.lookup_hash.startswith(prefix, autoescape=True)
    return session.scalar(select(func.count()).select_from(Demand).where(other))


def hash_lookup(number: str, birth_date: dt.date) -> str:
    return HASHER.hash(lookup_secret(number, birth_date))


def find_demand(session: Session, number: str, birth_date: dt.date) -> Demand | None:
    """The demand when the number and the birth date match; None otherwise, after the same work."""
    number = normalize_number(number)
    demand = session.scalar(select(Demand).where(Demand.number == number)) if NUMBER.match(number) else None
    try:
        HASHER.verify(demand.lookup_hash if demand else DUMMY_HASH, lookup_secret(number, birth_date))
    except (VerificationError, InvalidHashError):
        return None
    return demand


def _pool(mutation: bool, types, communes):
    """Active, scored demands of one kind for any of `types`, whose first choice is any of `communes`."""
    return and_(
        Demand.status == "active",
        Demand.mutation == mutation,
        Demand.dwelling_type.in_(types) if len(types) > 1 else Demand.dwelling_type == types[0],
        Demand.first_commune_insee.in_(communes)
        if len(communes) > 1
        else Demand.first_commune_insee == communes[0],
        Demand.score_total.is_not(None),  # a demand the grid does not score has no place in the queue
    )


def _segment(demand: Demand):
    """Active demands for a similar dwelling: same kind, same dwelling type, same first-choice commune."""
    return _pool(demand.mutation, (demand.dwelling_type,), (demand.first_commune_insee,))


@dataclass(frozen=True)
class Position:
    ahead: int  # demands ranked before this one
    total: int  # demands of the segment, this one included
    histogram: tuple[tuple[int, int], ...]  # (lowest score of the bucket, demands), by score
    bucket: int  # the bucket of this demand

    @property
    def percentile(self) -> int:
        """Share of the segment ranked at or after this demand, in percent."""
        return round(100 * (self.total - self.ahead) / self.total) if self.total else 100


TIE_COLUMNS = {"filed_on": Demand.filed_on, "household_size": Demand.household_size}


def queue_position(session: Session, demand: Demand, ties: tuple = ()) -> Position:
    """Rank by score (highest first), then the grid's tie order (by default the filing date, oldest
    first), then the id: how many are ahead, of how many. `ties` are the grid's (engine.Tie)."""
    score = demand.score_total or 0
    ahead = _count_ahead(session, _segment(demand), _queue_keys(demand, ties))
    histogram = tuple(segment_histogram(session, demand))
    total = sum(count for _, count in histogram)
    return Position(ahead, total, histogram, (score // HISTOGRAM_STEP) * HISTOGRAM_STEP)


def _queue_keys(demand: Demand, ties) -> list[tuple]:
    """(column, descending, this demand's value) in the order of the queue: score, ties, then id."""
    keys = [(Demand.score_total, True, demand.score_total or 0)]
    for tie in ties or ():
        keys.append((TIE_COLUMNS[tie.fact], tie.descending, getattr(demand, tie.fact)))
    if not ties:
        keys.append((Demand.filed_on, False, demand.filed_on))
    keys.append((Demand.id, False, demand.id))
    return keys


def _count_ahead(session: Session, pool, keys: list[tuple], tied_only: bool = False) -> int:
    """Demands of `pool` before the one whose queue keys are `keys`; `tied_only`: only those of its
    very score (the tie order decides)."""
    ahead_of = []
    for index, (column, descending, value) in enumerate(keys):
        if tied_only and index == 0:
            continue
        before = [equal == known for equal, _, known in keys[:index]]
        ahead_of.append(and_(*before, column > value if descending else column < value))
    # `score_total >= score` repeats what the alternatives imply, so that the index is read from there on
    # rather than whole (the alternatives alone are a filter, not a range).
    score = Demand.score_total == keys[0][2] if tied_only else Demand.score_total >= keys[0][2]
    return session.scalar(select(func.count()).select_from(Demand).where(pool, score, or_(*ahead_of))) or 0


def pool_position(
    session: Session, demand: Demand, types, communes, ties=(), own_ahead: int | None = None
) -> tuple[int, int]:
    """(demands ahead, demands in all) if this demand were in the queue of a wider pool: the active
    demands of its kind for any of `types` whose first choice is any of `communes`, itself counted in
    (what the what-if shows; the score is the same, only the competition changes). Its own segment is
    counted as the position is (`own_ahead` when the caller has it); the others from their kept score
    counts (higher scores), plus an exact count of their demands of the same score that the tie order
    puts first (asked only of the segments that have that score)."""
    score, keys = demand.score_total or 0, _queue_keys(demand, ties)
    own = (demand.dwelling_type, demand.first_commune_insee)
    ahead = total = 0
    tied = []
    for dwelling_type in types:
        for commune in communes:
            counts = score_counts(session, demand.mutation, dwelling_type, commune)
            total += sum(count for _, count in counts)
            if (dwelling_type, commune) != own:
                ahead += sum(count for value, count in counts if value > score)
                if any(value == score for value, _ in counts):
                    tied.append((dwelling_type, commune))
    inside = own[0] in types and own[1] in communes
    if inside:
        ahead += own_ahead if own_ahead is not None else _count_ahead(session, _segment(demand), keys)
    for dwelling_type, commune in tied:
        ahead += _count_ahead(
            session, _pool(demand.mutation, (dwelling_type,), (commune,)), keys, tied_only=True
        )
    return ahead, total + (0 if inside or demand.status != "active" else 1)


_score_counts: dict[tuple, tuple[float, list]] = {}
HISTOGRAM_SECONDS = 120  # how long a process keeps a segment's score counts


def score_counts(session: Session, mutation: bool, dwelling_type: str, commune: str) -> list[tuple[int, int]]:
    """(score, demands) of a segment's active scored demands, by score. The same for every demand of the
    segment until scores change, so each process keeps them two minutes (and forgets them when it scores
    the demands itself): the position's own count, the demands ahead, is always exact."""
    key = (str(session.get_bind().engine.url), mutation, dwelling_type, commune)
    found = _score_counts.get(key)
    if found is not None and found[0] > time.monotonic():
        return found[1]
    rows = [
        (int(value), count)
        for value, count in session.execute(
            select(Demand.score_total, func.count())
            .where(_pool(mutation, (dwelling_type,), (commune,)))
            .group_by(Demand.score_total)
            .order_by(Demand.score_total)
        )
    ]
    _score_counts[key] = (time.monotonic() + HISTOGRAM_SECONDS, rows)
    return rows


def segment_histogram(session: Session, demand: Demand) -> list[tuple[int, int]]:
    """(lowest score of the bucket, demands) of the demand's segment, by score, in steps of
    HISTOGRAM_STEP (a negative total, a penalty's, falls in the bucket below zero)."""
    buckets: dict[int, int] = {}
    for value, count in score_counts(
        session, demand.mutation, demand.dwelling_type, demand.first_commune_insee
    ):
        low = value // HISTOGRAM_STEP * HISTOGRAM_STEP
        buckets[low] = buckets.get(low, 0) + count
    return sorted(buckets.items())


def forget_histograms() -> None:
    """Scores changed in this process (a recompute, an import, a test): the score counts and the waits
    are read again."""
    _score_counts.clear()
    _kept_waits.clear()


@dataclass(frozen=True)
class Wait:
    median_months: float | None
    allocations: int
    territory: bool  # True when the segment had too few allocations and the territory's figure is shown


def _waits(session: Session, since: dt.date, demand: Demand | None) -> list[int]:
    allocated = aliased(Demand)
    query = (
        select(DemandEvent.occurred_on, allocated.filed_on)
        .join(allocated, allocated.id == DemandEvent.demand_id)
        .where(
            # Written out, so that the partial index of the allocations (ix_demand_event_allocation) is
            # seen to apply: SQLite does not match a bound parameter against an index's condition.
            DemandEvent.kind == literal_column("'allocation'"),
            DemandEvent.occurred_on >= since,
            allocated.mutation == (demand.mutation if demand else allocated.mutation),
        )
    )
    if demand is not None:
        query = query.where(
            DemandEvent.dwelling_type == demand.dwelling_type,
            DemandEvent.commune_insee == demand.first_commune_insee,
        )
    return [(occurred - filed).days for occurred, filed in session.execute(query)]


def waiting_time(session: Session, demand: Demand, today: dt.date) -> Wait:
    """Median wait of the allocations of the last 12 months for this segment, else for the territory.
    The same for every demand of the segment on a day, so each process keeps it as long as the score
    counts (and forgets it with them)."""
    key = (
        str(session.get_bind().engine.url),
        demand.mutation,
        demand.dwelling_type,
        demand.first_commune_insee,
    )
    found = _kept_waits.get(key)
    if found is not None and found[0] > time.monotonic() and found[1][0] == today:
        return found[1][1]
    since = today - dt.timedelta(days=365)
    waits, territory = _waits(session, since, demand), False
    if len(waits) < MIN_ALLOCATIONS:
        waits, territory = _waits(session, since, None), True
    median = round(statistics.median(waits) / 30.44, 1) if waits else None
    wait = Wait(median, len(waits), territory)
    _kept_waits[key] = (time.monotonic() + HISTOGRAM_SECONDS, (today, wait))
    return wait


_kept_waits: dict[tuple, tuple[float, tuple[dt.date, Wait]]] = {}


def latest_decision(demand: Demand) -> DemandEvent | None:
    decisions = [event for event in demand.events if event.kind == "decision"]
    return decisions[-1] if decisions else None
