"""Matching dwelling swaps: every cycle found satisfies every participant (wishes, size, ceilings), and
every two- and three-way cycle a brute force finds is found, once (hypothesis)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.demands.models import DWELLING_TYPES
from portal.exchange.matching import (
    Cycle,
    Dwelling,
    Listing,
    Wish,
    acceptance_graph,
    accepts,
    all_cycles,
    count_cycles,
    cycles_of,
    find_cycles,
    fits,
    matches_for,
    refusals,
)

COMMUNES = ("72181", "72003", "72095", "72328")
FINANCINGS = ("PLAI", "PLUS", "PLS")


def dwelling(kind="T3", commune="72181", rent=500.0, step_free=False, financing="PLUS", surface=60.0):
    return Dwelling(kind, commune, rent, step_free, financing, "OPH", surface)


def listing(ident, kind="T3", commune="72181", wants=("T3",), where=("72181",), max_rent=600.0, **extra):
    return Listing(
        ident,
        extra.pop("size", 3),
        dwelling(kind, commune, extra.pop("rent", 500.0), extra.pop("has_step_free", False)),
        Wish(frozenset(wants), frozenset(where), max_rent, extra.pop("needs_step_free", False)),
        frozenset(extra.pop("financings", FINANCINGS)),
    )


def test_two_tenants_who_want_each_others_dwelling_swap():
    a = listing(1, "T2", "72181", wants=("T3",), where=("72003",), size=3)
    b = listing(2, "T3", "72003", wants=("T2",), where=("72181",), size=2)
    pairs, triples = all_cycles([a, b])
    assert pairs == [(1, 2)] and triples == []


def test_three_tenants_make_a_cycle_no_pair_could():
    a = listing(1, "T2", "72181", wants=("T3",), where=("72003",), size=3)  # into b's
    b = listing(2, "T3", "72003", wants=("T4",), where=("72095",), size=4)  # into c's
    c = listing(3, "T4", "72095", wants=("T2",), where=("72181",), size=2)  # into a's
    pairs, triples = all_cycles([c, a, b])
    assert pairs == [] and triples == [(1, 2, 3)]
    assert Cycle.of((2, 3, 1)) == Cycle((1, 2, 3))
    assert Cycle((1, 2, 3)).moves() == [(1, 2), (2, 3), (3, 1)]


def test_each_condition_can_refuse():
    tenant = listing(1, wants=("T3",), where=("72181",), max_rent=600, size=3, needs_step_free=True)
    assert refusals(tenant, dwelling("T3", step_free=True)) == []
    assert refusals(tenant, dwelling("T4", step_free=True)) == ["type"]
    assert refusals(tenant, dwelling(commune="72003", step_free=True)) == ["commune"]
    assert refusals(tenant, dwelling(rent=600.01, step_free=True)) == ["rent"]
    assert refusals(tenant, dwelling(step_free=False)) == ["step_free"]
    assert refusals(tenant, dwelling(step_free=True, financing="PLI")) == ["ceiling"]
    single = listing(2, wants=("T4",), size=1)
    assert "size" in refusals(single, dwelling("T4"))


def test_household_size_against_the_dwelling():
    assert fits(1, "T1") and fits(1, "T2") and not fits(1, "T3")
    assert fits(4, "T5") and not fits(3, "T5") and fits(8, "T5")


def test_matches_are_ranked_pairs_first_then_the_cheaper():
    a = listing(1, "T2", "72181", wants=("T3", "T4"), where=("72003", "72095"), size=3, max_rent=700)
    b = listing(2, "T3", "72003", wants=("T2",), where=("72181",), size=2, rent=650)
    c = listing(3, "T4", "72095", wants=("T2",), where=("72181",), size=2, rent=400)
    d = listing(4, "T3", "72003", wants=("T4",), where=("72095",), size=4, rent=450)
    listings = {item.id: item for item in (a, b, c, d)}
    graph = acceptance_graph(listings.values())
    found = matches_for(1, cycles_of(1, graph), listings)
    assert [match.cycle for match in found] == [Cycle((1, 3)), Cycle((1, 2)), Cycle((1, 4, 3))]
    assert [match.into for match in found] == [3, 2, 4]
    assert matches_for(2, cycles_of(2, graph), listings)[0].into == 1
    assert dict(found[0].reasons) == {
        "type": "T4",
        "commune": "72095",
        "rent": -100.0,
        "size": 3,
        "ceiling": "PLUS",
    }


def make_listing(kind, commune, wants, where, max_rent, rent, size, needs, has, financing, allowed):
    return Listing(
        0,
        size,
        Dwelling(kind, commune, rent, has, financing, "OPH"),
        Wish(frozenset(wants), frozenset(where), max_rent, needs),
        frozenset(allowed),
    )


listings_strategy = st.lists(
    st.builds(
        make_listing,
        st.sampled_from(DWELLING_TYPES),
        st.sampled_from(COMMUNES),
        st.sets(st.sampled_from(DWELLING_TYPES), min_size=1, max_size=3),
        st.sets(st.sampled_from(COMMUNES), min_size=1, max_size=3),
        st.sampled_from((350.0, 500.0, 650.0)),
        st.sampled_from((300.0, 450.0, 600.0)),
        st.integers(1, 6),
        st.booleans(),
        st.booleans(),
        st.sampled_from(FINANCINGS),
        st.sets(st.sampled_from(FINANCINGS), min_size=1),
    ),
    max_size=14,
)


def renumber(items: list[Listing]) -> list[Listing]:
    return [
        Listing(index + 1, item.household_size, item.dwelling, item.wish, item.financings)
        for index, item in enumerate(items)
    ]


@settings(max_examples=300, deadline=None)
@given(listings_strategy)
def test_every_cycle_found_satisfies_everyone_and_none_is_missed(items):
    items = renumber(items)
    by_id = {item.id: item for item in items}
    pairs, triples = all_cycles(items)
    for ids in pairs + triples:
        cycle = Cycle(ids)
        assert len(set(ids)) == len(ids) and ids[0] == min(ids)
        for tenant, into in cycle.moves():
            assert accepts(by_id[tenant], by_id[into].dwelling), (tenant, into)
    expected_pairs = {
        Cycle.of((a.id, b.id)).ids
        for a, b in itertools.combinations(items, 2)
        if accepts(a, b.dwelling) and accepts(b, a.dwelling)
    }
    expected_triples = {
        Cycle.of((a.id, b.id, c.id)).ids
        for a, b, c in itertools.permutations(items, 3)
        if accepts(a, b.dwelling) and accepts(b, c.dwelling) and accepts(c, a.dwelling)
    }
    assert len(pairs) == len(set(pairs)) and set(pairs) == expected_pairs
    assert len(triples) == len(set(triples)) and set(triples) == expected_triples
    members = {ident for ids in expected_pairs | expected_triples for ident in ids}
    assert count_cycles(acceptance_graph(items)) == (len(members), len(expected_pairs), len(expected_triples))


@settings(max_examples=100, deadline=None)
@given(listings_strategy)
def test_the_graph_holds_exactly_the_acceptances(items):
    items = renumber(items)
    graph = acceptance_graph(items)
    for a in items:
        for b in items:
            if a.id != b.id:
                assert (b.id in graph.successors[a.id]) == accepts(a, b.dwelling)
                assert (a.id in graph.predecessors[b.id]) == accepts(a, b.dwelling)
    assert find_cycles(graph) == all_cycles(items)
    cycles = {Cycle(ids) for ids in pairs_and_triples(items)}
    for item in items:
        mine = cycles_of(item.id, graph)
        assert len(mine) == len(set(mine)) and set(mine) == {
            cycle for cycle in cycles if item.id in cycle.ids
        }


def pairs_and_triples(items):
    pairs, triples = all_cycles(items)
    return pairs + triples
