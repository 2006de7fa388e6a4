"""The secure look-up and the applicant's situation: right, wrong, unknown, rate-limited, expired."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher, Type, extract_parameters
from sqlalchemy import select

from portal import clock
from portal.demands import services, views
from portal.demands.models import Demand
from tests.pagecheck import csrf_token, parse, text_of
from tests.support import DEMO_LOOKUPS, PRODUCTION_LOOKUP_PARAMETERS


def token(client, url="/fr/ma-demande") -> str:
    return csrf_token(client, url)


def look_up(client, number: str, birth: str):
    return client.post(
        "/fr/ma-demande", data={"csrf_token": token(client), "number": number, "birth_date": birth}
    )


@pytest.fixture
def demo():
    number, birth_date = DEMO_LOOKUPS[0]
    return number, birth_date.strftime("%d/%m/%Y")


def test_the_right_number_and_date_open_the_situation(client, demo):
    number, birth = demo
    spaced = f"{number[:3]} {number[3:5]} {number[5:7]} {number[7:13]} {number[13:]}".lower()
    response = look_up(client, spaced, birth)
    assert response.status_code == 302 and response.headers["Location"] == "/fr/ma-demande/situation"
    page = client.get("/fr/ma-demande/situation")
    assert page.headers["Cache-Control"] == "no-store"
    main = text_of(parse(page).find(".//main"))
    assert number in main
    assert "demandes sont devant la vôtre" in main or "demande est devant la vôtre" in main or "ahead" in main


def test_a_wrong_date_and_an_unknown_number_get_the_same_answer(client, demo):
    number, _ = demo
    wrong_date = parse(look_up(client, number, "01/01/1990"))
    unknown = parse(look_up(client, "072" + "9" * 10 + "G0101", "01/01/1990"))
    message = [text_of(page.find(".//p[@id='number-error']")) for page in (wrong_date, unknown)]
    assert message[0] == message[1] and message[0]
    assert client.get("/fr/ma-demande/situation").status_code == 302


def test_the_form_explains_malformed_input_and_keeps_it(client):
    page = parse(look_up(client, "1234", "31/02/1990"))
    assert [a.get("href") for a in page.findall(".//div[@id='error-summary']//a")] == [
        "#number",
        "#birth_date",
    ]
    assert page.find(".//input[@id='birth_date']").get("value") == "31/02/1990"


def test_the_situation_needs_a_look_up_and_ends_after_fifteen_minutes(client, demo, monkeypatch):
    assert client.get("/fr/ma-demande/situation").headers["Location"] == "/fr/ma-demande"
    look_up(client, *demo)
    assert client.get("/fr/ma-demande/situation").status_code == 200
    moment = clock.now() + views.SESSION + dt.timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: moment)
    response = client.get("/fr/ma-demande/situation")
    assert response.headers["Location"] == "/fr/ma-demande"
    assert "15 minutes" in client.get("/fr/ma-demande").get_data(as_text=True)


def test_leaving_closes_the_situation_for_every_copy_of_the_cookie(app, demo):
    client, copy = app.test_client(), app.test_client()
    look_up(client, *demo)
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/fr/ma-demande/situation").status_code == 200
    leave = token(client, "/fr/ma-demande/situation")
    client.post("/fr/ma-demande/deconnexion", data={"csrf_token": leave})
    assert client.get("/fr/ma-demande/situation").status_code == 302
    assert copy.get("/fr/ma-demande/situation").status_code == 302, "ended on the server, not only here"


def test_the_cookie_holds_only_a_session_id(client, demo):
    look_up(client, *demo)
    with client.session_transaction() as session:
        assert set(session) <= {"sid", "csrf_token", "_flashes"}


def test_look_ups_are_limited_per_address(client):
    statuses = [look_up(client, "072" + "9" * 10 + "G0101", "01/01/1990").status_code for _ in range(6)]
    assert statuses[:5] == [400] * 5 and statuses[5] == 429


def test_look_ups_are_limited_per_number_whatever_the_address_then_point_to_a_desk(app, demo):
    number, _ = demo
    statuses = []
    for attempt in range(11):
        client = app.test_client()
        address = {"REMOTE_ADDR": f"10.0.0.{attempt + 1}"}
        page = parse(client.get("/fr/ma-demande", environ_base=address))
        data = {
            "csrf_token": page.find(".//input[@name='csrf_token']").get("value"),
            "number": number,
            "birth_date": "01/01/1990",
        }
        response = client.post("/fr/ma-demande", data=data, environ_base=address)
        statuses.append(response.status_code)
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
    message = text_of(parse(response).find(".//p[@id='number-error']"))
    assert "guichet" in message, "the applicant is told where to go"


def test_the_number_limit_counts_the_number_as_validated_whatever_its_spelling(app, demo):
    number, _ = demo
    spellings = [number, number.lower(), f"{number[:3]} {number[3:]}", f"{number[:7]}-{number[7:]}"]
    statuses = []
    for attempt in range(11):
        client = app.test_client()
        address = {"REMOTE_ADDR": f"10.1.0.{attempt + 1}"}
        data = {
            "csrf_token": csrf_token(client, "/fr/ma-demande", environ_base=address),
            "number": spellings[attempt % len(spellings)],
            "birth_date": "01/01/1990",
        }
        statuses.append(client.post("/fr/ma-demande", data=data, environ_base=address).status_code)
    assert statuses[10] == 429


def test_a_json_body_is_refused_and_not_counted_as_a_look_up(client, demo):
    number, birth = demo
    csrf = token(client)
    response = client.post(
        "/fr/ma-demande",
        json={"number": number, "birth_date": birth},
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 415
    assert client.get("/fr/ma-demande/situation").status_code == 302, "nothing was looked up"


def test_every_look_up_hash_uses_the_same_argon2_parameters(db):
    """A known number must cost the same time as an unknown one: the dummy hash, the stored hashes and
    the import's check all use the look-up's parameters."""
    expected = services.LOOKUP_PARAMETERS
    assert extract_parameters(services.DUMMY_HASH) == expected
    stored = db.scalars(select(Demand.lookup_hash).limit(50)).all()
    assert stored and all(extract_parameters(value) == expected for value in stored)
    other = PasswordHasher(time_cost=expected.time_cost + 1, memory_cost=expected.memory_cost, parallelism=1)
    assert services.is_lookup_hash(services.HASHER.hash("x"))
    assert not services.is_lookup_hash(other.hash("x")), "the import refuses other parameters"


def test_the_production_parameters_are_owasp_argon2id():
    """What production uses (the tests run with the cheapest parameters, for every hash alike)."""
    production = PRODUCTION_LOOKUP_PARAMETERS
    assert (production.type, production.time_cost, production.memory_cost, production.parallelism) == (
        Type.ID,
        2,
        19456,
        1,
    )


def test_the_birth_date_is_never_stored(db, demo):
    number, birth = demo
    demand = db.scalar(select(Demand).where(Demand.number == number))
    assert demand.lookup_hash.startswith("$argon2id$")
    day, month, year = birth.split("/")
    for value in vars(demand).values():
        assert f"{year}-{month}-{day}" not in str(value) and birth not in str(value)


def test_position_counts_higher_scores_then_older_filings(db, demo):
    number, _ = demo
    demand = db.scalar(select(Demand).where(Demand.number == number))
    similar = db.scalars(
        select(Demand).where(
            Demand.status == "active",
            Demand.mutation == demand.mutation,
            Demand.dwelling_type == demand.dwelling_type,
            Demand.first_commune_insee == demand.first_commune_insee,
        )
    ).all()
    expected = sum(
        1
        for other in similar
        if (other.score_total, -other.filed_on.toordinal(), -other.id)
        > (demand.score_total, -demand.filed_on.toordinal(), -demand.id)
    )
    position = services.queue_position(db, demand)
    assert (position.ahead, position.total) == (expected, len(similar))
    assert sum(count for _, count in position.histogram) == len(similar)
    assert position.bucket in {low for low, _ in position.histogram}
