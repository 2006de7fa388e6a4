"""The landlords' side of the exchange on both backends: listings to confirm, the commission's decision on
each household moving into the landlord's dwellings, the moves; only the landlord's administrators and
editors, only for their own tenants and dwellings; other landlords' tenants' references never shown."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select

from portal.exchange import services
from portal.exchange.jobs import count_matches_daily
from portal.exchange.models import Listing, MatchCount, Swap
from portal.partners.models import AuditEntry
from tests.factories.exchange import NOW, create_listing, listing_input
from tests.factories.exchange import three_way as make_three_way
from tests.factories.partners import create_organisation, create_partner
from tests.pagecheck import csrf_token, parse, text_of
from tests.support import sign_in


@pytest.fixture
def client(db_app):
    return db_app.test_client()


@pytest.fixture
def people(db):
    oph = create_organisation(db, "oph", "landlord")
    sa = create_organisation(db, "sa-hlm", "landlord")
    town = create_organisation(db, "ville-a")
    return {
        "oph": oph,
        "sa": sa,
        "town": town,
        "oph_editor": create_partner(db, "editeur@oph.fr", {oph: ["editor"]}),
        "sa_admin": create_partner(db, "admin@sa-hlm.fr", {sa: ["editor"]}),
        "oph_viewer": create_partner(db, "lecteur@oph.fr", {oph: ["viewer"]}),
        "town_editor": create_partner(db, "editeur@ville-a.fr", {town: ["editor"]}),
    }


def three_way(db, people):
    return make_three_way(db, people["oph"].id, people["sa"].id)


def page(client, slug="oph"):
    return client.get(f"/partenaires/echanges/organisations/{slug}")


def post(client, url: str, **values):
    return client.post(url, data={"csrf_token": csrf_token(client, "/partenaires/"), **values})


def test_a_landlord_confirms_its_tenants_listing(client, db, people):
    listing = create_listing(db, "t@example.org", people["oph"].id, listing_input(), public=False)
    sign_in(client, "editeur@oph.fr")
    dashboard = client.get("/partenaires/")
    assert "/partenaires/echanges/organisations/oph" in dashboard.text
    response = page(client)
    assert response.status_code == 200
    item = parse(response).find(f".//*[@id='listing-{listing.id}']")
    assert f"REF-{listing.tenant_id}" in text_of(item) and "Le Mans" in text_of(item)
    url = f"/partenaires/echanges/organisations/oph/annonces/{listing.id}"
    answer = post(client, url, answer="confirm", reference=listing.tenant_reference)
    assert answer.status_code == 302
    db.refresh(listing)
    assert listing.state == "public" and listing.confirmed_by == people["oph_editor"].id
    assert "est publique" in client.get(answer.location).text
    assert parse(page(client)).find(f".//*[@id='listing-{listing.id}']") is None
    assert db.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "exchange.listing_confirmed"
    again = post(client, url, answer="refuse")  # already dealt with: told, nothing changes
    assert again.status_code == 302
    alert = parse(client.get(again.location)).find(".//main//div[@role='alert']")  # a refusal is read out
    assert alert is not None and "déjà été traité" in text_of(alert)
    db.refresh(listing)
    assert listing.state == "public"


def test_a_landlord_refuses_an_unknown_lease(client, db, people):
    listing = create_listing(db, "t@example.org", people["oph"].id, listing_input(), public=False)
    sign_in(client, "editeur@oph.fr")
    post(client, f"/partenaires/echanges/organisations/oph/annonces/{listing.id}", answer="refuse")
    db.refresh(listing)
    assert listing.state == "refused"


def test_only_the_landlords_own_people_and_listings(client, db, people):
    listing = create_listing(db, "t@example.org", people["oph"].id, listing_input(), public=False)
    url = f"/partenaires/echanges/organisations/oph/annonces/{listing.id}"
    sign_in(client, "lecteur@oph.fr")  # a viewer
    assert page(client).status_code == 403
    assert post(client, url, answer="confirm", reference=listing.tenant_reference).status_code == 403
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    sign_in(client, "admin@sa-hlm.fr")  # another landlord: its own page, not this listing
    assert "REF-" not in page(client, "sa-hlm").text
    other = f"/partenaires/echanges/organisations/sa-hlm/annonces/{listing.id}"
    assert post(client, other, answer="confirm", reference=listing.tenant_reference).status_code == 404
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    sign_in(client, "editeur@ville-a.fr")  # a commune has no landlord's page
    assert page(client, "ville-a").status_code == 404
    db.refresh(listing)
    assert listing.state == "awaiting_landlord"


def test_without_csrf_nothing_is_confirmed(client, db, people):
    listing = create_listing(db, "t@example.org", people["oph"].id, listing_input(), public=False)
    sign_in(client, "editeur@oph.fr")
    url = f"/partenaires/echanges/organisations/oph/annonces/{listing.id}"
    assert (
        client.post(url, data={"answer": "confirm", "reference": listing.tenant_reference}).status_code == 400
    )
    db.refresh(listing)
    assert listing.state == "awaiting_landlord"


def test_two_landlords_approve_a_three_way_swap_then_the_moves_are_done(client, db, people):
    a, b, c = three_way(db, people)
    swap = services.propose(db, a, (a.id, b.id, c.id), NOW)
    services.answer(db, swap, b.id, True, NOW)
    services.answer(db, swap, c.id, True, NOW)
    db.flush()
    sign_in(client, "admin@sa-hlm.fr")
    text = text_of(parse(page(client, "sa-hlm")).find(f".//*[@id='swap-{swap.id}']"))
    assert "En attente des bailleurs" in text
    assert f"REF-{b.tenant_id}" in text and f"REF-{a.tenant_id}" not in text  # only its own tenant's lease
    into_sa = swap.moves[0]  # A moves into B's dwelling, SA's
    base = f"/partenaires/echanges/organisations/sa-hlm/echanges/{swap.id}"
    assert (
        post(client, f"{base}/{swap.moves[1].id}", decision="approve").status_code == 302
    )  # not SA's: refused
    db.refresh(swap.moves[1])
    assert swap.moves[1].decision == ""
    post(client, f"{base}/{into_sa.id}", decision="approve")
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    sign_in(client, "editeur@oph.fr")
    base = f"/partenaires/echanges/organisations/oph/echanges/{swap.id}"
    post(client, f"{base}/{swap.moves[1].id}", decision="approve")
    db.refresh(swap)
    assert swap.state == "agreed"
    response = post(client, f"{base}/{swap.moves[2].id}", decision="approve")
    assert "la permutation est approuvée" in client.get(response.location).text
    db.refresh(swap)
    assert swap.state == "approved"
    post(client, f"{base}/realise")
    db.expire_all()
    assert db.get(Swap, swap.id).state == "completed"
    assert set(db.scalars(select(Listing.state).where(Listing.id.in_((a.id, b.id, c.id))))) == {"moved"}
    assert "Réalisée" in text_of(parse(page(client)).find(f".//*[@id='swap-{swap.id}']"))


def test_the_tenants_are_told_when_every_landlord_agreed(mail_app, db, inbox, people):
    a, b, c = three_way(db, people)
    swap = services.propose(db, a, (a.id, b.id, c.id), NOW)
    services.answer(db, swap, b.id, True, NOW)
    services.answer(db, swap, c.id, True, NOW)
    services.decide(db, swap, swap.moves[1].id, people["oph"].id, None, True, NOW)
    services.decide(db, swap, swap.moves[2].id, people["oph"].id, None, True, NOW)
    db.commit()
    client = mail_app.test_client()
    sign_in(client, "admin@sa-hlm.fr")
    post(
        client,
        f"/partenaires/echanges/organisations/sa-hlm/echanges/{swap.id}/{swap.moves[0].id}",
        decision="approve",
    )
    told = sorted(to[0] for to, body in inbox.messages if "votre échange est approuvé" in body)
    assert told == ["a@example.org", "b@example.org", "c@example.org"]


def test_the_observatory_counts_listings_swaps_and_delays(client, db, people):
    a, b, c = three_way(db, people)
    create_listing(db, "t@example.org", people["oph"].id, listing_input(), public=False)
    swap = services.propose(db, a, (a.id, b.id, c.id), NOW)
    for move in swap.moves:
        if move.listing_id != a.id:
            services.answer(db, swap, move.listing_id, True, NOW)
    for move in swap.moves:
        services.decide(db, swap, move.id, move.landlord_id, None, True, NOW)
    services.complete(db, swap, people["sa"].id, None, NOW + dt.timedelta(days=12))
    db.commit()
    sign_in(client, "lecteur@oph.fr")  # any signed-in partner
    response = client.get("/partenaires/observatoire/echanges")
    assert response.status_code == 200
    page = parse(response)
    rows = {text_of(row.find("th")): text_of(row.find("td")) for row in page.findall(".//table//tbody/tr")}
    assert rows["En attente du bailleur"] == "1" and rows["Fermée : échange fait"] == "3"
    assert rows["Réalisée"] == "1"
    delays = text_of(page.find(".//*[@id='exchange-delays']"))
    assert "12 jours" in delays and "1 entre trois ménages" in delays
    assert "/partenaires/observatoire/echanges" in client.get("/partenaires/observatoire").text


IMPORT = "/partenaires/echanges/organisations/oph/annonces/fichier"


def send_file(client, content: bytes):
    token = csrf_token(client, "/partenaires/echanges/organisations/oph")
    return client.post(
        IMPORT,
        data={"csrf_token": token, "file": (io.BytesIO(content), "reponses.csv")},
        content_type="multipart/form-data",
    )


def test_a_landlord_answers_with_a_file_checked_whole(client, db, people):
    first = create_listing(db, "t1@example.org", people["oph"].id, listing_input(), public=False)
    second = create_listing(db, "t2@example.org", people["oph"].id, listing_input(), public=False)
    foreign = create_listing(db, "t3@example.org", people["sa"].id, listing_input(), public=False)
    sign_in(client, "editeur@oph.fr")
    bad = send_file(
        client,
        (
            f"reference;decision\n{first.tenant_reference};confirmer\n{foreign.tenant_reference};confirmer\n"
            f"{second.tenant_reference};peut-être\n{first.tenant_reference};refuser\n"
        ).encode(),
    )
    assert bad.status_code == 400
    report = text_of(parse(bad).find(".//ul[@class='import-problems']"))
    assert f"Ligne 3 : Aucune annonce en attente ne donne la référence {foreign.tenant_reference}" in report
    assert "Ligne 4" in report and "peut-être" in report and "Ligne 5" in report and "Ligne 2" not in report
    db.refresh(first)
    assert first.state == "awaiting_landlord"  # nothing recorded
    assert send_file(client, b"ref,answer\nx,y\n").status_code == 400
    good = send_file(
        client,
        (
            "\ufeffReference;Decision\r\n"
            f"{first.tenant_reference.lower()};Confirmer\r\n\r\n{second.tenant_reference};refuser\r\n"
        ).encode(),
    )
    assert good.status_code == 302
    assert "confirmées : 1 ; refusées : 1" in client.get(good.location).text
    db.refresh(first)
    db.refresh(second)
    assert (first.state, second.state) == ("public", "refused")
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.action.like("exchange.listing_%"))).all()
    assert sorted(actions) == ["exchange.listing_confirmed", "exchange.listing_refused"]
    db.refresh(foreign)
    assert foreign.state == "awaiting_landlord"


def test_the_file_is_for_the_landlords_editors_only(client, db, people):
    listing = create_listing(db, "t@example.org", people["oph"].id, listing_input(), public=False)
    sign_in(client, "lecteur@oph.fr")
    token = csrf_token(client, "/partenaires/")
    content = f"reference;decision\n{listing.tenant_reference};confirmer\n".encode()
    response = client.post(
        IMPORT,
        data={"csrf_token": token, "file": (io.BytesIO(content), "r.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    db.refresh(listing)
    assert listing.state == "awaiting_landlord"


def test_the_matches_are_counted_every_night_for_the_observatory(db_app, client, db, people):
    three_way(db, people)
    for index, (kind, want) in enumerate([("T2", "T3"), ("T3", "T2")]):  # a pair in Le Mans
        create_listing(db, f"p{index}@example.org", people["oph"].id, listing_input(kind, wants=(want,)))
    create_listing(db, "s@example.org", people["oph"].id, listing_input("T5", wants=("T5",)))  # no match
    create_listing(db, "w@example.org", people["oph"].id, listing_input(), public=False)
    db.commit()
    sign_in(client, "lecteur@oph.fr")
    assert "pas encore" in text_of(parse(client.get("/partenaires/observatoire/echanges")).find(".//main"))
    with db_app.app_context():
        count_matches_daily()
    count = db.scalars(select(MatchCount)).one()
    assert (count.public_listings, count.listings_with_match, count.two_way, count.three_way) == (6, 5, 1, 1)
    delays = text_of(
        parse(client.get("/partenaires/observatoire/echanges")).find(".//*[@id='exchange-delays']")
    )
    assert "5 sur 6" in delays
