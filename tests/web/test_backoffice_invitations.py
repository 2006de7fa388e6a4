"""Invitations and password resets by e-mail, received by a real SMTP server on this machine; members'
roles given and taken by the organisation's administrators only; on both backends."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from sqlalchemy import func, select

from portal import clock
from portal.partners import tokens
from portal.partners.models import AuditEntry, Membership, OneTimeLink, RoleInvitation, User
from tests.factories.partners import create_organisation, create_partner
from tests.mailbox import free_port
from tests.pagecheck import csrf_token
from tests.support import build_app


@pytest.fixture
def app(mail_app):
    return mail_app


@pytest.fixture
def people(db):
    town = create_organisation(db, "ville-a")
    other = create_organisation(db, "ville-b")
    admin = create_partner(db, "admin@ville-a.fr", {town: ["admin"]}, totp_secret=pyotp.random_base32())
    other_admin = create_partner(
        db, "admin@ville-b.fr", {other: ["admin"]}, totp_secret=pyotp.random_base32()
    )
    return {"town": town, "other": other, "admin": admin, "other_admin": other_admin}


def link_in(message: str) -> tuple[str, str]:
    """(the page's path, the code) of an e-mailed link: the code travels after "#", never to a server."""
    found = re.search(r"http://127\.0\.0\.1:5000(/partenaires/[^\s#]+)#code=([A-Z2-7]+)", message)
    return found.group(1), found.group(2)


def set_password(client, path: str, code: str, password: str, confirm: str | None = None):
    token = csrf_token(client, path)
    return client.post(
        path, data={"csrf_token": token, "code": code, "password": password, "confirm": confirm or password}
    )


def invite(client, slug: str, email: str, role: str = "editor"):
    url = f"/partenaires/organisations/{slug}/membres"
    return client.post(
        url,
        data={
            "csrf_token": csrf_token(client, "/partenaires/"),  # the session's token (any form has it)
            "name": "Léa Martin",
            "email": email,
            "role": role,
        },
    )


def test_an_admin_invites_a_person_who_chooses_a_password_and_signs_in(app, db, inbox, people, sign_in):
    client = app.test_client()
    sign_in(client, people["admin"])
    assert invite(client, "ville-a", "Lea.Martin@Ville-A.fr").status_code == 302
    assert len(inbox.messages) == 1
    recipients, message = inbox.messages[0]
    assert recipients == ["lea.martin@ville-a.fr"] and "Organisation ville-a" in message
    new = db.scalar(select(User).where(User.email == "lea.martin@ville-a.fr"))
    assert new.password_hash == "" and new.roles_in(people["town"].id) == {"editor"}
    audit = db.scalar(select(AuditEntry).where(AuditEntry.action == "member.role_given"))
    assert audit.after == {"role": "editor"} and audit.user_id == people["admin"].id
    path, code = link_in(message)
    assert path == "/partenaires/invitation" and tokens.grouped(code) in message, "the code is printed too"
    assert db.scalar(select(OneTimeLink.code_hash)) != code, "only a hash of the code is stored"
    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200 and code not in page.get_data(as_text=True)
    assert set_password(visitor, path, code, "azerty").status_code == 400
    password = "quatre mots sans rapport"
    assert set_password(visitor, path, code, password).status_code == 302
    again = set_password(visitor, path, code, "encore un autre secret")
    assert again.status_code == 400, "a code works once"
    db.expire_all()
    sign_in(visitor, new, password)


def test_a_reset_link_is_sent_only_to_an_account_and_the_answer_is_the_same(app, db, inbox, people, sign_in):
    client = app.test_client()
    answers = []
    for address in ("admin@ville-a.fr", "nobody@ville-a.fr"):
        token = csrf_token(client, "/partenaires/mot-de-passe-oublie")
        response = client.post(
            "/partenaires/mot-de-passe-oublie", data={"csrf_token": token, "email": address}
        )
        answers.append((response.status_code, response.headers["Location"]))
    assert answers[0] == answers[1]
    assert [recipients for recipients, _ in inbox.messages] == [["admin@ville-a.fr"]]
    path, code = link_in(inbox.messages[0][1])
    assert path == "/partenaires/mot-de-passe"
    other = app.test_client()
    sign_in(other, people["admin"])  # a session open elsewhere
    password = "un tout autre secret"
    assert set_password(client, path, code, password).status_code == 302
    assert other.get("/partenaires/").status_code == 302, "a new password ends the other sessions"
    db.expire_all()
    sign_in(client, people["admin"], password, next_code=True)
    assert (
        db.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "account.password_set_by_reset")
        )
        == 1
    )


def test_a_forged_host_never_reaches_an_emailed_link(app, inbox, people):
    """Links are built from PORTAL_PUBLIC_URL, whatever Host or X-Forwarded-Host the request came with."""
    client = app.test_client()
    forged = {"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"}
    token = csrf_token(client, "/partenaires/mot-de-passe-oublie", headers=forged)
    client.post(
        "/partenaires/mot-de-passe-oublie",
        data={"csrf_token": token, "email": "admin@ville-a.fr"},
        headers=forged,
    )
    message = inbox.messages[0][1]
    assert (
        "attacker.example" not in message
        and "http://127.0.0.1:5000/partenaires/mot-de-passe#code=" in message
    )


def test_a_forged_or_expired_code_is_refused_and_changes_nothing(app, db, people, monkeypatch):
    client = app.test_client()
    before = people["admin"].password_hash
    forged = set_password(client, "/partenaires/mot-de-passe", "A" * 26, "un tout autre secret")
    assert forged.status_code == 400
    code = tokens.make_code(db, "reset", people["admin"], clock.now())
    db.flush()
    moment = clock.now() + dt.timedelta(hours=1, minutes=1)
    monkeypatch.setattr(clock, "now", lambda: moment)
    expired = set_password(client, "/partenaires/mot-de-passe", code, "un tout autre secret")
    assert expired.status_code == 400 and "un tout autre secret" not in expired.get_data(as_text=True)
    assert set_password(client, "/partenaires/invitation", code, "un tout autre secret").status_code == 400, (
        "a reset code is not an invitation"
    )
    db.expire_all()
    assert people["admin"].password_hash == before


def test_forgotten_password_only_queues_a_job_the_consumer_sends(tmp_path, db, inbox, people):
    """The request does the same work for a known and an unknown address (it queues a job); the e-mail is
    made and sent by the consumer, after the answer."""
    app = build_app(
        tmp_path,
        db.connection(),
        smtp_host="127.0.0.1",
        smtp_port=inbox.port,
        smtp_starttls=False,
        jobs_immediate=False,
    )
    huey = app.extensions["portal.jobs"].huey
    client = app.test_client()
    for address in ("admin@ville-a.fr", "nobody@ville-a.fr"):
        token = csrf_token(client, "/partenaires/mot-de-passe-oublie")
        client.post("/partenaires/mot-de-passe-oublie", data={"csrf_token": token, "email": address})
    assert inbox.messages == [] and huey.pending_count() == 2
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
    assert [recipients for recipients, _ in inbox.messages] == [["admin@ville-a.fr"]]


def test_an_admin_cannot_give_or_take_roles_in_another_organisation(app, db, inbox, people, sign_in):
    client = app.test_client()
    sign_in(client, people["admin"])
    before = db.scalar(select(func.count()).select_from(Membership))
    assert invite(client, "ville-b", "intrus@ville-a.fr").status_code == 403
    target = people["other_admin"]
    url = f"/partenaires/organisations/ville-b/membres/{target.id}/admin/retirer"
    assert client.post(url, data={"csrf_token": csrf_token(client, "/partenaires/")}).status_code == 403
    assert db.scalar(select(func.count()).select_from(Membership)) == before
    assert inbox.messages == [] and db.scalar(select(User).where(User.email == "intrus@ville-a.fr")) is None


def test_an_admin_takes_a_role_away_but_not_their_own_admin_role(app, db, people, sign_in):
    client = app.test_client()
    editor = create_partner(db, "editeur@ville-a.fr", {people["town"]: ["editor", "viewer"]})
    sign_in(client, people["admin"])
    url = f"/partenaires/organisations/ville-a/membres/{editor.id}/viewer/retirer"
    assert client.post(url, data={"csrf_token": csrf_token(client, "/partenaires/")}).status_code == 302
    db.expire_all()
    assert editor.roles_in(people["town"].id) == {"editor"}
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "member.role_taken"))
    assert entry.before == {"role": "viewer"} and entry.target == "editeur@ville-a.fr"
    own = f"/partenaires/organisations/ville-a/membres/{people['admin'].id}/admin/retirer"
    client.post(own, data={"csrf_token": csrf_token(client, "/partenaires/")})
    db.expire_all()
    assert people["admin"].roles_in(people["town"].id) == {"admin"}


def test_a_reviewer_role_is_offered_only_in_the_epci(app, db, people, sign_in):
    client = app.test_client()
    sign_in(client, people["admin"])
    response = invite(client, "ville-a", "relecteur@ville-a.fr", role="reviewer")
    assert response.status_code == 400, "not a choice for a commune"
    assert db.scalar(select(User).where(User.email == "relecteur@ville-a.fr")) is None


def test_when_the_mail_server_is_down_the_invitation_waits_for_a_retry(tmp_path, db, people, sign_in):
    app = build_app(
        tmp_path, db.connection(), smtp_host="127.0.0.1", smtp_port=free_port(), smtp_starttls=False
    )
    client = app.test_client()
    sign_in(client, people["admin"])
    assert invite(client, "ville-a", "perdu@ville-a.fr").status_code == 302
    assert db.scalar(select(User).where(User.email == "perdu@ville-a.fr")) is not None, "the change is made"
    huey = app.extensions["portal.jobs"].huey
    assert huey.scheduled_count() == 1, "the e-mail is tried again later"


def test_a_person_with_an_account_elsewhere_accepts_a_role_before_having_it(app, db, inbox, people, sign_in):
    """No silent grant: another organisation's admin is offered the role and decides."""
    client = app.test_client()
    sign_in(client, people["admin"])
    assert invite(client, "ville-a", "admin@ville-b.fr", role="admin").status_code == 302
    other = people["other_admin"]
    db.expire_all()
    assert other.roles_in(people["town"].id) == set(), "not before they accept"
    assert [recipients for recipients, _ in inbox.messages] == [["admin@ville-b.fr"]]
    offer = db.scalar(select(RoleInvitation).where(RoleInvitation.user_id == other.id))
    assert offer.role == "admin"
    intruder = app.test_client()
    sign_in(intruder, people["admin"], next_code=True)
    url = f"/partenaires/roles-proposes/{offer.id}"
    token = csrf_token(intruder, "/partenaires/")
    assert intruder.post(url, data={"csrf_token": token, "answer": "accept"}).status_code == 404, (
        "only the person answers their offer"
    )
    person = app.test_client()
    sign_in(person, other)
    assert "Organisation ville-a" in person.get("/partenaires/").get_data(as_text=True)
    answer = person.post(url, data={"csrf_token": csrf_token(person, "/partenaires/"), "answer": "accept"})
    assert answer.status_code == 302
    db.expire_all()
    assert other.roles_in(people["town"].id) == {"admin"}
    assert db.scalar(select(RoleInvitation)) is None
    assert "account.role_invitation_accepted" in set(db.scalars(select(AuditEntry.action)))


def test_an_offer_is_withdrawn_by_an_admin_and_lapses_after_thirty_days(app, db, inbox, people, sign_in):
    client = app.test_client()
    sign_in(client, people["admin"])
    invite(client, "ville-a", "admin@ville-b.fr", role="editor")
    offer = db.scalar(select(RoleInvitation))
    page = client.get("/partenaires/organisations/ville-a/membres").get_data(as_text=True)
    assert "admin@ville-b.fr" in page, "the pending offer is listed"
    url = f"/partenaires/organisations/ville-a/membres/propositions/{offer.id}/retirer"
    other = app.test_client()
    sign_in(other, people["other_admin"])
    assert other.post(url, data={"csrf_token": csrf_token(other, "/partenaires/")}).status_code == 403
    assert client.post(url, data={"csrf_token": csrf_token(client, "/partenaires/")}).status_code == 302
    assert db.scalar(select(RoleInvitation)) is None
    invite(client, "ville-a", "admin@ville-b.fr", role="viewer")
    offer = db.scalar(select(RoleInvitation))
    offer.created_at = clock.now() - dt.timedelta(days=31)
    db.flush()
    answer = f"/partenaires/roles-proposes/{offer.id}"
    late = other.post(answer, data={"csrf_token": csrf_token(other, "/partenaires/"), "answer": "accept"})
    assert late.status_code == 404, "a lapsed offer cannot be accepted"


def test_a_person_invited_elsewhere_is_offered_the_role_too(app, db, inbox, people, sign_in):
    """Invited by another organisation and not signed up yet: still no silent grant here."""
    client = app.test_client()
    sign_in(client, people["admin"])
    other = app.test_client()
    sign_in(other, people["other_admin"])
    invite(other, "ville-b", "nouvelle@ville-b.fr")
    invite(client, "ville-a", "nouvelle@ville-b.fr")
    person = db.scalar(select(User).where(User.email == "nouvelle@ville-b.fr"))
    db.expire_all()
    assert person.roles_in(people["town"].id) == set()
    assert db.scalar(select(RoleInvitation).where(RoleInvitation.user_id == person.id)) is not None


def test_reset_links_are_limited_per_address(app, inbox, people):
    client = app.test_client()
    for index in range(4):
        client.environ_base["REMOTE_ADDR"] = f"203.0.113.{index}"  # other clients, one address asked for
        token = csrf_token(client, "/partenaires/mot-de-passe-oublie")
        client.post(
            "/partenaires/mot-de-passe-oublie", data={"csrf_token": token, "email": "admin@ville-a.fr"}
        )
    assert len(inbox.messages) == 3, "three links an hour at most"
