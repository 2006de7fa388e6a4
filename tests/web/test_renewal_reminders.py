"""E-mail reminders of the renewal deadline: double opt-in, the same answer whatever the address, the
reminders a month and a week before (received by a real SMTP server), one-click stop, deletion; on both
backends."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from portal import clock
from portal.demands import services
from portal.demands.jobs import send_due_reminders
from portal.demands.models import RenewalReminder
from tests.factories.demands import create_demand
from tests.pagecheck import csrf_token, parse, text_of

PARIS = ZoneInfo("Europe/Paris")
NUMBER = "0720324000888G0101"
DEADLINE = dt.date(2027, 3, 15)


@pytest.fixture
def app(mail_app):
    return mail_app


class Clock:
    def __init__(self, monkeypatch):
        self.moment = dt.datetime(2026, 12, 7, 10, 0, tzinfo=PARIS)
        monkeypatch.setattr(clock, "now", lambda: self.moment)

    def set(self, day: dt.date, hour: int = 10) -> None:
        self.moment = dt.datetime.combine(day, dt.time(hour), PARIS)


@pytest.fixture
def now(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def demand(db, now):
    made = create_demand(db, dt.date(2024, 3, 15), number=NUMBER)
    made.expires_on = DEADLINE
    made.lookup_hash = services.hash_lookup(NUMBER, dt.date(1985, 7, 14))
    db.commit()
    return made


def looked_up(app):
    client = app.test_client()
    token = csrf_token(client, "/fr/ma-demande")
    client.post("/fr/ma-demande", data={"csrf_token": token, "number": NUMBER, "birth_date": "14/07/1985"})
    return client


def ask(client, email: str):
    token = csrf_token(client, "/fr/ma-demande/situation")
    return client.post("/fr/ma-demande/rappel", data={"csrf_token": token, "email": email})


def link(message: str) -> str:
    return re.search(r"http://[^\s]+", message)[0].removeprefix("http://127.0.0.1:5000")


def reminders(db) -> list[RenewalReminder]:
    db.expire_all()
    return list(db.scalars(select(RenewalReminder)))


def test_asking_stores_only_the_address_a_keyed_hash_and_the_date_and_sends_a_confirmation(
    app, db, inbox, demand
):
    client = looked_up(app)
    response = ask(client, "  Someone@Example.org ")
    assert response.status_code == 302 and response.headers["Location"] == "/fr/ma-demande/situation"
    assert "un courriel est en route" in text_of(
        parse(client.get("/fr/ma-demande/situation")).find(".//main")
    )
    [stored] = reminders(db)
    assert (stored.email, stored.deadline, stored.confirmed_at) == ("someone@example.org", DEADLINE, None)
    assert NUMBER not in stored.number_key and len(stored.number_key) == 64
    assert not any(NUMBER in str(value) for value in vars(stored).values())
    [(recipients, body)] = inbox.messages
    assert recipients == ["someone@example.org"] and "15 mars 2027" in body
    assert link(body).startswith("/fr/rappel/")


def test_the_answer_is_the_same_for_a_known_and_a_new_address(app, db, inbox, demand):
    client = looked_up(app)
    first = ask(client, "a@example.org")
    again = ask(client, "a@example.org")
    other = ask(client, "b@example.org")
    assert {(r.status_code, r.headers["Location"]) for r in (first, again, other)} == {
        (302, "/fr/ma-demande/situation")
    }
    assert sorted(r.email for r in reminders(db)) == ["a@example.org", "b@example.org"]
    assert len(inbox.messages) == 3  # each asks again for a confirmation; the first link no longer works
    assert app.test_client().get(link(inbox.messages[0][1])).status_code == 404
    assert app.test_client().get(link(inbox.messages[1][1])).status_code == 200


def test_a_bad_address_is_explained_kept_and_stores_nothing(app, db, inbox, demand):
    client = looked_up(app)
    response = ask(client, "not-an-address")
    assert response.status_code == 400
    page = parse(response)
    assert page.find(".//input[@name='email']").get("value") == "not-an-address"
    assert page.find(".//div[@id='error-summary']") is not None
    assert reminders(db) == [] and inbox.messages == []


def test_asking_needs_the_look_up_and_its_form_token(app, db, demand):
    assert app.test_client().post("/fr/ma-demande/rappel", data={"email": "a@example.org"}).status_code in (
        302,
        400,
    )
    client = looked_up(app)
    assert client.post("/fr/ma-demande/rappel", data={"email": "a@example.org"}).status_code == 400
    assert reminders(db) == []


def test_a_demand_gets_three_requests_a_day(app, db, inbox, demand):
    client = looked_up(app)
    statuses = [ask(client, f"p{index}@example.org").status_code for index in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_the_link_opens_a_page_and_only_its_button_confirms(app, db, inbox, demand, now):
    client = looked_up(app)
    ask(client, "a@example.org")
    path = link(inbox.messages[0][1])
    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert reminders(db)[0].confirmed_at is None  # a mail scanner opening the link switches nothing on
    token = parse(page).find(".//input[@name='csrf_token']").get("value")
    assert visitor.post(path).status_code == 400  # no form token
    confirmed = visitor.post(path, data={"csrf_token": token})
    assert "Le rappel est activé" in text_of(parse(confirmed).find(".//main"))
    assert reminders(db)[0].confirmed_at is not None


def test_an_unconfirmed_request_is_deleted_after_two_days(app, db, inbox, demand, now):
    client = looked_up(app)
    ask(client, "a@example.org")
    path = link(inbox.messages[0][1])
    now.set(dt.date(2026, 12, 9), hour=11)
    assert app.test_client().get(path).status_code == 404
    with app.app_context():
        assert send_due_reminders() == (0, 1)
    assert reminders(db) == []


def confirmed(app, inbox, email="a@example.org"):
    client = looked_up(app)
    ask(client, email)
    path = link(inbox.messages[-1][1])
    visitor = app.test_client()
    token = parse(visitor.get(path)).find(".//input[@name='csrf_token']").get("value")
    visitor.post(path, data={"csrf_token": token})


def test_the_reminders_go_a_month_and_a_week_before_then_the_address_is_deleted(app, db, inbox, demand, now):
    confirmed(app, inbox)
    with app.app_context():
        now.set(dt.date(2027, 2, 14))
        assert send_due_reminders() == (0, 0)
        now.set(dt.date(2027, 2, 15))
        assert send_due_reminders() == (1, 0)
        assert send_due_reminders() == (0, 0)  # once
        month = inbox.received[-1]
        assert "15 mars 2027" in month["Subject"] and "dans un mois" in month.get_content()
        stop_url = month["List-Unsubscribe"].strip("<>")
        assert stop_url.startswith("http://127.0.0.1:5000/fr/rappel/") and stop_url.endswith(
            "/arret-immediat"
        )
        assert month["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        now.set(dt.date(2027, 3, 8))
        assert send_due_reminders() == (1, 0)
        assert "moins d'une semaine" in inbox.received[-1].get_content()
        assert NUMBER not in inbox.received[-1].get_content()
        now.set(dt.date(2027, 3, 15))
        assert send_due_reminders() == (0, 0) and len(reminders(db)) == 1
        now.set(dt.date(2027, 3, 16))
        assert send_due_reminders() == (0, 1)
    assert reminders(db) == []


def test_a_reminder_confirmed_within_the_last_week_gets_only_the_week_one(app, db, inbox, demand, now):
    now.set(dt.date(2027, 3, 10))
    confirmed(app, inbox)
    with app.app_context():
        assert send_due_reminders() == (1, 0)
        assert send_due_reminders() == (0, 0)
    assert "moins d'une semaine" in inbox.received[-1].get_content()


def test_one_click_stops_and_deletes(app, db, inbox, demand, now):
    confirmed(app, inbox)
    now.set(dt.date(2027, 2, 15))
    with app.app_context():
        send_due_reminders()
    stop_url = inbox.received[-1]["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:5000")
    mail_client = app.test_client()
    assert mail_client.post(stop_url).status_code == 400  # not the RFC 8058 body
    assert len(reminders(db)) == 1
    assert mail_client.post(stop_url, data={"List-Unsubscribe": "One-Click"}).status_code == 204
    assert reminders(db) == []


def test_the_stop_link_of_an_email_opens_a_page_whose_button_deletes(app, db, inbox, demand, now):
    confirmed(app, inbox)
    now.set(dt.date(2027, 2, 15))
    with app.app_context():
        send_due_reminders()
    path = link(inbox.received[-1].get_content().split("(votre adresse est supprimée)")[1])
    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200 and len(reminders(db)) == 1
    token = parse(page).find(".//input[@name='csrf_token']").get("value")
    stopped = visitor.post(path, data={"csrf_token": token})
    assert "Les rappels sont arrêtés" in text_of(parse(stopped).find(".//main"))
    assert db.scalar(select(func.count()).select_from(RenewalReminder)) == 0
    assert visitor.get(path).status_code == 404


def test_a_lapsed_demand_offers_no_reminder(app, db, inbox, demand):
    demand.expires_on = dt.date(2026, 12, 1)
    db.commit()
    client = looked_up(app)
    page = parse(client.get("/fr/ma-demande/situation"))
    assert page.find(".//input[@name='email']") is None
    assert page.find(".//a[@href='/fr/pieces-a-fournir']") is not None
    assert ask_without_page(client, "a@example.org").status_code == 400
    assert reminders(db) == [] and inbox.messages == []


def ask_without_page(client, email: str):
    """The form posted anyway (the page no longer shows it): its token is the session's."""
    token = csrf_token(client, "/fr/ma-demande")
    return client.post("/fr/ma-demande/rappel", data={"csrf_token": token, "email": email})
