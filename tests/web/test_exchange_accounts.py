"""Tenants' accounts on the exchange, on both backends: sign-up with the address verified by an e-mailed
link (received by a local SMTP server), the same answer whatever the address, passwords judged like the
partners', sign-in by password with delays after failures, one-time sign-in links, sign-out here and
everywhere, unverified accounts deleted after 48 hours."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from sqlalchemy import select

from portal import clock
from portal.exchange import accounts
from portal.exchange.jobs import purge_accounts
from portal.exchange.models import Tenant, TenantLink
from tests.pagecheck import csrf_token, parse, text_of

HOME = "/fr/echange-de-logement/"
PASSWORD = "trois mots bien choisis"


@pytest.fixture
def app(mail_app):
    return mail_app


def link(message: str) -> str:
    return re.search(r"http://[^\s]+", message)[0].removeprefix("http://127.0.0.1:5000")


def post(client, path: str, token_from: str | None = None, **values):
    """A POST with the form token of `token_from`'s page (the path itself by default)."""
    token = csrf_token(client, token_from or path)
    return client.post(path, data={"csrf_token": token, **values})


def sign_up(client, email="locataire@example.org", password=PASSWORD, confirm=None):
    return post(client, f"{HOME}inscription", email=email, password=password, confirm=confirm or password)


def tenants(db) -> list[Tenant]:
    db.expire_all()
    return list(db.scalars(select(Tenant)))


def main_text(response) -> str:
    return text_of(parse(response).find(".//main"))


def verified_tenant(app, inbox, email="locataire@example.org"):
    client = app.test_client()
    sign_up(client, email)
    path = link(inbox.messages[-1][1])
    post(client, path)
    return client


def test_signing_up_sends_a_link_that_verifies_the_address_and_signs_in(app, db, inbox):
    client = app.test_client()
    response = sign_up(client, "  Locataire@Example.org ")
    assert response.status_code == 200 and "Consultez votre messagerie" in main_text(response)
    [tenant] = tenants(db)
    assert tenant.email == "locataire@example.org" and tenant.email_verified_at is None
    assert tenant.password_hash.startswith("$argon2")
    ((to, body),) = inbox.messages
    assert to == ["locataire@example.org"] and "48 heures" in body
    path = link(body)
    opened = app.test_client().get(path)  # a mail scanner opening the link changes nothing
    assert opened.status_code == 200 and tenants(db)[0].email_verified_at is None
    done = post(client, path)
    assert done.status_code == 302
    home = client.get(done.location)
    assert "Connecté en tant que locataire@example.org" in main_text(home)
    assert tenants(db)[0].email_verified_at is not None
    assert post(app.test_client(), path, token_from=f"{HOME}connexion").status_code == 404  # once only


def test_an_address_with_an_account_gets_the_same_page_and_another_mail(app, db, inbox):
    verified_tenant(app, inbox)
    response = sign_up(app.test_client(), "locataire@example.org", "un autre mot de passe solide")
    assert response.status_code == 200 and "Consultez votre messagerie" in main_text(response)
    assert len(tenants(db)) == 1
    assert "qui en a déjà un" in inbox.messages[-1][1]
    assert "/echange-de-logement/lien" in inbox.messages[-1][1]


def test_a_weak_password_is_refused_and_the_address_kept(app, db, inbox):
    response = sign_up(app.test_client(), "locataire@example.org", "azerty123456")
    assert response.status_code == 400
    page = parse(response)
    assert page.find(".//*[@id='email']").get("value") == "locataire@example.org"
    assert page.find(".//*[@id='password'][@aria-invalid='true']") is not None
    different = sign_up(app.test_client(), "locataire@example.org", PASSWORD, "trois mots mal choisis")
    assert different.status_code == 400 and "différents" in main_text(different)
    assert tenants(db) == [] and inbox.messages == []


def test_without_the_form_token_nothing_is_created(app, db, inbox):
    response = app.test_client().post(
        f"{HOME}inscription", data={"email": "a@example.org", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 400 and tenants(db) == []


def test_password_sign_in_only_for_a_verified_address_then_delays(app, db, inbox):
    client = app.test_client()
    sign_up(client)
    unverified = post(client, f"{HOME}connexion", email="locataire@example.org", password=PASSWORD)
    assert unverified.status_code == 401 and "pas encore confirmée" in main_text(unverified)
    post(client, link(inbox.messages[-1][1]))
    other = app.test_client()
    assert (
        post(other, f"{HOME}connexion", email="locataire@example.org", password=PASSWORD).status_code == 302
    )
    assert "Connecté en tant que" in main_text(other.get(HOME))
    guesser = app.test_client()
    for _attempt in range(3):
        wrong = post(guesser, f"{HOME}connexion", email="locataire@example.org", password="mauvais mot")
        assert wrong.status_code == 401
    held = post(guesser, f"{HOME}connexion", email="locataire@example.org", password=PASSWORD)
    assert held.status_code == 401 and "réessayez dans" in main_text(held)


def test_a_one_time_link_signs_in_once_and_says_nothing_of_unknown_addresses(app, db, inbox):
    verified_tenant(app, inbox)
    count = len(inbox.messages)
    client = app.test_client()
    unknown = post(client, f"{HOME}lien", email="inconnu@example.org")
    assert unknown.status_code == 200 and "Consultez votre messagerie" in main_text(unknown)
    assert len(inbox.messages) == count
    known = post(client, f"{HOME}lien", email="locataire@example.org")
    assert main_text(known) == main_text(unknown).replace("inconnu@", "locataire@")
    path = link(inbox.messages[-1][1])
    assert post(client, path).status_code == 302
    assert "Connecté en tant que" in main_text(client.get(HOME))
    assert post(app.test_client(), path, token_from=f"{HOME}connexion").status_code == 404


def test_signing_out_everywhere_ends_every_session(app, db, inbox):
    first = verified_tenant(app, inbox)
    second = app.test_client()
    post(second, f"{HOME}connexion", email="locataire@example.org", password=PASSWORD)
    assert "Connecté en tant que" in main_text(second.get(HOME))
    post(first, f"{HOME}deconnexion-partout", token_from=HOME)
    assert "Connecté en tant que" not in main_text(second.get(HOME))
    assert "Connecté en tant que" not in main_text(first.get(HOME))


def test_unverified_accounts_and_expired_links_are_deleted(app, db, inbox, monkeypatch):
    sign_up(app.test_client(), "jamais@example.org")
    verified_tenant(app, inbox, "oui@example.org")
    later = clock.now() + accounts.LINK_LIFETIMES["verify"] + dt.timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    with app.app_context():
        purge_accounts()
    assert [tenant.email for tenant in tenants(db)] == ["oui@example.org"]
    assert db.scalar(select(TenantLink.id)) is None


TWO_STEP = f"{HOME}mon-compte/double-authentification"


def secret_of(client) -> str:
    key = parse(client.get(TWO_STEP)).find(".//code[@class='secret-key']")
    return text_of(key).replace(" ", "")


def test_two_step_sign_in_is_optional_asked_after_the_password_and_the_link(app, db, inbox):
    client = verified_tenant(app, inbox)
    assert "facultative" in main_text(client.get(HOME))
    secret = secret_of(client)
    assert secret == secret_of(client)  # the same secret until a code proves it
    qr = client.get(f"{TWO_STEP}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert post(client, TWO_STEP, code="000000").status_code == 401
    assert tenants(db)[0].totp_secret == ""
    done = post(client, TWO_STEP, code=pyotp.TOTP(secret).now())
    spare = text_of(parse(done).find(".//*[@id='spare-code']"))
    assert done.status_code == 200 and re.fullmatch(r"([0-9A-F]{4}-){4}[0-9A-F]{4}", spare)
    tenant = tenants(db)[0]
    assert tenant.totp_secret == secret and spare not in tenant.totp_recovery_hash
    assert "Connecté en tant que" in main_text(client.get(HOME))  # this session stays signed in

    other = app.test_client()
    halfway = post(other, f"{HOME}connexion", email="locataire@example.org", password=PASSWORD)
    assert halfway.location.endswith("/echange-de-logement/connexion/code")
    assert "Connecté en tant que" not in main_text(other.get(HOME))
    assert other.get(f"{HOME}mon-annonce").location.endswith("/connexion")
    used = pyotp.TOTP(secret).now()  # already used to turn it on: refused
    assert post(other, f"{HOME}connexion/code", code=used).status_code == 401
    step = pyotp.TOTP(secret)
    later = step.at(clock.now() + dt.timedelta(seconds=step.interval))
    assert post(other, f"{HOME}connexion/code", code=later).status_code == 302
    assert "Connecté en tant que" in main_text(other.get(HOME))

    by_link = app.test_client()
    post(by_link, f"{HOME}lien", email="locataire@example.org")
    post(by_link, link(inbox.messages[-1][1]))
    assert "Connecté en tant que" not in main_text(by_link.get(HOME))  # the link is not enough
    assert post(by_link, f"{HOME}connexion/code", code=spare.lower().replace("-", " ")).status_code == 302
    assert "Connecté en tant que" in main_text(by_link.get(HOME))
    assert tenants(db)[0].totp_secret == ""  # the spare code turned it off


def test_wrong_codes_impose_delays_on_the_account(app, db, inbox):
    client = verified_tenant(app, inbox)
    secret = secret_of(client)
    post(client, TWO_STEP, code=pyotp.TOTP(secret).now())
    guesser = app.test_client()
    post(guesser, f"{HOME}connexion", email="locataire@example.org", password=PASSWORD)
    for _attempt in range(3):
        assert post(guesser, f"{HOME}connexion/code", code="123456").status_code == 401
    held = post(guesser, f"{HOME}connexion/code", code="654321")
    assert held.status_code == 302 and held.location.endswith("/echange-de-logement/connexion")
    assert "Trop de codes erronés" in main_text(guesser.get(held.location))
