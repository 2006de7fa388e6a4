"""Messages between tenants on both backends: only to the households of one's matches or swaps; no
e-mail address or phone number before both agreed to share their addresses; the other told by e-mail
of the first unread message only; blocking ends messages and swaps between them; reports reach the
authority's moderators (and no one else), who hide a message, remove a photo or suspend a listing,
audited; messages and handled reports deleted on schedule."""

from __future__ import annotations

import datetime as dt
import io

import pyotp
import pytest
from PIL import Image
from sqlalchemy import func, select

from portal.exchange import messages, photos, services
from portal.exchange.models import Conversation, Listing, ListingPhoto, Message, Report, Swap
from portal.partners.models import AuditEntry
from tests.factories.exchange import NOW, create_listing, listing_input, three_way
from tests.factories.partners import create_organisation, create_partner
from tests.pagecheck import csrf_token, parse, text_of
from tests.support import sign_in, sign_in_tenant

BASE = "/fr/echange-de-logement/messages"


@pytest.fixture
def app(mail_app):
    return mail_app


@pytest.fixture
def people(db):
    oph = create_organisation(db, "oph", "landlord")
    sa = create_organisation(db, "sa-hlm", "landlord")
    epci = create_organisation(db, "metropole", "epci")
    a, b, c = three_way(db, oph.id, sa.id)
    return {
        "a": a,
        "b": b,
        "c": c,
        "oph": oph,
        "moderator": create_partner(
            db, "moderation@metropole.fr", {epci: ["reviewer"]}, totp_secret=pyotp.random_base32()
        ),
        "epci_editor": create_partner(db, "redac@metropole.fr", {epci: ["editor"]}),
        "oph_editor": create_partner(db, "editeur@oph.fr", {oph: ["editor"]}),
        "sa_editor": create_partner(db, "editeur@sa-hlm.fr", {sa: ["editor"]}),
    }


def tenant_client(app, db, listing):
    client = app.test_client()
    sign_in_tenant(client, db, listing.tenant)
    return client


def post(client, path: str, **values):
    return client.post(path, data={"csrf_token": csrf_token(client, "/fr/echange-de-logement/"), **values})


def main_text(response) -> str:
    return text_of(parse(response).find(".//main"))


def write(client, other: Listing, body: str):
    return post(client, f"{BASE}/{other.id}", body=body)


@pytest.mark.parametrize(
    "text",
    [
        "écrivez-moi à jean.dupont@example.org",
        "mon mail : jean (at) example . fr".replace(" . ", "."),
        "appelez le 06 12 34 56 78",
        "ou le 06.12.34.56.78 le soir",
        "+33 6 12 34 56 78",
        "0033612345678",
        "0243000000",
    ],
)
def test_contact_details_are_recognised(text):
    assert messages.has_contact_details(text)


@pytest.mark.parametrize(
    "text", ["Bonjour, le T3 est au 2e étage, loyer 480 €.", "Disponible le 12/03 à 18 h", "Bât. 12, 65 m²"]
)
def test_ordinary_words_are_not_contact_details(text):
    assert not messages.has_contact_details(text)


def test_a_tenant_writes_to_a_household_of_their_swap_and_it_is_told_once(app, db, inbox, people):
    a, b = people["a"], people["b"]
    first = tenant_client(app, db, a)
    swaps = first.get("/fr/echange-de-logement/mes-echanges").text
    assert f"{BASE}/{b.id}" in swaps and f"{BASE}/{people['c'].id}" in swaps
    assert write(first, b, "Bonjour, votre T3 a-t-il un balcon ?").status_code == 302
    assert write(first, b, "Et une cave ?").status_code == 302
    assert [to[0] for to, _body in inbox.messages] == ["b@example.org"]
    body = inbox.messages[0][1]
    assert "balcon" not in body and "a@example.org" not in body  # the message itself is not mailed
    second = tenant_client(app, db, b)
    assert "2 messages non lus" in main_text(second.get(f"{BASE}/"))
    page = main_text(second.get(f"{BASE}/{a.id}"))
    assert "votre T3 a-t-il un balcon ?" in page and "a@example.org" not in page
    assert "non lu" not in main_text(second.get(f"{BASE}/"))  # read now
    assert write(second, a, "Oui, plein sud.").status_code == 302
    assert sorted(to[0] for to, _body in inbox.messages) == ["a@example.org", "b@example.org"]


def test_a_stranger_may_not_write(app, db, people):
    stranger = create_listing(
        db, "s@example.org", people["oph"].id, listing_input("T5", wants=("T5",), where=("72003",))
    )
    client = tenant_client(app, db, people["a"])
    assert client.get(f"{BASE}/{stranger.id}").status_code == 404
    assert write(client, stranger, "Bonjour").status_code == 404
    assert db.scalar(select(func.count()).select_from(Message)) == 0
    signed_out = app.test_client()
    assert signed_out.get(f"{BASE}/{stranger.id}").location.endswith("/echange-de-logement/connexion")
    assert signed_out.post(f"{BASE}/{stranger.id}", data={"body": "x"}).status_code in (400, 403)


def test_contact_details_wait_until_both_share(app, db, people):
    a, b = people["a"], people["b"]
    first, second = tenant_client(app, db, a), tenant_client(app, db, b)
    refused = write(first, b, "Appelez-moi au 06 12 34 56 78")
    assert refused.status_code == 400
    tree = parse(refused)
    assert "06 12 34 56 78" in tree.find(".//textarea[@name='body']").text  # what was typed is kept
    assert tree.find(".//textarea[@name='body']").get("aria-invalid") == "true"
    assert "adresse e-mail ou un numéro de téléphone" in main_text(refused)
    assert db.scalar(select(func.count()).select_from(Message)) == 0
    post(first, f"{BASE}/{b.id}/partage", share="yes")
    assert "b@example.org" not in main_text(first.get(f"{BASE}/{b.id}"))
    assert "accepte de partager son adresse" in main_text(second.get(f"{BASE}/{a.id}"))
    post(second, f"{BASE}/{a.id}/partage", share="yes")
    assert "b@example.org" in main_text(first.get(f"{BASE}/{b.id}"))
    assert "a@example.org" in main_text(second.get(f"{BASE}/{a.id}"))
    assert write(first, b, "Appelez-moi au 06 12 34 56 78").status_code == 302
    post(second, f"{BASE}/{a.id}/partage", share="no")
    assert "b@example.org" not in main_text(first.get(f"{BASE}/{b.id}"))


def test_blocking_ends_messages_and_swaps_between_them(app, db, people):
    a, b, c = people["a"], people["b"], people["c"]
    swap = services.propose(db, a, (a.id, b.id, c.id), NOW)
    db.commit()
    first, second = tenant_client(app, db, a), tenant_client(app, db, b)
    write(first, b, "Bonjour")
    assert post(second, f"{BASE}/{a.id}/blocage", block="yes").status_code == 302
    db.refresh(swap)
    assert swap.state == "cancelled"
    assert write(first, b, "Encore moi").status_code == 400
    assert "ne sont plus possibles" in main_text(first.get(f"{BASE}/{b.id}"))
    assert "Proposer cet échange" not in first.get("/fr/echange-de-logement/mes-echanges").text
    with pytest.raises(services.ExchangeRefused):
        services.propose(db, c, (a.id, b.id, c.id), NOW)
    assert post(first, f"{BASE}/{b.id}/blocage", block="no").status_code == 409  # only b may unblock
    post(second, f"{BASE}/{a.id}/blocage", block="no")
    assert "Proposer cet échange" in first.get("/fr/echange-de-logement/mes-echanges").text


def test_a_reported_message_is_hidden_by_a_moderator(app, db, people):
    a, b = people["a"], people["b"]
    write(tenant_client(app, db, a), b, "Envoyez 200 € pour réserver mon logement")
    second = tenant_client(app, db, b)
    message = db.scalars(select(Message)).one()
    form = second.get(f"{BASE}/{a.id}/signalement?message={message.id}")
    assert "Envoyez 200 €" in main_text(form)
    empty = post(second, f"{BASE}/{a.id}/signalement?message={message.id}")
    assert empty.status_code == 400 and db.scalar(select(func.count()).select_from(Report)) == 0
    post(second, f"{BASE}/{a.id}/signalement?message={message.id}", reason="suspicious", comment="Arnaque")
    post(second, f"{BASE}/{a.id}/signalement?message={message.id}", reason="suspicious")  # counted once
    report = db.scalars(select(Report)).one()
    assert (report.excerpt, report.listing_id, report.reason) == (message.body, a.id, "suspicious")

    for who in ("epci_editor", "oph_editor"):
        other = app.test_client()
        sign_in(other, people[who].email)
        assert other.get("/partenaires/echanges/moderation").status_code == 403
        assert other.post(f"/partenaires/echanges/moderation/{report.id}").status_code in (400, 403)
    assert app.test_client().get("/partenaires/echanges/moderation").status_code == 302

    moderator = app.test_client()
    sign_in(moderator, people["moderator"])
    assert "/partenaires/echanges/moderation" in moderator.get("/partenaires/").text
    listing_page = main_text(moderator.get("/partenaires/echanges/moderation"))
    assert "Envoyez 200 €" in listing_page and "Arnaque" in listing_page
    assert "a@example.org" not in listing_page and "REF-" not in listing_page
    token = csrf_token(moderator, "/partenaires/echanges/moderation")
    moderator.post(
        f"/partenaires/echanges/moderation/{report.id}",
        data={"csrf_token": token, "outcome": "message_hidden"},
    )
    db.refresh(report)
    assert report.outcome == "message_hidden" and report.handled_by == people["moderator"].id
    page = main_text(second.get(f"{BASE}/{a.id}"))
    assert "Message masqué par un modérateur" in page and "Envoyez 200 €" not in page
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "exchange.report_handled")) is not None
    again = moderator.post(
        f"/partenaires/echanges/moderation/{report.id}", data={"csrf_token": token, "outcome": "dismissed"}
    )
    assert again.status_code == 302 and report.outcome == "message_hidden"  # already handled


def test_a_suspended_listing_leaves_the_matches_and_its_tenant_is_told(app, db, inbox, people):
    a, b, c = people["a"], people["b"], people["c"]
    services.propose(db, a, (a.id, b.id, c.id), NOW)
    db.commit()
    post(tenant_client(app, db, b), f"{BASE}/{a.id}/signalement", reason="untrue")
    report = db.scalars(select(Report)).one()
    moderator = app.test_client()
    sign_in(moderator, people["moderator"])
    token = csrf_token(moderator, "/partenaires/echanges/moderation")
    moderator.post(
        f"/partenaires/echanges/moderation/{report.id}",
        data={"csrf_token": token, "outcome": "listing_suspended"},
    )
    db.refresh(a)
    assert a.state == "suspended"
    assert db.scalars(select(Swap)).one().state == "cancelled"
    assert [to[0] for to, _body in inbox.messages][-1] == "a@example.org"
    assert "suspendue par un modérateur" in main_text(
        tenant_client(app, db, a).get("/fr/echange-de-logement/mon-annonce")
    )
    assert (
        "Proposer cet échange"
        not in tenant_client(app, db, c).get("/fr/echange-de-logement/mes-echanges").text
    )


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def test_a_moderator_removes_a_reported_photo_and_who_sees_photos(app, db, people):
    a, b = people["a"], people["b"]
    photo = photos.add(db, a, png(), NOW)
    db.commit()
    post(tenant_client(app, db, b), f"{BASE}/{a.id}/signalement", reason="photo")
    report = db.scalars(select(Report)).one()
    url = f"/partenaires/echanges/photos/{photo.id}.jpg"
    allowed = {"moderator": 200, "oph_editor": 200, "sa_editor": 403, "epci_editor": 403}
    for who, status in allowed.items():
        client = app.test_client()
        sign_in(client, people[who] if who == "moderator" else people[who].email)
        assert client.get(url).status_code == status, who
    moderator = app.test_client()
    sign_in(moderator, people["moderator"], next_code=True)
    page = moderator.get("/partenaires/echanges/moderation").text
    assert url in page
    token = csrf_token(moderator, "/partenaires/echanges/moderation")
    moderator.post(
        f"/partenaires/echanges/moderation/{report.id}",
        data={"csrf_token": token, "outcome": "photo_removed", "photo": str(photo.id)},
    )
    assert db.scalar(select(func.count()).select_from(ListingPhoto)) == 0
    assert db.get(Listing, a.id).state == "public"


def test_messages_and_handled_reports_are_deleted_on_schedule(db, people):
    a, b, c = people["a"], people["b"], people["c"]
    services.propose(db, a, (a.id, b.id, c.id), NOW)
    then = NOW - messages.KEPT_FOR - dt.timedelta(days=1)
    messages.send(db, a, b, "Bonjour", then)
    messages.send(db, a, c, "Bonjour", then)
    messages.block(db, c, a, then)
    messages.send(db, b, c, "Toujours là ?", NOW)
    old = messages.report(db, b, a, "other", "", None, then)
    old.handled_at, old.outcome = then, "dismissed"
    waiting = messages.report(db, c, a, "other", "", None, then)
    messages.purge(db, NOW + dt.timedelta(days=400))
    assert db.scalar(select(func.count()).select_from(Message)) == 0
    assert db.scalar(select(func.count()).select_from(Report)) == 1
    messages.purge(db, NOW)
    left = db.scalars(select(Conversation)).all()
    assert {(row.first_listing_id, row.second_listing_id) for row in left} == {(a.id, c.id)}  # the block
    assert db.get(Report, waiting.id) is not None


def test_a_deleted_account_takes_its_conversations_but_not_the_reports(app, db, people):
    a, b = people["a"], people["b"]
    messages.send(db, a, b, "Envoyez 200 €", NOW)
    message = db.scalars(select(Message)).one()
    messages.report(db, b, a, "suspicious", "", message.id, NOW)
    services.delete_account(db, a.tenant)
    db.flush()
    assert db.scalar(select(func.count()).select_from(Conversation)) == 0
    report = db.scalars(select(Report)).one()
    assert (report.listing_id, report.message_id, report.excerpt) == (None, None, "Envoyez 200 €")
