"""A tenant's swaps on both backends: the swaps that suit them, ranked with the reasons in words; one
proposed (the other tenants told by e-mail, received by a local SMTP server, naming no one), answered by
each, then in the landlords' hands; a stale or foreign swap refused; only with a public listing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.exchange import services
from portal.exchange.models import Listing, Swap, Tenant
from tests.factories.exchange import ALLONNES, COULAINES, NOW, create_listing, listing_input, three_way
from tests.factories.partners import create_organisation
from tests.pagecheck import csrf_token, parse, text_of
from tests.support import sign_in_tenant

PAGE = "/fr/echange-de-logement/mes-echanges"


@pytest.fixture
def app(mail_app):
    return mail_app


@pytest.fixture
def cycle(db):
    oph = create_organisation(db, "oph", "landlord")
    sa = create_organisation(db, "sa-hlm", "landlord")
    return three_way(db, oph.id, sa.id)


def signed_in(app, db, listing):
    client = app.test_client()
    sign_in_tenant(client, db, listing.tenant)
    return client


def post(client, path: str, **values):
    """A POST with the form token of the tenant's listing page (its buttons are always there)."""
    token = csrf_token(client, "/fr/echange-de-logement/mon-annonce")
    return client.post(path, data={"csrf_token": token, **values})


def main_text(response) -> str:
    return text_of(parse(response).find(".//main"))


def test_without_a_public_listing_the_page_sends_to_the_listing(app, db):
    tenant_listing = create_listing(
        db, "t@example.org", create_organisation(db, "oph", "landlord").id, listing_input(), public=False
    )
    client = signed_in(app, db, tenant_listing)
    response = client.get(PAGE)
    assert response.status_code == 302 and response.location.endswith("/echange-de-logement/mon-annonce")
    assert app.test_client().get(PAGE).location.endswith("/echange-de-logement/connexion")


def test_a_three_way_swap_is_proposed_then_answered_by_each(app, db, inbox, cycle):
    a, b, c = cycle
    first = signed_in(app, db, a)
    text = main_text(first.get(PAGE))
    assert "Échange entre trois ménages" in text
    assert "un T3, comme vous l'avez demandé" in text and "à Allonnes, l'une de vos communes" in text
    assert "b@example.org" not in text and "REF-" not in text  # no one's details
    form = parse(first.get(PAGE)).find(".//input[@name='cycle']")
    assert form.get("value") == f"{a.id}-{b.id}-{c.id}"
    response = post(first, f"{PAGE}/proposer", cycle=form.get("value"))
    assert response.status_code == 302
    swap = db.scalars(select(Swap)).one()
    assert [move.tenant_answer for move in swap.moves] == ["yes", "", ""]
    assert sorted(to[0] for to, _body in inbox.messages) == ["b@example.org", "c@example.org"]
    assert all("a@example.org" not in body for _to, body in inbox.messages)
    after = main_text(first.get(PAGE))
    assert "En attente des locataires" in after and "Proposer cet échange" not in after

    second = signed_in(app, db, b)
    assert "Oui, je suis d'accord" in main_text(second.get(PAGE))
    post(second, f"{PAGE}/{swap.id}/reponse", answer="yes")
    third = signed_in(app, db, c)
    done = post(third, f"{PAGE}/{swap.id}/reponse", answer="yes")
    assert "les bailleurs décident" in main_text(third.get(done.location))
    db.refresh(swap)
    assert swap.state == "agreed"
    told = [to[0] for to, body in inbox.messages[2:] if "Chaque commission" in body]
    assert sorted(told) == ["a@example.org", "b@example.org", "c@example.org"]  # everyone: landlords decide
    assert post(third, f"{PAGE}/{swap.id}/reponse", answer="no").status_code == 409  # answered already


def test_a_no_ends_the_swap_and_the_others_are_told(app, db, inbox, cycle):
    a, b, c = cycle
    post(signed_in(app, db, a), f"{PAGE}/proposer", cycle=f"{a.id}-{b.id}-{c.id}")
    swap = db.scalars(select(Swap)).one()
    post(signed_in(app, db, b), f"{PAGE}/{swap.id}/reponse", answer="no")
    db.refresh(swap)
    assert swap.state == "declined"
    told = sorted(to[0] for to, body in inbox.messages[2:])
    assert told == ["a@example.org", "c@example.org"]  # not the one who said no


def test_a_stale_or_foreign_swap_is_refused(app, db, inbox, cycle):
    a, b, c = cycle
    client = signed_in(app, db, a)
    c.wish_max_rent = 100  # C no longer accepts A's dwelling
    db.commit()
    response = post(client, f"{PAGE}/proposer", cycle=f"{a.id}-{b.id}-{c.id}")
    assert "ne peut plus être proposé" in main_text(client.get(response.location))
    assert post(client, f"{PAGE}/proposer", cycle="x-y").status_code == 400
    assert client.post(f"{PAGE}/proposer", data={"cycle": f"{a.id}-{b.id}-{c.id}"}).status_code == 400
    assert db.scalar(select(Swap.id)) is None and inbox.messages == []


def test_a_tenant_deletes_their_account_and_everything_goes(app, db, inbox, cycle):
    a, b, c = cycle
    post(signed_in(app, db, a), f"{PAGE}/proposer", cycle=f"{a.id}-{b.id}-{c.id}")
    client = signed_in(app, db, b)
    path = "/fr/echange-de-logement/mon-compte/suppression"
    assert client.get(path).status_code == 200
    gone = (b.id, b.tenant_id)
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Listing, gone[0]) is None and db.get(Tenant, gone[1]) is None
    assert db.scalar(select(Swap.id)) is None
    told = sorted(
        to[0] for to, body in inbox.messages[2:] if "n'aura pas lieu" in body or "a dit non" in body
    )
    assert told == ["a@example.org", "c@example.org"]
    assert "Connecté en tant que" not in main_text(client.get("/fr/echange-de-logement/"))


def test_a_tenant_changes_their_wishes_and_a_swap_that_no_longer_suits_them_ends(app, db, cycle):
    a, b, c = cycle
    swap = services.propose(db, b, (a.id, b.id, c.id), NOW)
    db.commit()
    client = signed_in(app, db, a)
    url = "/fr/echange-de-logement/mon-annonce/souhaits"
    form = parse(client.get(url))
    assert form.find(".//input[@name='wish_types'][@value='T3']").get("checked") is not None
    assert form.find(".//input[@name='wish_max_rent']").get("value") == "600"
    refused = post(client, url, wish_types="T3", wish_max_rent="abc")
    assert refused.status_code == 400 and db.get(Listing, a.id).wish_communes == ALLONNES
    assert parse(refused).find(".//input[@name='wish_types'][@value='T3']").get("checked") is not None
    done = post(client, url, wish_types="T4", wish_communes=[ALLONNES, COULAINES], wish_max_rent="650")
    assert done.status_code == 302, done.text
    listing = db.get(Listing, a.id)
    db.refresh(listing)
    assert (listing.state, listing.wish_types, listing.wish_communes) == (
        "public",
        "T4",
        f"{ALLONNES},{COULAINES}",
    )
    assert {(wish.dwelling_type, wish.commune_insee) for wish in listing.wishes} == {
        ("T4", ALLONNES),
        ("T4", COULAINES),
    }
    db.refresh(swap)
    assert swap.state == "cancelled"  # a would no longer take B's T3
    assert "n'y convenait plus" in main_text(client.get(done.location))
    services.withdraw(db, listing, NOW)
    db.commit()
    assert client.get(url).status_code == 404
