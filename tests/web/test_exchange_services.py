"""The exchange's operations on both backends: a listing from the tenant to the landlord's confirmation,
its renewal and lapse; a swap from a proposal to every tenant's yes, every landlord's decision and the
moves; what may not happen changes nothing."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import select

from portal import clock
from portal.exchange import accounts, matching, neighbourhood, services
from portal.exchange.jobs import lapse_listings
from portal.exchange.models import Listing, Swap, Tenant
from portal.exchange.services import ExchangeRefused
from tests.factories.exchange import (
    ALLONNES,
    COULAINES,
    LE_MANS,
    NOW,
    create_listing,
    create_tenant,
    listing_input,
)
from tests.factories.exchange import three_way as make_three_way
from tests.factories.partners import create_organisation

LATER = NOW + dt.timedelta(days=2)


@pytest.fixture
def landlords(db):
    return create_organisation(db, "oph", "landlord"), create_organisation(db, "sa-hlm", "landlord")


def three_way(db, landlords):
    return make_three_way(db, landlords[0].id, landlords[1].id)


def test_a_listing_is_public_once_its_landlord_confirms_the_reference(db, landlords):
    oph, sa = landlords
    tenant = create_tenant(db, "t@example.org")
    listing = services.create_listing(db, tenant, oph.id, " AB-12 ", listing_input(), NOW)
    assert listing.state == "awaiting_landlord" and listing.tenant_reference == "AB-12"
    with pytest.raises(ExchangeRefused, match="not_your_tenant"):
        services.confirm(db, listing, sa.id, None, "AB-12", NOW)
    with pytest.raises(ExchangeRefused, match="reference"):
        services.confirm(db, listing, oph.id, None, "AB-13", NOW)
    assert listing.state == "awaiting_landlord"
    services.confirm(db, listing, oph.id, None, "ab-12", LATER)
    assert listing.state == "public" and listing.expires_on == LATER.date() + dt.timedelta(days=183)
    with pytest.raises(ExchangeRefused, match="exists"):
        services.create_listing(db, tenant, oph.id, "AB-12", listing_input(), NOW)


def test_an_unverified_address_cannot_list(db, landlords):
    tenant = create_tenant(db, "u@example.org", verified=False)
    with pytest.raises(ExchangeRefused, match="unverified"):
        services.create_listing(db, tenant, landlords[0].id, "X", listing_input(), NOW)


def test_input_problems_are_named():
    communes = {LE_MANS, ALLONNES}
    assert services.check_input(listing_input(), communes) == []
    bad = listing_input("T9", "99999", (), (), rent=0, household_size=0, financing="HLM", reason="x" * 201)
    assert services.check_input(bad, communes) == [
        "household_size",
        "type",
        "wish_types",
        "financing",
        "commune",
        "wish_communes",
        "rent",
        "length",
    ]


def test_listings_lapse_unless_renewed_and_their_open_swaps_end(db, landlords):
    a, b, c = three_way(db, landlords)
    swap = services.propose(db, a, (a.id, b.id, c.id), NOW)
    services.renew(b, dt.date(2027, 5, 1))
    assert services.lapse(db, dt.date(2027, 6, 9), NOW) == 2  # a and c: confirmed on 7 December + 183 days
    db.refresh(a), db.refresh(swap)
    assert (a.state, b.state, swap.state) == ("lapsed", "public", "cancelled")
    services.renew(a, dt.date(2027, 6, 9))
    assert a.state == "public"


def test_three_tenants_and_two_landlords_from_proposal_to_moves(db, landlords):
    oph, sa = landlords
    a, b, c = three_way(db, landlords)
    assert [match.cycle.ids for match in neighbourhood.matches(db, a)] == [(a.id, b.id, c.id)]
    swap = services.propose(db, b, (c.id, a.id, b.id), NOW)
    assert swap.cycle == f"{a.id}-{b.id}-{c.id}" and swap.state == "proposed"
    assert [(move.listing_id, move.into_listing_id, move.landlord_id) for move in swap.moves] == [
        (a.id, b.id, sa.id),
        (b.id, c.id, oph.id),
        (c.id, a.id, oph.id),
    ]
    with pytest.raises(ExchangeRefused, match="already_proposed"):
        services.propose(db, a, (a.id, b.id, c.id), NOW)
    with pytest.raises(ExchangeRefused, match="state"):  # the tenants have not all said yes
        services.decide(db, swap, swap.moves[0].id, sa.id, None, True, NOW)
    services.answer(db, swap, a.id, True, NOW)
    assert swap.state == "proposed"
    services.answer(db, swap, c.id, True, NOW)
    assert swap.state == "agreed"
    with pytest.raises(ExchangeRefused, match="not_your_dwelling"):
        services.decide(db, swap, swap.moves[0].id, oph.id, None, True, NOW)
    services.decide(db, swap, swap.moves[0].id, sa.id, None, True, NOW)
    services.decide(db, swap, swap.moves[1].id, oph.id, None, True, NOW)
    with pytest.raises(ExchangeRefused, match="decided"):
        services.decide(db, swap, swap.moves[1].id, oph.id, None, False, NOW)
    assert swap.state == "agreed"  # one dwelling's landlord has still to decide
    services.decide(db, swap, swap.moves[2].id, oph.id, None, True, LATER)
    assert swap.state == "approved"
    services.complete(db, swap, sa.id, None, LATER)
    db.expire_all()
    assert db.get(Swap, swap.id).state == "completed"
    assert set(db.scalars(select(Listing.state).where(Listing.id.in_((a.id, b.id, c.id))))) == {"moved"}


def test_one_no_or_one_refusal_ends_the_swap(db, landlords):
    oph, _sa = landlords
    a, b, c = three_way(db, landlords)
    swap = services.propose(db, a, (a.id, b.id, c.id), NOW)
    services.answer(db, swap, c.id, False, NOW)
    assert swap.state == "declined"
    again = services.propose(db, a, (a.id, b.id, c.id), LATER)  # the cycle is open again
    services.answer(db, again, b.id, True, LATER)
    services.answer(db, again, c.id, True, LATER)
    services.decide(db, again, again.moves[1].id, oph.id, None, False, LATER)
    assert again.state == "refused"
    with pytest.raises(ExchangeRefused, match="state"):
        services.complete(db, again, oph.id, None, LATER)


def test_a_swap_is_checked_against_the_listings_as_they_are(db, landlords):
    oph, _sa = landlords
    a, b, c = three_way(db, landlords)
    c.wish_max_rent = 300  # C no longer accepts A's dwelling (480 €)
    with pytest.raises(ExchangeRefused, match="no_longer_matches"):
        services.propose(db, a, (a.id, b.id, c.id), NOW)
    hidden = create_listing(db, "d@example.org", oph.id, listing_input("T3", ALLONNES), public=False)
    with pytest.raises(ExchangeRefused, match="not_public"):
        services.propose(db, a, (a.id, hidden.id), NOW)
    with pytest.raises(ExchangeRefused, match="cycle"):
        services.propose(db, a, (b.id, c.id), NOW)
    assert db.scalar(select(Swap.id)) is None


def test_withdrawing_a_listing_cancels_its_open_swaps(db, landlords):
    a, b, c = three_way(db, landlords)
    swap = services.propose(db, a, (a.id, b.id, c.id), NOW)
    services.withdraw(db, b, LATER)
    db.refresh(swap)
    assert swap.state == "cancelled" and b.state == "withdrawn"
    assert neighbourhood.matches(db, a) == []


def test_the_neighbourhood_holds_every_cycle_of_the_listing(db, landlords):
    """Sixty listings drawn at random: a listing's matches read around it in the database are the ones
    the whole graph gives."""
    rng = random.Random(3)
    places, types = (LE_MANS, ALLONNES, COULAINES), ("T1", "T2", "T3", "T4")
    rows = []
    for index in range(60):
        data = listing_input(
            rng.choice(types),
            rng.choice(places),
            tuple(rng.sample(types, rng.randint(1, 2))),
            tuple(rng.sample(places, rng.randint(1, 2))),
            household_size=rng.randint(1, 4),
            rent=rng.choice((350.0, 450.0, 550.0)),
            wish_max_rent=rng.choice((400.0, 500.0, 600.0)),
            step_free=rng.random() < 0.5,
            wish_step_free=rng.random() < 0.2,
            financing=rng.choice(("PLAI", "PLUS", "PLS")),
            financings=tuple(rng.sample(("PLAI", "PLUS", "PLS"), rng.randint(1, 3))),
        )
        rows.append(
            create_listing(db, f"n{index}@example.org", rng.choice(landlords).id, data, index % 7 != 0)
        )
    public = {row.id: neighbourhood.as_matching(row) for row in rows if row.state == "public"}
    graph = matching.acceptance_graph(public.values())
    seen = 0
    for row in rows:
        expected = (
            matching.matches_for(row.id, matching.cycles_of(row.id, graph), public)
            if row.id in public
            else []
        )
        found = neighbourhood.matches(db, row)
        assert found == expected
        seen += len(found)
    assert seen > 20  # the draw has cycles to find


def test_the_nightly_job_lapses_listings_past_their_date(db, db_app, landlords, monkeypatch):
    a, b, c = three_way(db, landlords)
    services.renew(b, dt.date(2027, 5, 1))
    db.commit()
    night = dt.datetime(2027, 6, 9, 0, 20, tzinfo=dt.UTC)  # a and c were confirmed until 8 June
    monkeypatch.setattr(clock, "now", lambda: night)
    with db_app.app_context():
        assert lapse_listings() == 2
    db.expire_all()
    assert [db.get(Listing, item.id).state for item in (a, b, c)] == ["lapsed", "public", "lapsed"]


def test_accounts_go_a_year_after_their_listing_closed(db, landlords):
    a, b, c = three_way(db, landlords)
    swap = services.propose(db, a, (a.id, b.id, c.id), NOW)
    services.withdraw(db, a, NOW)  # closed on 7 December 2026
    idle = create_tenant(db, "idle@example.org")  # never listed anything
    db.flush()
    gone = (a.id, swap.id, idle.id)
    accounts.purge(db, NOW + dt.timedelta(days=364))
    db.expire_all()
    assert len(list(db.scalars(select(Tenant.id)))) == 4
    accounts.purge(db, NOW + dt.timedelta(days=366))
    db.expire_all()
    assert sorted(db.scalars(select(Tenant.email))) == ["b@example.org", "c@example.org"]  # still listed
    assert (db.get(Listing, gone[0]), db.get(Swap, gone[1]), db.get(Tenant, gone[2])) == (None, None, None)
