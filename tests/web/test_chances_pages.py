"""The outcome curve and the what-if on the situation page, the statement and the public page of a
chosen profile; the calendar file; the documents checklist. On both backends, in French and Arabic."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
from pypdf import PdfReader
from sqlalchemy import delete

from portal import clock
from portal.demands import chances, services
from portal.demands.models import Allocation, Demand, DemandEvent, DemandOutcome
from tests.factories.demands import COULAINES, LE_MANS, create_demand, le_mans_t3
from tests.pagecheck import csrf_token, parse, text_of

TODAY = dt.date(2026, 12, 7)
BIRTH = "14/07/1985"
PARIS = ZoneInfo("Europe/Paris")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def frozen(monkeypatch):
    moment = dt.datetime(2026, 12, 7, 10, 30, tzinfo=PARIS)
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment


@pytest.fixture
def mine(db, db_app, frozen):
    """The hand-counted cohort of tests/factories (22 demands: 27 % housed within 6 months, 41 % within
    12, 45 % within 24 and 36), and the applicant's demand: a T3 in Le Mans, score 40, 2 demands ahead
    when Coulaines is added, its deadline on 15 March 2027."""
    for table in (DemandEvent, Allocation, Demand, DemandOutcome):
        db.execute(delete(table))
    le_mans_t3(db)
    for score, commune in ((50, LE_MANS), (30, LE_MANS), (45, COULAINES)):
        other = create_demand(db, dt.date(2025, 1, 1), commune, "T3")
        other.score_total = score
    demand = create_demand(db, dt.date(2024, 3, 15), LE_MANS, "T3", number="0720324000777G0101")
    demand.score_total, demand.household_size = 40, 3
    demand.score_lines = []
    demand.expires_on = dt.date(2027, 3, 15)
    demand.lookup_hash = services.hash_lookup(demand.number, dt.date(1985, 7, 14))
    db.flush()
    chances.rebuild_outcomes(db, TODAY)
    db.commit()
    return demand


def look_up(client, lang="fr"):
    token = csrf_token(client, f"/{lang}/ma-demande")
    response = client.post(
        f"/{lang}/ma-demande", data={"csrf_token": token, "number": "0720324000777G0101", "birth_date": BIRTH}
    )
    assert response.status_code == 302
    return client.get(f"/{lang}/ma-demande/situation")


def test_the_situation_shows_what_similar_demands_became_and_the_what_if(db_app, mine):
    client = db_app.test_client()
    page = parse(look_up(client))
    outcome = text_of(page.find(".//section[@aria-labelledby='outcome-title']"))
    assert "5 sur 10 demandes semblables déposées entre décembre 2020 et novembre 2023" in outcome
    assert "premier choix est Le Mans" in outcome
    rows = [
        [text_of(cell) for cell in row]
        for row in page.findall(".//section[@aria-labelledby='outcome-title']//tbody/tr")
    ]
    assert [row[1] for row in rows] == ["27 %", "41 %", "45 %", "45 %", "50 %", "41 %", "9 %"]
    svg = page.find(f".//section[@aria-labelledby='outcome-title']//{SVG}svg")
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "outcome-caption"
    xs = [float(circle.get("cx")) for circle in svg.findall(f".//{SVG}circle")]
    assert xs == sorted(xs)  # left to right
    what_if = page.find(".//section[@aria-labelledby='what-if-title']")
    assert "ne changerait pas" in text_of(what_if)
    lines = {
        text_of(row[0]).split(":")[0].strip(): [text_of(cell) for cell in row[1:]]
        for row in what_if.findall(".//tbody/tr")
    }
    assert lines["Vos choix aujourd'hui"] == ["1", "3", "41 %", "45 %"]
    assert lines["Aussi les communes à moins de 10 km"][:2] == ["2", "4"]
    assert lines["Aussi un T4"][:2] == ["1", "3"] and lines["Aussi un T2"][:2] == ["1", "3"]


def test_in_arabic_the_curve_runs_from_the_right(db_app, mine):
    client = db_app.test_client()
    response = look_up(client, "ar")
    page = parse(response)
    assert page.get("dir") == "rtl"
    svg = page.find(f".//section[@aria-labelledby='outcome-title']//{SVG}svg")
    xs = [float(circle.get("cx")) for circle in svg.findall(f".//{SVG}circle")]
    assert xs == sorted(xs, reverse=True)
    assert page.find(".//section[@aria-labelledby='what-if-title']") is not None


def test_the_statement_carries_the_curve_and_its_table(db_app, mine):
    client = db_app.test_client()
    look_up(client)
    response = client.get("/fr/ma-demande/situation.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    assert "Ce que sont devenues les demandes semblables" in text and "27 %" in text
    assert "Et si vous élargissiez vos choix" in text


def test_an_allocated_demand_has_no_what_if(db_app, mine, db):
    mine.status = "allocated"
    db.commit()
    client = db_app.test_client()
    page = parse(look_up(client))
    assert page.find(".//section[@aria-labelledby='what-if-title']") is None


def test_the_calendar_file_opens_on_the_deadline_in_paris_time(db_app, mine):
    client = db_app.test_client()
    look_up(client)
    response = client.get("/fr/ma-demande/renouvellement.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    assert all(len(line) <= 75 for line in response.data.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(response.data)
    events = sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("DTSTART"))
    starts = [event.decoded("DTSTART").astimezone(PARIS) for event in events]
    assert [start.date() for start in starts] == [dt.date(2027, 2, 15), dt.date(2027, 3, 15)]
    assert all((start.hour, start.minute) == (9, 0) for start in starts)
    assert "Renouveler ma demande" in str(events[0]["SUMMARY"])
    assert "0720324000777G0101" in str(events[1]["DESCRIPTION"])
    assert all(event.walk("VALARM") for event in events)
    uids = {str(event["UID"]) for event in events}
    assert len(uids) == 2 and not any("0720324000777" in uid for uid in uids)
    assert client.get("/fr/ma-demande/renouvellement.ics").data.count(b"UID:") == 2


def test_the_calendar_file_needs_the_look_up(client):
    assert client.get("/fr/ma-demande/renouvellement.ics").status_code == 404


def test_the_chances_of_a_chosen_profile(db_app, mine):
    client = db_app.test_client()
    page = parse(client.get(f"/fr/mes-chances?kind=new&dwelling_type=T3&commune={LE_MANS}"))
    assert "5 sur 10" in text_of(page.find(".//main"))
    refused = client.get("/fr/mes-chances?kind=new&dwelling_type=T9&commune=72181")
    assert refused.status_code == 400
    kept = parse(refused)
    assert kept.find(".//select[@name='commune']/option[@selected]").get("value") == "72181"
    empty = parse(client.get("/fr/mes-chances?kind=transfer"))
    assert empty.find(".//section[@aria-labelledby='outcome-title']") is None
    checked = empty.find(".//input[@name='kind'][@checked]")
    assert checked is not None and checked.get("value") == "transfer"


def test_too_few_similar_demands_say_so(db_app, mine):
    client = db_app.test_client()
    page = parse(client.get("/fr/mes-chances?kind=transfer&dwelling_type=T1&commune=72181"))
    assert "Trop peu de demandes semblables" in text_of(page.find(".//section"))


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_the_documents_checklist(client, lang):
    page = parse(client.get(f"/{lang}/pieces-a-fournir?situation=student&situation=disabled&situation=nope"))
    main = page.find(".//main")
    headings = [text_of(h) for h in main.findall(".//h3")]
    assert len(headings) == 2
    boxes = main.findall(".//input[@name='situation']")
    assert len(boxes) == 8 and sum(1 for box in boxes if box.get("checked") is not None) == 2
    if lang == "fr":
        assert headings == [
            "Je suis étudiant ou étudiante",
            "Je suis en situation de handicap, ou une personne de mon foyer l'est",
        ]
        assert "carte d'étudiant" in text_of(main) and "seule pièce" in text_of(main)


def test_the_checklist_is_linked_from_the_look_up_the_guides_and_the_desks(db_app, mine):
    client = db_app.test_client()
    situation = parse(look_up(client))
    assert situation.find(".//a[@href='/fr/pieces-a-fournir']") is not None
    for url in ("/fr/guides", "/fr/guichets"):
        assert parse(client.get(url)).find(".//a[@href='/fr/pieces-a-fournir']") is not None, url


def test_every_checklist_language_has_the_french_situations(app):
    from portal.information.checklist import SITUATIONS

    found = app.extensions["portal.checklists"]
    assert set(found) == set(app.config["PORTAL_SETTINGS"].locales)
    for checklist in found.values():
        assert tuple(item.code for item in checklist.situations) == SITUATIONS
        assert not any(
            re.search(r"\b(TODO|XXX)\b", item) for s in checklist.situations for item in s.documents
        )
