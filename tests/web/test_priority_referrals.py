"""Priority households on both backends: a worker refers a household, the committee puts it on a session's
agenda and labels it, oriented to a reservation holder; who sees what, across every kind of partner; the
nightly follow-up (housed by an allocation, lapsed labels)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from portal.demands.models import Allocation
from portal.partners.models import AuditEntry
from portal.priority import referrals
from portal.priority.models import Referral
from tests.factories.partners import create_organisation, create_partner
from tests.pagecheck import csrf_token, parse, text_of
from tests.support import sign_in

BASE = "/partenaires/prioritaires"
NUMBER = "0721122000005G0201"
TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def people(db):
    epci = create_organisation(db, "metropole", "epci")
    state = create_organisation(db, "prefecture", "state")
    association = create_organisation(db, "asso-logement", "association")
    town = create_organisation(db, "ville-a")
    landlord = create_organisation(db, "oph", "landlord")
    holder = create_organisation(db, "collecteur", "action_logement")
    return {
        "association": association,
        "landlord": landlord,
        "holder": holder,
        "worker": create_partner(db, "travailleur@asso.fr", {association: ["editor"]}),
        "colleague": create_partner(db, "collegue@asso.fr", {association: ["editor"]}),
        "ccas": create_partner(db, "ccas@ville-a.fr", {town: ["desk_agent"]}),
        "epci_editor": create_partner(db, "editeur@metropole.fr", {epci: ["editor"]}),
        "state_editor": create_partner(db, "ddets@prefecture.fr", {state: ["editor"]}),
        "landlord_editor": create_partner(db, "editeur@oph.fr", {landlord: ["editor"]}),
        "landlord_agent": create_partner(db, "agent@oph.fr", {landlord: ["desk_agent"]}),
        "holder_editor": create_partner(db, "editeur@collecteur.fr", {holder: ["editor"]}),
        "association_viewer": create_partner(db, "lecteur@asso.fr", {association: ["viewer"]}),
    }


def post(client, url: str, **values):
    return client.post(url, data={"csrf_token": csrf_token(client, "/partenaires/"), **values})


def switch(client, email: str) -> None:
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    sign_in(client, email)


def labelled(db, people, number=NUMBER, holder="landlord") -> Referral:
    values = {
        "demand_number": number,
        "criteria": ["violence"],
        "support_organisation": "CIDFF",
        "comment": "Hébergée",
    }
    referral = referrals.refer(
        db, people["worker"], people["association"].id, values, TODAY - dt.timedelta(days=40)
    )
    committee = referrals.create_session(db, people["epci_editor"], TODAY - dt.timedelta(days=20), "Salle 2")
    referral.state, referral.session_id = "on_agenda", committee.id
    referrals.decide(
        db, people["epci_editor"], referral, True, "violence", "Situation établie", people[holder].id,
        TODAY - dt.timedelta(days=20),
    )  # fmt: skip
    db.flush()
    return referral


def test_from_referral_to_label(db_app, db, people):
    client = db_app.test_client()
    sign_in(client, "travailleur@asso.fr")
    assert f"{BASE}/" in client.get("/partenaires/").text
    form = {
        "organisation": str(people["association"].id),
        "demand_number": "072 11 22 000005 G0201",
        "criteria": ["violence", "no_housing"],
        "support_organisation": "CIDFF 72",
        "comment": "Hébergée",
    }
    refused = post(client, f"{BASE}/orientations/nouvelle", **{**form, "demand_number": "12345"})
    assert (
        refused.status_code == 400 and "18 caractères" in refused.text and 'value="CIDFF 72"' in refused.text
    )
    made = post(client, f"{BASE}/orientations/nouvelle", **form)
    assert made.status_code == 302
    referral = db.scalar(select(Referral))
    assert (referral.demand_number, referral.criteria, referral.state) == (
        NUMBER,
        ["violence", "no_housing"],
        "submitted",
    )
    again = post(client, f"{BASE}/orientations/nouvelle", **form)
    assert again.status_code == 400 and "déjà orienté" in again.text

    switch(client, "editeur@metropole.fr")
    planned = post(
        client, f"{BASE}/commissions", held_on=(TODAY + dt.timedelta(days=10)).isoformat(), place="Salle 2"
    )
    assert planned.status_code == 302
    page = f"{BASE}/orientations/{referral.id}"
    assert NUMBER in client.get(f"{BASE}/").text
    session_id = int(planned.location.rsplit("/", 1)[1])
    assert post(client, f"{page}/ordre-du-jour", committee_session=str(session_id)).status_code == 302
    assert NUMBER in client.get(planned.location).text
    missing = post(
        client,
        f"{page}/decision",
        decision="labelled",
        criterion="",
        holder="",
        reasons="",
        decided_on=TODAY.isoformat(),
    )
    errors = text_of(parse(missing).find(".//*[@class='error-summary']"))
    assert (
        missing.status_code == 400
        and "critère retenu" in errors
        and "réservataire" in errors
        and "motifs" in errors
    )
    decision = {"decision": "labelled", "criterion": "violence", "holder": str(people["landlord"].id)}
    decided = post(
        client, f"{page}/decision", **decision, reasons="Situation établie", decided_on=TODAY.isoformat()
    )
    assert decided.status_code == 302
    db.expire_all()
    referral = db.get(Referral, referral.id)
    assert (referral.state, referral.criterion, referral.holder_id) == (
        "labelled",
        "violence",
        people["landlord"].id,
    )
    assert referral.label_ends_on == dt.date(2027, 12, 7)
    actions = db.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("priority.%")).order_by(AuditEntry.id)
    ).all()
    assert actions == [
        "priority.referred",
        "priority.session_created",
        "priority.put_on_agenda",
        "priority.decided",
    ]

    switch(client, "travailleur@asso.fr")  # the worker follows the household's progress
    progress = text_of(parse(client.get(page)).find(".//main"))
    assert "Ménage prioritaire" in progress and "Situation établie" in progress


def test_who_sees_a_referral_across_every_kind_of_partner(db_app, db, people):
    referral = labelled(db, people)
    values = {"demand_number": "0720723000007G0101", "criteria": ["eviction"], "support_organisation": "ADIL"}
    waiting = referrals.refer(db, people["worker"], people["association"].id, values, TODAY)
    db.commit()
    client = db_app.test_client()
    expected = {
        "travailleur@asso.fr": (200, 200, True),  # the referring worker: both, with the details
        "collegue@asso.fr": (404, 404, False),  # a colleague of the same association: neither
        "ccas@ville-a.fr": (404, 404, False),  # another worker (a commune's social service): neither
        "editeur@metropole.fr": (200, 200, True),  # the committee: all
        "ddets@prefecture.fr": (200, 200, True),  # the State sits on the committee
        "editeur@oph.fr": (200, 404, False),  # the holder it is oriented to: the label, no details
        "editeur@collecteur.fr": (404, 404, False),  # another holder: nothing
    }
    for email, (labelled_status, waiting_status, details) in expected.items():
        sign_in(client, email)
        page = client.get(f"{BASE}/orientations/{referral.id}")
        assert page.status_code == labelled_status, email
        assert client.get(f"{BASE}/orientations/{waiting.id}").status_code == waiting_status, email
        if page.status_code == 200:
            assert ("Hébergée" in page.text) is details, email
        client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    for email in ("agent@oph.fr", "lecteur@asso.fr"):  # no working role in the follow-up
        sign_in(client, email)
        assert client.get(f"{BASE}/").status_code == 403, email
        client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    sign_in(client, "editeur@oph.fr")
    assert NUMBER in client.get(f"{BASE}/").text
    assert (
        post(client, f"{BASE}/orientations/{referral.id}/decision", decision="not_labelled").status_code
        == 403
    )
    assert client.get(f"{BASE}/commissions").status_code == 403
    assert client.get(f"{BASE}/orientations/nouvelle").status_code == 403


def test_the_nightly_follow_up_houses_and_lapses(db, people):
    housed = labelled(db, people)
    old = labelled(db, people, number="0720921000010G0101")
    old.label_ends_on = TODAY - dt.timedelta(days=1)
    db.add(Allocation(demand_number=NUMBER, allocated_on=TODAY - dt.timedelta(days=3), commune_insee="72181",
                      dwelling_type="T3", landlord="oph", holder="oph"))  # fmt: skip
    db.flush()
    assert referrals.follow_up(db, TODAY) == (1, 1)
    db.expire_all()
    assert (db.get(Referral, housed.id).state, db.get(Referral, housed.id).close_reason) == (
        "housed",
        "housed",
    )
    assert (db.get(Referral, old.id).state, db.get(Referral, old.id).close_reason) == ("ended", "lapsed")
    assert referrals.active_labels(db, [NUMBER, "0720921000010G0101"], TODAY) == {}


def test_referrals_ended_a_year_ago_are_deleted(db, people):
    housed = labelled(db, people)
    referrals.close(db, None, housed, "housed", TODAY - dt.timedelta(days=366))
    recent = labelled(db, people, number="0720921000010G0101")
    referrals.close(db, None, recent, "withdrawn", TODAY - dt.timedelta(days=300))
    open_one = labelled(db, people, number="0720723000007G0101")
    db.flush()
    assert referrals.purge(db, TODAY) == 1
    db.expire_all()
    assert db.get(Referral, housed.id) is None
    assert db.get(Referral, recent.id) is not None and db.get(Referral, open_one.id) is not None


def test_the_privacy_page_states_how_long_referrals_are_kept(client):
    assert dt.timedelta(days=365) == referrals.RETENTION
    page = client.get("/fr/donnees-personnelles").text.replace("&#39;", "'")
    assert "un an après la fin du suivi" in page and "publics prioritaires" in page
