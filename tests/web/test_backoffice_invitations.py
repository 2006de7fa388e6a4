"""Invitations and password resets by e-mail, received by a real SMTP server on this machine; members'
roles given and taken by the organisation's administrators only; on both backends."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import func, select

from portal.backoffice.models import AuditEntry, Membership, User
from tests.conftest import build_app
from tests.factories import PARTNER_PASSWORD, create_organisation, create_partner
from tests.mailbox import free_port
from tests.pagecheck import csrf_token


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


def sign_in(client, user: User, password: str = PARTNER_PASSWORD, next_code: bool = False) -> None:
    """Sign in; `next_code` uses the code of the next 30-second step (each code is accepted once)."""
    token = csrf_token(client, "/partenaires/connexion")
    client.post(
        "/partenaires/connexion", data={"csrf_token": token, "email": user.email, "password": password}
    )
    if user.totp_secret:
        token = csrf_token(client, "/partenaires/connexion/code")
        totp = pyotp.TOTP(user.totp_secret)
        code = totp.at(time.time() + totp.interval) if next_code else totp.now()
        client.post("/partenaires/connexion/code", data={"csrf_token": token, "code": code})
    assert client.get("/partenaires/").status_code == 200


def link_in(message: str) -> str:
    return re.search(r"http://localhost(/partenaires/\S+)", message).group(1)


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


def test_an_admin_invites_a_person_who_chooses_a_password_and_signs_in(app, db, inbox, people):
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
    link = link_in(message)
    visitor = app.test_client()
    assert visitor.get(link).status_code == 200
    weak = visitor.post(
        link, data={"csrf_token": csrf_token(visitor, link), "password": "azerty", "confirm": "azerty"}
    )
    assert weak.status_code == 400
    password = "quatre mots sans rapport"
    token = csrf_token(visitor, link)
    assert (
        visitor.post(link, data={"csrf_token": token, "password": password, "confirm": password}).status_code
        == 302
    )
    assert visitor.get(link).status_code == 410, "a link works once"
    db.expire_all()
    sign_in(visitor, new, password)


def test_a_reset_link_is_sent_only_to_an_account_and_the_answer_is_the_same(app, db, inbox, people):
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
    link = link_in(inbox.messages[0][1])
    other = app.test_client()
    sign_in(other, people["admin"])  # a session open elsewhere
    password = "un tout autre secret"
    token = csrf_token(client, link)
    assert (
        client.post(link, data={"csrf_token": token, "password": password, "confirm": password}).status_code
        == 302
    )
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


def test_a_forged_or_altered_link_is_refused(app, people):
    client = app.test_client()
    assert client.get("/partenaires/mot-de-passe/not-a-token").status_code == 410
    assert client.get("/partenaires/invitation/eyJ1IjoxfQ.AAAA.BBBB").status_code == 410


def test_an_admin_cannot_give_or_take_roles_in_another_organisation(app, db, inbox, people):
    client = app.test_client()
    sign_in(client, people["admin"])
    before = db.scalar(select(func.count()).select_from(Membership))
    assert invite(client, "ville-b", "intrus@ville-a.fr").status_code == 403
    target = people["other_admin"]
    url = f"/partenaires/organisations/ville-b/membres/{target.id}/admin/retirer"
    assert client.post(url, data={"csrf_token": csrf_token(client, "/partenaires/")}).status_code == 403
    assert db.scalar(select(func.count()).select_from(Membership)) == before
    assert inbox.messages == [] and db.scalar(select(User).where(User.email == "intrus@ville-a.fr")) is None


def test_an_admin_takes_a_role_away_but_not_their_own_admin_role(app, db, people):
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


def test_a_reviewer_role_is_offered_only_in_the_epci(app, db, people):
    client = app.test_client()
    sign_in(client, people["admin"])
    response = invite(client, "ville-a", "relecteur@ville-a.fr", role="reviewer")
    assert response.status_code == 400, "not a choice for a commune"
    assert db.scalar(select(User).where(User.email == "relecteur@ville-a.fr")) is None


def test_when_the_mail_server_is_down_the_invitation_changes_nothing(tmp_path, db, people):
    app = build_app(
        tmp_path, db.connection(), smtp_host="127.0.0.1", smtp_port=free_port(), smtp_starttls=False
    )
    client = app.test_client()
    sign_in(client, people["admin"])
    before = db.scalar(select(func.count()).select_from(User))
    assert invite(client, "ville-a", "perdu@ville-a.fr").status_code == 302
    assert db.scalar(select(func.count()).select_from(User)) == before
    page = client.get("/partenaires/organisations/ville-a/membres").get_data(as_text=True)
    assert "n’a pas pu être envoyée" in page
