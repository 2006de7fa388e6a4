"""Matching dwelling swaps between social tenants: pure functions, no database.

A listing is a tenant's current dwelling and what they wish for. Tenant A *accepts* B's dwelling when it
is of a type and in a commune A asked for, its rent with charges is within A's maximum, it is step-free
when A needs that, it fits A's household (one room per person, give or take one) and A's income is under
the ceiling of the dwelling's financing (the listing carries the financings its household qualifies for,
computed from the published ceilings when it was made). A swap is a cycle of acceptances: two tenants
who accept each other's dwelling, or three (A moves into B's, B into C's, C into A's). Every cycle is
found, each once; each tenant sees theirs ranked, with the reasons it matches.

Speed: the dwellings are bucketed by (type, commune) and sorted by rent, so a tenant's candidates are
read from the buckets of their wishes up to their maximum rent; two-way cycles are edges whose reverse
exists, three-way cycles the intersection of one tenant's successors' successors with their own
predecessors (set operations in C).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import repeat

from portal.demands.chances import fitting_types


def fits(household_size: int, dwelling_type: str) -> bool:
    """One main room per person, give or take one (a T5 has five rooms or more): the rule of the
    what-if of the applicants' look-up."""
    return dwelling_type in fitting_types(household_size)


@dataclass(frozen=True)
class Dwelling:
    dwelling_type: str  # T1 to T5
    commune: str  # INSEE code
    rent: float  # monthly, charges included, in euros
    step_free: bool  # no step from the street to the door (lift or ground floor)
    financing: str  # PLAI, PLUS, PLS or PLI: the ceiling its tenant's income must be under
    landlord: str
    surface: float = 0.0
    floor: int = 0


@dataclass(frozen=True)
class Wish:
    types: frozenset[str]
    communes: frozenset[str]
    max_rent: float
    step_free: bool = False  # needs a step-free dwelling


@dataclass(frozen=True)
class Listing:
    id: int
    household_size: int
    dwelling: Dwelling
    wish: Wish
    financings: frozenset[str]  # the financings whose income ceiling the household is under


def refusals(tenant: Listing, dwelling: Dwelling) -> list[str]:
    """Why `tenant` would not move into `dwelling` (codes); empty when they accept it."""
    wish = tenant.wish
    found = []
    if dwelling.dwelling_type not in wish.types:
        found.append("type")
    if dwelling.commune not in wish.communes:
        found.append("commune")
    if dwelling.rent > wish.max_rent:
        found.append("rent")
    if wish.step_free and not dwelling.step_free:
        found.append("step_free")
    if not fits(tenant.household_size, dwelling.dwelling_type):
        found.append("size")
    if dwelling.financing not in tenant.financings:
        found.append("ceiling")
    return found


def accepts(tenant: Listing, dwelling: Dwelling) -> bool:
    return not refusals(tenant, dwelling)


@dataclass(frozen=True)
class Cycle:
    """Tenants in the order of the moves: each moves into the next one's dwelling, the last into the
    first's. Written from its smallest id, so that each cycle has one form."""

    ids: tuple[int, ...]

    @classmethod
    def of(cls, ids: Iterable[int]) -> Cycle:
        ids = tuple(ids)
        start = ids.index(min(ids))
        return cls(ids[start:] + ids[:start])

    def moves(self) -> list[tuple[int, int]]:
        """(tenant, the tenant whose dwelling they move into)."""
        return [(self.ids[index], self.ids[(index + 1) % len(self.ids)]) for index in range(len(self.ids))]

    def dwelling_for(self, tenant: int) -> int:
        """The listing whose dwelling `tenant` would move into."""
        return dict(self.moves())[tenant]


@dataclass
class Graph:
    """Who accepts whose dwelling: `successors[a]` are the listings whose dwelling a accepts,
    `predecessors[a]` the listings whose tenant accepts a's dwelling."""

    successors: dict[int, set[int]] = field(default_factory=dict)
    predecessors: dict[int, set[int]] = field(default_factory=dict)

    @property
    def edges(self) -> int:
        return sum(len(targets) for targets in self.successors.values())


def acceptance_graph(listings: Iterable[Listing]) -> Graph:
    """Both directions of every acceptance, read from sorted indexes rather than pair by pair.

    Dwellings are indexed by (type, commune, financing, step-free) and sorted by rent: a tenant's
    successors are, for each type that fits them and each commune they wish, the cheap end of the index
    up to their maximum rent (only the step-free part if they need it, only the financings whose ceiling
    they are under). Tenants are indexed the other way, by (wished type, wished commune, financing they
    qualify for, need of step-free), sorted by maximum rent, most first: a dwelling's predecessors are the
    start of that index down to its rent. Slices go into sets in C; no Python loop runs per acceptance."""
    by_id = {listing.id: listing for listing in listings}
    dwellings: dict[tuple, list[tuple[float, int]]] = defaultdict(list)
    seekers: dict[tuple, list[tuple[float, int]]] = defaultdict(list)
    for listing in by_id.values():
        home = listing.dwelling
        dwellings[(home.dwelling_type, home.commune, home.financing, home.step_free)].append(
            (home.rent, listing.id)
        )
        wish = listing.wish
        for dwelling_type in wish.types:
            if fits(listing.household_size, dwelling_type):
                for commune in wish.communes:
                    for financing in listing.financings:
                        key = (dwelling_type, commune, financing, wish.step_free)
                        seekers[key].append((-wish.max_rent, listing.id))
    dwelling_rents = _sorted_index(dwellings)
    seeker_rents = _sorted_index(seekers)
    graph = Graph({key: set() for key in by_id}, {key: set() for key in by_id})
    for listing in by_id.values():
        wish, home, own = listing.wish, listing.dwelling, listing.id
        found = graph.successors[own]
        for dwelling_type in wish.types:
            if not fits(listing.household_size, dwelling_type):
                continue
            for commune in wish.communes:
                for financing in listing.financings:
                    for step_free in (True,) if wish.step_free else (True, False):
                        index = dwelling_rents.get((dwelling_type, commune, financing, step_free))
                        if index:
                            rents, ids = index
                            found.update(ids[: bisect.bisect_right(rents, wish.max_rent)])
        found.discard(own)
        found = graph.predecessors[own]
        for needs_step_free in (False, True) if home.step_free else (False,):
            index = seeker_rents.get((home.dwelling_type, home.commune, home.financing, needs_step_free))
            if index:
                rents, ids = index
                found.update(ids[: bisect.bisect_right(rents, -home.rent)])
        found.discard(own)
    return graph


def _sorted_index(
    buckets: dict[tuple, list[tuple[float, int]]],
) -> dict[tuple, tuple[list[float], list[int]]]:
    index = {}
    for key, bucket in buckets.items():
        bucket.sort()
        index[key] = ([value for value, _ in bucket], [ident for _, ident in bucket])
    return index


def _two_way(graph: Graph) -> Iterator[tuple[int, set[int]]]:
    """(a, every b > a with a ⇄ b): the two-way cycles, grouped by their smallest id."""
    successors, predecessors = graph.successors, graph.predecessors
    for a, targets in successors.items():
        mutual = {b for b in targets & predecessors[a] if b > a}
        if mutual:
            yield a, mutual


def _three_way(graph: Graph) -> Iterator[tuple[int, int | set[int], int | set[int]]]:
    """Every cycle a → b → c → a with a its smallest id, in groups sharing a and one other member:
    (a, b, {c, …}) or (a, {b, …}, c). For each a, the intersections are taken from the smaller of its
    two sides (the b it moves into, the c moving into its dwelling): a third of the work of always
    starting from b on a territory's graph."""
    successors, predecessors = graph.successors, graph.predecessors
    for a, targets in successors.items():
        closing = {c for c in predecessors[a] if c > a}  # c moves into a's: the cycle's last move
        if not closing:
            continue
        forward = {b for b in targets if b > a}
        if len(forward) <= len(closing):
            for b in forward:
                common = successors[b] & closing
                common.discard(b)
                if common:
                    yield a, b, common
        else:
            for c in closing:
                common = predecessors[c] & forward
                common.discard(c)
                if common:
                    yield a, common, c


def find_cycles(graph: Graph) -> tuple[list[tuple[int, int]], list[tuple[int, int, int]]]:
    """Every two-way and every three-way cycle, each once, as tuples of listing ids in the order of the
    moves (each moves into the next one's dwelling, the last into the first's) from the smallest id."""
    pairs: list[tuple[int, int]] = []
    triples: list[tuple[int, int, int]] = []
    for a, mutual in _two_way(graph):
        pairs.extend(zip(repeat(a), mutual))
    for a, middle, last in _three_way(graph):  # tuples made in C
        if isinstance(middle, set):
            triples.extend(zip(repeat(a), middle, repeat(last)))
        else:
            triples.extend(zip(repeat(a), repeat(middle), last))
    return pairs, triples


def count_cycles(graph: Graph) -> tuple[int, int, int]:
    """(listings in at least one cycle, two-way cycles, three-way cycles), as find_cycles would find
    them, without holding every cycle: the nightly figure of a whole territory."""
    members: set[int] = set()
    pairs = triples = 0
    for a, mutual in _two_way(graph):
        pairs += len(mutual)
        members.add(a)
        members.update(mutual)
    for a, middle, last in _three_way(graph):
        group, single = (middle, last) if isinstance(middle, set) else (last, middle)
        triples += len(group)
        members.update(group)
        members.update((a, single))
    return len(members), pairs, triples


def all_cycles(listings: Iterable[Listing]) -> tuple[list[tuple[int, int]], list[tuple[int, int, int]]]:
    return find_cycles(acceptance_graph(listings))


def cycles_of(tenant: int, graph: Graph) -> list[Cycle]:
    """The cycles one tenant is in, read from the graph around them (for their match page: no need
    to find every cycle of the territory)."""
    successors, back = graph.successors, graph.predecessors[tenant]
    found = [Cycle.of((tenant, other)) for other in successors[tenant] & back]
    for b in successors[tenant]:
        for c in successors[b] & back:
            if c != b:
                found.append(Cycle.of((tenant, b, c)))
    return found


@dataclass(frozen=True)
class Match:
    """A cycle as one tenant sees it: the dwelling they would move into, and why it fits them."""

    cycle: Cycle
    tenant: int
    into: int  # the listing whose dwelling they would move into
    reasons: tuple[tuple[str, object], ...]
    rank: float  # lower first


def reasons_for(tenant: Listing, dwelling: Dwelling) -> tuple[tuple[str, object], ...]:
    """Why the dwelling fits the tenant, as (code, value) pairs the page words: the type and commune
    asked for, the rent against the tenant's current one, step-free when they need it, the household's
    size and the financing whose ceiling they are under."""
    found: list[tuple[str, object]] = [
        ("type", dwelling.dwelling_type),
        ("commune", dwelling.commune),
        ("rent", round(dwelling.rent - tenant.dwelling.rent, 2)),
    ]
    if tenant.wish.step_free:
        found.append(("step_free", True))
    found += [("size", tenant.household_size), ("ceiling", dwelling.financing)]
    return tuple(found)


def matches_for(tenant_id: int, cycles: Iterable[Cycle], listings: dict[int, Listing]) -> list[Match]:
    """The tenant's cycles, best first: two-way swaps before three-way ones (fewer landlords and
    households to agree), then the lower rent within the tenant's maximum, then the larger surface."""
    tenant = listings[tenant_id]
    found = []
    for cycle in cycles:
        if tenant_id not in cycle.ids:
            continue
        into = cycle.dwelling_for(tenant_id)
        dwelling = listings[into].dwelling
        rank = (len(cycle.ids) - 2) * 10_000 + dwelling.rent / max(tenant.wish.max_rent, 1) * 100
        rank -= dwelling.surface / 1000
        found.append(Match(cycle, tenant_id, into, reasons_for(tenant, dwelling), rank))
    return sorted(found, key=lambda match: (match.rank, match.cycle.ids))
