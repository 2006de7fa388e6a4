"""Partner accounts on both backends: sign-in, lock-out, a new session at sign-in, two-step sign-in for
admins and reviewers, signing out everywhere, permissions on every route, CSRF, the first admin."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pyotp
import pytest
from click.testing import CliRunner
from flask_babel import force_locale
from sqlalchemy import select

from portal import cli, clock
from portal import db as db_module
from portal.partners import accounts, audit, throttle, tokens
from portal.partners.models import AuditEntry, Membership, Organisation, SignInThrottle
from portal.sessions import AuthSession
from tests.factories.partners import PARTNER_PASSWORD, create_organisation, create_partner
from tests.pagecheck import csrf_token, parse, text_of
from tests.support import DEMO_LOOKUPS, build_app, sign_in


@pytest.fixture
def people(db):
    town = create_organisation(db, "ville-a")
    other = create_organisation(db, "ville-b")
    epci = create_organisation(db, "metropole", kind="epci")
    return {
        "editor": create_partner(db, "editeur@ville-a.fr", {town: ["editor"]}),
        "admin": create_partner(db, "admin@ville-a.fr", {town: ["admin"]}),
        "other_admin": create_partner(db, "admin@ville-b.fr", {other: ["admin"]}),
        "epci_admin": create_partner(db, "admin@metropole.fr", {epci: ["admin", "reviewer"]}),
    }


@pytest.fixture
def client(db_app):
    return db_app.test_client()


def post_password(client, email: str, password: str = PARTNER_PASSWORD, next_path: str = ""):
    """The sign-in's first step; its answer."""
    url = "/partenaires/connexion" + (f"?next={next_path}" if next_path else "")
    token = csrf_token(client, "/partenaires/connexion")
    return client.post(url, data={"csrf_token": token, "email": email, "password": password})


def audit_actions(db) -> list[str]:
    return list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_an_editor_signs_in_and_sees_their_roles(client, people, db):
    response = post_password(client, "Editeur@Ville-A.fr ")
    assert response.status_code == 302 and response.headers["Location"] == "/partenaires/"
    page = text_of(parse(client.get("/partenaires/")).find(".//main"))
    assert ("Organisation ville-a" in page and "Éditeur" in page) or "Editor" in page
    assert "account.signed_in" in audit_actions(db)


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client, people):
    wrong = post_password(client, "editeur@ville-a.fr", "pas le bon mot de passe")
    unknown = post_password(client, "personne@ville-a.fr", "pas le bon mot de passe")
    assert wrong.status_code == unknown.status_code == 401
    notice = lambda response: text_of(parse(response).find(".//main")).split("Adresse électronique")[0]  # noqa: E731
    assert notice(wrong) == notice(unknown)
    assert client.get("/partenaires/").status_code == 302


def later(monkeypatch, **delta) -> None:
    moment = clock.now() + dt.timedelta(**delta)
    monkeypatch.setattr(clock, "now", lambda: moment)


def test_wrong_passwords_slow_down_the_next_attempts_instead_of_locking(client, people, db, monkeypatch):
    allowed = throttle.POLICIES["pair"].free
    for _ in range(allowed):
        assert post_password(client, "editeur@ville-a.fr", "mauvais mot de passe!").status_code == 401
    waiting = post_password(client, "editeur@ville-a.fr")
    assert waiting.status_code == 429, "during the wait, even the right password is not checked"
    assert "essayez de nouveau dans 2 secondes" in text_of(parse(waiting).find(".//main")).lower()
    assert "account.locked" in audit_actions(db)
    later(monkeypatch, seconds=3)
    assert post_password(client, "editeur@ville-a.fr").status_code == 302, "open again after a short wait"


def test_the_waits_double_and_stop_at_fifteen_minutes():
    policy = throttle.POLICIES["pair"]
    waits = [policy.wait_after(failures) for failures in range(policy.free + 12)]
    assert waits[: policy.free] == [0] * policy.free
    assert waits[policy.free : policy.free + 4] == [2, 4, 8, 16]
    assert max(waits) == 15 * 60 and waits == sorted(waits)


def test_an_unknown_address_is_slowed_down_the_same_way(client, people):
    """The waits do not tell which addresses have an account."""
    answers = {}
    for email in ("editeur@ville-a.fr", "personne@ville-a.fr"):
        for _ in range(throttle.POLICIES["pair"].free):
            post_password(client, email, "mauvais mot de passe!")
        answers[email] = post_password(client, email, "mauvais mot de passe!")
    known, unknown = answers.values()
    assert known.status_code == unknown.status_code == 429
    notice = lambda response: text_of(parse(response).find(".//main")).split("Adresse électronique")[0]  # noqa: E731
    assert notice(known) == notice(unknown)


def from_address(client, address: str):
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_failures_from_elsewhere_do_not_lock_out_the_persons_own_device(db_app, people, monkeypatch):
    """Someone guessing a partner's password from many addresses slows down new devices for that address,
    not the devices the partner signed in from before."""
    own = from_address(db_app.test_client(), "10.0.0.1")
    assert post_password(own, "editeur@ville-a.fr").status_code == 302
    own.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(own, "/partenaires/")})
    for index in range(throttle.POLICIES["email"].free + 2):
        attacker = from_address(db_app.test_client(), f"192.0.2.{index}")
        post_password(attacker, "editeur@ville-a.fr", "mauvais mot de passe!")
    new_device = from_address(db_app.test_client(), "10.0.0.2")
    assert post_password(new_device, "editeur@ville-a.fr").status_code == 429, "a new device waits"
    assert post_password(own, "editeur@ville-a.fr").status_code == 302, "the person's own browser does not"


def test_a_password_reset_by_email_unlocks_the_address(db_app, db, people):
    client = db_app.test_client()
    for _ in range(throttle.POLICIES["pair"].free + 3):
        post_password(client, "editeur@ville-a.fr", "mauvais mot de passe!")
    assert post_password(client, "editeur@ville-a.fr").status_code == 429
    code = tokens.make_code(db, "reset", people["editor"], clock.now())
    db.flush()
    token = csrf_token(client, "/partenaires/mot-de-passe")
    new_password = "un tout autre secret"
    saved = client.post(
        "/partenaires/mot-de-passe",
        data={"csrf_token": token, "code": code, "password": new_password, "confirm": new_password},
    )
    assert saved.status_code == 302
    assert post_password(client, "editeur@ville-a.fr", new_password).status_code == 302


def test_signing_in_starts_a_new_session_kept_on_the_server(client, people, db):
    with client.session_transaction() as session:
        session["left_over"] = "from before"
    post_password(client, "editeur@ville-a.fr")
    with client.session_transaction() as session:
        assert "left_over" not in session and set(session) <= {"sid", "_flashes", "csrf_token"}
        token = session["sid"]
    record = db.scalar(select(AuthSession).where(AuthSession.user_id == people["editor"].id))
    assert record is not None and record.kind == "partner" and token not in record.token_hash


def test_a_copy_of_the_cookie_is_worthless_once_signed_out(db_app, people):
    browser, thief = db_app.test_client(), db_app.test_client()
    post_password(browser, "editeur@ville-a.fr")
    cookie = browser.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    assert thief.get("/partenaires/").status_code == 200, "the copy works while the session lasts"
    browser.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(browser, "/partenaires/")})
    assert thief.get("/partenaires/").status_code == 302, "signing out ended it on the server"


def test_a_post_without_its_csrf_token_is_refused_and_signs_nobody_in(client, people):
    response = client.post(
        "/partenaires/connexion", data={"email": "editeur@ville-a.fr", "password": PARTNER_PASSWORD}
    )
    assert response.status_code == 400
    assert client.get("/partenaires/").status_code == 302


def test_an_admin_activates_then_uses_two_step_sign_in(client, people, db, enter_code):
    assert post_password(client, "admin@ville-a.fr").headers["Location"] == "/partenaires/connexion/code"
    assert client.get("/partenaires/").headers["Location"] == "/partenaires/connexion/code", (
        "not before the code"
    )
    setup = client.get("/partenaires/connexion/code")
    assert "Key" in setup.get_data(as_text=True) or "Clé" in setup.get_data(as_text=True)
    assert client.get("/partenaires/connexion/code/qr.svg").mimetype == "image/svg+xml"
    with client.session_transaction() as session:
        assert set(session) <= {"sid", "_flashes", "csrf_token"}, "the secret is not in the cookie"
    secret = db.scalar(
        select(AuthSession.pending_totp_secret).where(AuthSession.user_id == people["admin"].id)
    )
    assert enter_code(client, "000000").status_code == 401
    code = pyotp.TOTP(secret).now()
    assert enter_code(client, code).status_code == 302
    assert client.get("/partenaires/").status_code == 200
    db.expire_all()
    assert people["admin"].totp_secret == secret
    assert "account.second_factor_enabled" in audit_actions(db)
    # Next time: the code is asked, the same code cannot be used twice.
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    post_password(client, "admin@ville-a.fr")
    assert enter_code(client, code).status_code == 401, "a code is accepted once"
    assert client.get("/partenaires/").status_code == 302


def with_secret(db, user) -> str:
    user.totp_secret = pyotp.random_base32()
    db.flush()
    return user.totp_secret


def test_a_right_password_does_not_reset_the_count_of_wrong_codes(client, people, db, enter_code):
    """The attack the lock-out missed: "password, 4 wrong codes", again and again."""
    secret = with_secret(db, people["admin"])
    for _ in range(accounts.CODE_POLICY.free - 1):
        post_password(client, "admin@ville-a.fr")
        assert enter_code(client, "123456").status_code == 401
        client.post(
            "/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/connexion/code")}
        )
    post_password(client, "admin@ville-a.fr")
    assert enter_code(client, "123456").headers["Location"] == "/partenaires/connexion"
    db.expire_all()
    assert people["admin"].failed_codes == accounts.CODE_POLICY.free
    assert "account.codes_blocked" in audit_actions(db)
    post_password(client, "admin@ville-a.fr")
    blocked = enter_code(client, pyotp.TOTP(secret).now())
    assert blocked.headers["Location"] == "/partenaires/connexion", "not even the right code while blocked"
    assert client.get("/partenaires/").status_code == 302


def test_a_cookie_taken_before_the_block_cannot_complete_the_code_step(
    db_app, people, db, monkeypatch, enter_code
):
    secret = with_secret(db, people["admin"])
    attacker, copy = db_app.test_client(), db_app.test_client()
    post_password(attacker, "admin@ville-a.fr")
    copy.set_cookie("session", attacker.get_cookie("session").value)
    for _ in range(accounts.CODE_POLICY.free):
        enter_code(attacker, "123456")
        post_password(attacker, "admin@ville-a.fr")
    replay = enter_code(copy, pyotp.TOTP(secret).now())
    assert replay.status_code == 302 and replay.headers["Location"].startswith("/partenaires/connexion")
    assert copy.get("/partenaires/").status_code == 302
    later(monkeypatch, minutes=16)
    post_password(copy, "admin@ville-a.fr")
    assert enter_code(copy, pyotp.TOTP(secret).at(clock.now())).headers["Location"] == "/partenaires/"
    db.expire_all()
    assert people["admin"].failed_codes == 0, "only a right code resets the count"


def test_signing_out_everywhere_ends_the_other_sessions(db_app, people):
    first, second = db_app.test_client(), db_app.test_client()
    for browser in (first, second):
        post_password(browser, "editeur@ville-a.fr")
        assert browser.get("/partenaires/").status_code == 200
    first.post("/partenaires/deconnexion-partout", data={"csrf_token": csrf_token(first, "/partenaires/")})
    assert second.get("/partenaires/").status_code == 302
    assert first.get("/partenaires/").status_code == 302


def test_a_partner_cannot_see_another_organisations_members(client, people, db, enter_code):
    post_password(client, "editeur@ville-a.fr")
    assert client.get("/partenaires/organisations/ville-a/membres").status_code == 403, (
        "editors are not admins"
    )
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    people["other_admin"].totp_secret = pyotp.random_base32()
    db.flush()
    post_password(client, "admin@ville-b.fr")
    enter_code(client, pyotp.TOTP(people["other_admin"].totp_secret).now())
    assert client.get("/partenaires/organisations/ville-b/membres").status_code == 200
    assert client.get("/partenaires/organisations/ville-a/membres").status_code == 403
    assert client.get("/partenaires/organisations/nulle-part/membres").status_code == 404


def test_the_epci_admin_sees_every_organisations_members(client, people, db, enter_code):
    people["epci_admin"].totp_secret = pyotp.random_base32()
    db.flush()
    post_password(client, "admin@metropole.fr")
    enter_code(client, pyotp.TOTP(people["epci_admin"].totp_secret).now())
    page = client.get("/partenaires/organisations/ville-a/membres")
    assert page.status_code == 200 and "editeur@ville-a.fr" in page.get_data(as_text=True)


def test_the_next_page_after_signing_in_stays_in_the_workspace(client, people):
    assert (
        post_password(client, "editeur@ville-a.fr", next_path="//evil.example/x").headers["Location"]
        == "/partenaires/"
    )
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    target = "/partenaires/organisations/ville-a/membres"
    assert post_password(client, "editeur@ville-a.fr", next_path=target).headers["Location"] == target


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("court", "at least 12 characters"),
        ("motdepasse2026!", "too easy to guess"),
        ("Azertyuiop123", "too easy to guess"),
        ("aaaaaaaaaaaaaa", "too easy to guess"),
        ("123456789012", "sequences"),
        ("abcdefghijkl", "sequences"),
        ("P@ssw0rd2026!!", "too easy to guess"),
        ("motdepassemotdepasse", "repeated"),
        ("camille.dupont-secret", "your name or your address"),
    ],
)
def test_weak_passwords_are_refused(app, password, reason):
    with app.test_request_context(), force_locale("en"):
        problems = accounts.password_problems(password, "camille.dupont@ville-a.fr", "Camille Dupont")
        good = accounts.password_problems(
            "trois mots bien choisis", "camille.dupont@ville-a.fr", "Camille Dupont"
        )
    assert any(reason in problem for problem in problems), problems
    assert good == []


def test_the_first_admin_is_made_from_the_command_line(tmp_path):
    environ = {"PORTAL_INSTANCE_DIR": str(tmp_path), "PORTAL_ENV": "testing", "PORTAL_SECRET_KEY": "k" * 40}
    runner = CliRunner()
    assert runner.invoke(cli.main, ["db", "upgrade"], env=environ).exit_code == 0
    for command in (["territory", "load"], ["desks", "load"]):  # the desks file brings the organisations
        assert runner.invoke(cli.main, command, env=environ).exit_code == 0
    base = ["users", "create-admin", "--email", "Chef@Exemple.fr", "--name", "Chef", "--organisation"]
    weak = runner.invoke(cli.main, [*base, "le-mans-metropole", "--password", "azerty"], env=environ)
    assert weak.exit_code == 2 and "12" in weak.output
    unknown = runner.invoke(cli.main, [*base, "nulle-part", "--password", PARTNER_PASSWORD], env=environ)
    assert unknown.exit_code == 2 and "no organisation 'nulle-part'" in unknown.output
    made = runner.invoke(
        cli.main,
        [*base, "le-mans-metropole", "--reviewer"],
        input=f"{PARTNER_PASSWORD}\n{PARTNER_PASSWORD}\n",
        env=environ,
    )
    assert made.exit_code == 0, made.output
    assert "chef@exemple.fr: admin, reviewer" in made.output
    again = runner.invoke(cli.main, [*base, "le-mans-metropole", "--password", PARTNER_PASSWORD], env=environ)
    assert again.exit_code == 2 and "already has an account" in again.output


def signed_in_with_code(client, db, user) -> None:
    user.totp_secret = pyotp.random_base32()
    db.flush()
    sign_in(client, user)


def test_the_epci_reads_and_exports_the_audit_log_with_filters(client, people, db):
    town = people["admin"].memberships[0].organisation
    audit.record(
        db, people["admin"], town.id, "member.role_given", '=HYPERLINK("x")', after={"role": "editor"}
    )
    audit.record(db, people["editor"], None, "account.signed_in", "editeur@ville-a.fr")
    db.flush()
    signed_in_with_code(client, db, people["epci_admin"])
    page = client.get("/partenaires/journal")
    assert page.status_code == 200
    body = text_of(parse(page).find(".//main"))
    assert "member.role_given" in body and "account.signed_in" in body
    assert "Rôle donné" in body and "Connexion" in body, "each action said in words"
    filtered = parse(client.get("/partenaires/journal?organisation=ville-a"))
    assert {code.text for code in filtered.iter("code")} == {"member.role_given"}
    assert client.get("/partenaires/journal?since=hier").status_code == 400, "a wrong date is explained"
    export = client.get("/partenaires/journal.csv?action=member.role_given")
    assert export.mimetype == "text/csv" and "no-store" in export.headers["Cache-Control"]
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["at_utc", "user", "organisation", "action"]
    assert len(rows) == 2 and rows[1][1] == "admin@ville-a.fr" and rows[1][3] == "member.role_given"
    assert rows[1][4].startswith("'="), "a formula is not run by the spreadsheet"
    assert json.loads(rows[1][6]) == {"role": "editor"}


@pytest.mark.parametrize("query", ["endpoint=x", "_external=1", "action=x&_anchor=y", "since=2026-01-01"])
def test_the_audit_log_export_link_carries_only_its_filters(client, people, db, query):
    signed_in_with_code(client, db, people["epci_admin"])
    page = client.get(f"/partenaires/journal?{query}")
    assert page.status_code in (200, 400), "never a 500"
    links = [a.get("href") for a in parse(page).iter("a") if "journal.csv" in (a.get("href") or "")]
    assert links and all("endpoint" not in link and "_external" not in link for link in links)


def test_only_the_epci_reads_the_audit_log(client, people, db):
    signed_in_with_code(client, db, people["admin"])
    assert client.get("/partenaires/journal").status_code == 403, "a commune's admin does not"
    assert client.get("/partenaires/journal.csv").status_code == 403


def test_a_desk_agent_looks_up_a_demand_with_the_applicant_and_it_is_audited(client, people, db):
    agent = create_partner(
        db, "accueil@ville-a.fr", {people["admin"].memberships[0].organisation: ["desk_agent"]}
    )
    post_password(client, agent.email)
    page = client.get("/partenaires/accueil")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    number, birth = DEMO_LOOKUPS[0]
    token = csrf_token(client, "/partenaires/accueil")
    found = client.post(
        "/partenaires/accueil",
        data={"csrf_token": token, "number": number, "birth_date": birth.strftime("%d/%m/%Y")},
    )
    assert found.status_code == 200
    assert parse(found).find(".//section[@class='desk-situation']") is not None
    assert number in text_of(parse(found).find(".//main"))
    wrong = client.post(
        "/partenaires/accueil", data={"csrf_token": token, "number": number, "birth_date": "01/01/1901"}
    )
    assert number not in text_of(parse(wrong).find(".//main")).replace(number, "", 1), (
        "only the form keeps it"
    )
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "demand.looked_up_at_desk")).all()
    assert [(entry.target, entry.after) for entry in entries] == [
        (number, {"found": True}),
        (number, {"found": False}),
    ]
    assert all(entry.user_id == agent.id for entry in entries)
    assert client.get("/partenaires/").status_code == 200, "the partner stays signed in"
    assert db.scalar(select(AuthSession).where(AuthSession.kind == "lookup")) is None, (
        "nothing of the demand stays in a session"
    )


def test_desk_tools_are_for_desk_agents(client, people):
    post_password(client, "editeur@ville-a.fr")
    assert client.get("/partenaires/accueil").status_code == 403


def test_a_partner_session_ends_after_thirty_idle_minutes_or_twelve_hours(client, people, monkeypatch):
    post_password(client, "editeur@ville-a.fr")
    started = clock.now()
    monkeypatch.setattr(clock, "now", lambda: started + dt.timedelta(minutes=29))
    assert client.get("/partenaires/").status_code == 200, "still there after 29 minutes"
    monkeypatch.setattr(clock, "now", lambda: started + dt.timedelta(minutes=29 + 31))
    assert client.get("/partenaires/").headers["Location"].startswith("/partenaires/connexion")
    post_password(client, "editeur@ville-a.fr")  # signed in at the patched time; active every 20 minutes…
    now = clock.now()
    for minutes in range(20, 12 * 60, 20):
        monkeypatch.setattr(clock, "now", lambda minutes=minutes: now + dt.timedelta(minutes=minutes))
        assert client.get("/partenaires/").status_code == 200
    monkeypatch.setattr(clock, "now", lambda: now + dt.timedelta(hours=12, minutes=1))
    assert client.get("/partenaires/").status_code == 302, "…but not for more than 12 hours"


def test_workspace_pages_are_never_stored_by_a_browser_or_a_proxy(client, people):
    assert client.get("/partenaires/connexion").headers["Cache-Control"] == "no-store"
    post_password(client, "editeur@ville-a.fr")
    assert client.get("/partenaires/").headers["Cache-Control"] == "no-store"
    assert client.get("/fr/").headers.get("Cache-Control") != "no-store", "public pages may be kept"


def test_the_authority_adds_an_organisation_and_no_one_else_can(client, people, db, enter_code):
    post_password(client, "admin@ville-a.fr")
    people["admin"].totp_secret = pyotp.random_base32()
    db.flush()
    enter_code(client, pyotp.TOTP(people["admin"].totp_secret).now())
    token = csrf_token(client, "/partenaires/")
    assert client.get("/partenaires/organisations").status_code == 403
    refused = client.post(
        "/partenaires/organisations", data={"csrf_token": token, "name": "Bailleur X", "kind": "landlord"}
    )
    assert refused.status_code == 403
    assert db.scalar(select(Organisation).where(Organisation.slug == "bailleur-x")) is None

    epci = client.application.test_client()
    post_password(epci, "admin@metropole.fr")
    people["epci_admin"].totp_secret = pyotp.random_base32()
    db.flush()
    enter_code(epci, pyotp.TOTP(people["epci_admin"].totp_secret).now())
    listing = epci.get("/partenaires/organisations")
    assert listing.status_code == 200 and "ville-b" in listing.get_data(as_text=True)
    token = csrf_token(epci, "/partenaires/organisations")
    bad = epci.post(
        "/partenaires/organisations", data={"csrf_token": token, "name": "Bailleur X", "kind": "castle"}
    )
    assert (
        bad.status_code == 400
        and db.scalar(select(Organisation).where(Organisation.slug == "bailleur-x")) is None
    )
    assert parse(bad).find(".//input[@name='name']").get("value") == "Bailleur X", "what was typed stays"
    added = epci.post(
        "/partenaires/organisations", data={"csrf_token": token, "name": "Bailleur X", "kind": "landlord"}
    )
    assert (
        added.status_code == 302
        and added.headers["Location"] == "/partenaires/organisations/bailleur-x/membres"
    )
    organisation = db.scalar(select(Organisation).where(Organisation.slug == "bailleur-x"))
    assert organisation.kind == "landlord"
    twice = epci.post(
        "/partenaires/organisations", data={"csrf_token": token, "name": "Bailleur  X", "kind": "other"}
    )
    assert twice.status_code == 400
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "organisation.created"))
    assert entry.organisation_id == organisation.id and entry.user_id == people["epci_admin"].id


def test_a_role_that_needs_a_code_given_during_a_session_asks_for_the_code(client, people, db):
    """An editor signs in without a code; made an administrator meanwhile, the next page asks for one."""
    assert post_password(client, "editeur@ville-a.fr").status_code == 302
    assert client.get("/partenaires/").status_code == 200
    town = people["editor"].memberships[0].organisation_id
    db.add(Membership(user_id=people["editor"].id, organisation_id=town, role="admin"))
    db.flush()
    assert client.get("/partenaires/").headers["Location"] == "/partenaires/connexion/code"


def test_a_long_next_page_is_ignored_rather_than_breaking_the_sign_in(client, people):
    target = "/partenaires/organisations/" + "x" * 400
    assert (
        post_password(client, "editeur@ville-a.fr", next_path=target).headers["Location"] == "/partenaires/"
    )


def test_simultaneous_wrong_passwords_are_all_counted(tmp_path, postgresql_url):
    """Concurrent attempts under one key are counted one after the other (no lost update, no 500 when
    two first failures create the counter at once): on PostgreSQL, with real commits."""
    app = build_app(tmp_path, None, database_url=postgresql_url)
    email = f"personne-{uuid.uuid4().hex[:8]}@exemple.fr"

    def attempt(index: int) -> int:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{index}"
        return post_password(client, email, "mauvais mot de passe!").status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(attempt, range(6)))
    with app.app_context():
        secret = app.config["PORTAL_SETTINGS"].secret_key
        key = throttle.keys_for(secret, email, "198.51.100.0", known_device=False)["email"]
        failures = db_module.session().get(SignInThrottle, key).failures
    app.extensions["portal.db"].engine.dispose()
    assert set(statuses) == {401} and failures == 6


def test_a_code_works_once_even_when_sent_twice_at_once(db, people):
    code = tokens.make_code(db, "reset", people["editor"], clock.now())
    link = tokens.read_code(db, "reset", code, clock.now())
    assert tokens.use(db, link, clock.now()) is True
    assert tokens.use(db, link, clock.now()) is False
    assert tokens.read_code(db, "reset", code, clock.now()) is None


def test_asking_again_does_not_kill_the_last_codes(db, people):
    codes = [tokens.make_code(db, "reset", people["editor"], clock.now()) for _ in range(4)]
    working = [tokens.read_code(db, "reset", code, clock.now()) is not None for code in codes]
    assert working == [False, True, True, True]
