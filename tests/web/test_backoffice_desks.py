"""Partners keep their desks current, on both backends: flags for hours not confirmed, confirming, editing
(only their own desks; the EPCI all), the audit, and the reminder e-mails of `portal desks remind`."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from sqlalchemy import func, select

from portal import clock
from portal.cli import desks as desk_commands
from portal.desks.models import Desk
from portal.partners.models import AuditEntry
from tests.factories.partners import create_organisation, create_partner
from tests.pagecheck import csrf_token, parse, text_of


@pytest.fixture
def app(mail_app):
    return mail_app


@pytest.fixture
def setup(db):
    town = create_organisation(db, "ville-a")
    other = create_organisation(db, "ville-b")
    epci = create_organisation(db, "metropole", kind="epci")
    template = db.scalars(select(Desk).order_by(Desk.id)).first()

    def desk(organisation, name, confirmed):
        made = Desk(
            key=f"test-{name}",
            organisation_id=organisation.id,
            name=name,
            level=2,
            address="1 rue de l'Essai",
            postcode=template.postcode,
            commune_insee=template.commune_insee,
            latitude=template.latitude,
            longitude=template.longitude,
            languages="fr",
            hours_confirmed_on=confirmed,
            updated_on=dt.date(2026, 1, 1),
        )
        db.add(made)
        db.flush()
        return made

    today = clock.today()
    return {
        "fresh": desk(town, "Guichet à jour", today - dt.timedelta(days=30)),
        "stale": desk(town, "Guichet oublié", today - dt.timedelta(days=300)),
        "never": desk(town, "Guichet jamais confirmé", None),
        "elsewhere": desk(other, "Guichet d'ailleurs", None),
        "editor": create_partner(db, "editeur@ville-a.fr", {town: ["editor"]}),
        "other_editor": create_partner(db, "editeur@ville-b.fr", {other: ["editor"]}),
        "epci_editor": create_partner(db, "editeur@metropole.fr", {epci: ["editor"]}),
        "admin": create_partner(db, "admin@ville-a.fr", {town: ["admin"]}, totp_secret=pyotp.random_base32()),
        "invited": create_partner(db, "invite@ville-a.fr", {town: ["editor"]}, password_hash=""),
    }


def test_the_dashboard_and_the_list_flag_the_desks_to_check(app, setup, sign_in):
    client = app.test_client()
    sign_in(client, "editeur@ville-a.fr")
    dashboard = text_of(parse(client.get("/partenaires/")).find(".//main"))
    assert "Guichet oublié" in dashboard and "Guichet jamais confirmé" in dashboard
    assert "Guichet à jour" not in dashboard and "Guichet d'ailleurs" not in dashboard
    rows = parse(client.get("/partenaires/organisations/ville-a/guichets")).findall(".//tbody/tr")
    flagged = {text_of(row.find("th")) for row in rows if "À vérifier" in text_of(row)}
    assert {"Guichet oublié", "Guichet jamais confirmé"} <= flagged and "Guichet à jour" not in flagged


def test_confirming_the_hours_clears_the_flag_and_is_audited(app, db, setup, sign_in):
    client = app.test_client()
    sign_in(client, "editeur@ville-a.fr")
    desk = setup["stale"]
    url = f"/partenaires/organisations/ville-a/guichets/{desk.id}/confirmer"
    assert client.post(url, data={"csrf_token": csrf_token(client, "/partenaires/")}).status_code == 302
    db.expire_all()
    assert desk.hours_confirmed_on == clock.today() and desk.updated_on == clock.today()
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "desk.hours_confirmed"))
    assert (
        entry.after == {"hours_confirmed_on": clock.today().isoformat()}
        and entry.user_id == setup["editor"].id
    )


def test_an_editor_edits_their_desk_and_a_bad_value_keeps_what_was_typed(app, db, setup, sign_in):
    client = app.test_client()
    sign_in(client, "editeur@ville-a.fr")
    desk = setup["fresh"]
    url = f"/partenaires/organisations/ville-a/guichets/{desk.id}"
    phone_before = desk.phone
    token = csrf_token(client, url)
    bad = client.post(
        url,
        data={
            "csrf_token": token,
            "languages": "fr arabe!",
            "phone": "02 43 00 00 00",
            "website": "http://x.fr",
        },
    )
    assert bad.status_code == 400
    tree = parse(bad)
    assert tree.find(".//input[@id='phone']").get("value") == "02 43 00 00 00"
    assert tree.find(".//input[@id='languages']").get("aria-invalid") == "true"
    db.expire_all()
    assert desk.phone == phone_before, "nothing saved"
    week = {"monday": "9h-12h, 13:30-17:00", "tuesday": "09:00-12:00", "saturday": ""}
    overlapping = client.post(
        url, data={"csrf_token": token, "languages": "fr", "monday": "09:00-12:00, 11:00-13:00"}
    )
    assert overlapping.status_code == 400
    assert parse(overlapping).find(".//input[@id='monday']").get("aria-invalid") == "true"
    good = client.post(
        url,
        data={
            "csrf_token": token,
            "languages": "FR ar fr",
            "phone": "02 43 00 00 00",
            "step_free": "y",
            "accessibility_notes": "Rampe à l'entrée.",
            **week,
        },
    )
    assert good.status_code == 302
    db.expire_all()
    assert (desk.languages, desk.phone, desk.step_free) == ("fr ar", "02 43 00 00 00", True)
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "desk.updated"))
    assert entry.after["phone"] == "02 43 00 00 00" and entry.before["languages"] == "fr"
    assert entry.after["monday"] == "09:00-12:00, 13:30-17:00" and entry.after["tuesday"] == "09:00-12:00"
    assert sorted((slot.weekday, f"{slot.opens:%H:%M}") for slot in desk.slots) == [
        (0, "09:00"),
        (0, "13:30"),
        (1, "09:00"),
    ]
    assert desk.hours_confirmed_on == clock.today(), "saving confirms the hours shown"
    form = parse(client.get(url))
    assert form.find(".//input[@id='monday']").get("value") == "09:00-12:00, 13:30-17:00", "shown as saved"


def test_a_partner_cannot_see_or_change_another_organisations_desks(app, db, setup, sign_in):
    client = app.test_client()
    sign_in(client, "editeur@ville-b.fr")
    desk = setup["stale"]
    before = (desk.phone, desk.hours_confirmed_on)
    token = csrf_token(client, "/partenaires/")
    assert client.get("/partenaires/organisations/ville-a/guichets").status_code == 403
    assert client.get(f"/partenaires/organisations/ville-a/guichets/{desk.id}").status_code == 403
    edit = client.post(
        f"/partenaires/organisations/ville-a/guichets/{desk.id}",
        data={"csrf_token": token, "languages": "fr", "phone": "0"},
    )
    confirm = client.post(
        f"/partenaires/organisations/ville-a/guichets/{desk.id}/confirmer", data={"csrf_token": token}
    )
    assert edit.status_code == confirm.status_code == 403
    # Through its own organisation's address, another organisation's desk is not found either.
    assert (
        client.post(
            f"/partenaires/organisations/ville-b/guichets/{desk.id}/confirmer", data={"csrf_token": token}
        ).status_code
        == 404
    )
    db.expire_all()
    assert (desk.phone, desk.hours_confirmed_on) == before
    assert (
        db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action.like("desk.%"))) == 0
    )


def test_the_epci_edits_every_desk(app, setup, sign_in):
    client = app.test_client()
    sign_in(client, "editeur@metropole.fr")
    assert client.get("/partenaires/organisations/ville-b/guichets").status_code == 200
    assert (
        client.get(f"/partenaires/organisations/ville-b/guichets/{setup['elsewhere'].id}").status_code == 200
    )


def test_the_reminder_mails_each_organisations_editors_and_admins(app, db, inbox, setup):
    db.execute(
        Desk.__table__.update().where(~Desk.key.startswith("test-")).values(hours_confirmed_on=clock.today())
    )
    result = app.test_cli_runner().invoke(desk_commands.desks_group, ["remind"])
    assert result.exit_code == 0, result.output
    assert "3 desks to check in 2 organisations: 3 reminders sent." in result.output
    received = {recipients[0]: body for recipients, body in inbox.messages}
    assert set(received) == {"editeur@ville-a.fr", "admin@ville-a.fr", "editeur@ville-b.fr"}, (
        "not the invited"
    )
    assert (
        "Guichet oublié" in received["editeur@ville-a.fr"]
        and "Guichet d'ailleurs" not in received["editeur@ville-a.fr"]
    )
    assert "/partenaires/organisations/ville-a/guichets" in received["admin@ville-a.fr"]


def test_closures_and_notices_are_added_and_taken_away_by_the_desks_organisation(app, db, setup, sign_in):
    client = app.test_client()
    sign_in(client, "editeur@ville-a.fr")
    desk = setup["fresh"]
    base = f"/partenaires/organisations/ville-a/guichets/{desk.id}"
    token = csrf_token(client, base)
    backwards = client.post(
        f"{base}/fermetures",
        data={
            "csrf_token": token,
            "closure-starts_on": "2026-12-31",
            "closure-ends_on": "2026-12-24",
            "closure-reason": "Fêtes",
        },
    )
    assert backwards.status_code == 400
    assert parse(backwards).find(".//input[@id='closure-reason']").get("value") == "Fêtes", (
        "what was typed stays"
    )
    assert parse(backwards).find(".//title").text.startswith("Erreur")
    closure = client.post(
        f"{base}/fermetures",
        data={
            "csrf_token": token,
            "closure-starts_on": "2026-12-24",
            "closure-ends_on": "2026-12-31",
            "closure-reason": "Fêtes",
        },
    )
    notice = client.post(
        f"{base}/avis",
        data={
            "csrf_token": token,
            "notice-starts_on": "2026-11-01",
            "notice-ends_on": "2027-01-31",
            "notice-text": "Entrée par la cour.",
        },
    )
    assert closure.status_code == notice.status_code == 302
    db.expire_all()
    assert [(c.starts_on.isoformat(), c.reason) for c in desk.closures] == [("2026-12-24", "Fêtes")]
    assert [n.text for n in desk.notices] == ["Entrée par la cour."]
    actions = set(db.scalars(select(AuditEntry.action).where(AuditEntry.action.like("desk.%"))))
    assert {"desk.closure_added", "desk.notice_added"} <= actions
    # Another organisation's editor can neither add nor take away.
    other = app.test_client()
    sign_in(other, "editeur@ville-b.fr")
    other_token = csrf_token(other, "/partenaires/")
    removal = f"{base}/fermetures/{desk.closures[0].id}/supprimer"
    assert other.post(removal, data={"csrf_token": other_token}).status_code == 403
    assert (
        other.post(
            f"{base}/avis",
            data={
                "csrf_token": other_token,
                "notice-starts_on": "2026-11-01",
                "notice-ends_on": "2026-11-02",
                "notice-text": "x",
            },
        ).status_code
        == 403
    )
    db.expire_all()
    assert len(desk.closures) == 1 and len(desk.notices) == 1
    assert client.post(removal, data={"csrf_token": token}).status_code == 302
    db.expire_all()
    assert desk.closures == [] and "desk.closure_removed" in set(db.scalars(select(AuditEntry.action)))


def test_a_closure_without_its_csrf_token_is_refused(app, db, setup, sign_in):
    client = app.test_client()
    sign_in(client, "editeur@ville-a.fr")
    desk = setup["fresh"]
    url = f"/partenaires/organisations/ville-a/guichets/{desk.id}/fermetures"
    response = client.post(url, data={"closure-starts_on": "2026-12-24", "closure-ends_on": "2026-12-31"})
    assert response.status_code == 400
    db.expire_all()
    assert desk.closures == []
