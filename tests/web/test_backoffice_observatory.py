"""The partners' observatory on both backends, on a hand-made data set whose figures are worked out below:
the page's figures and their secrecy marks, each filter, refused filters, the CSV and JSON exports, and
who may read it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from sqlalchemy import delete

from portal import clock
from portal.demands.models import Allocation, Demand, DemandEvent, HousingStock
from tests.factories.demands import create_allocation, create_demand
from tests.factories.partners import create_organisation, create_partner
from tests.factories.territory import create_commune
from tests.pagecheck import parse, text_of

D = dt.date
PAGE = "/partenaires/observatoire"


def add_demand(db, index, commune, dwelling_type, filed_on, allocated=None, landlord=None):
    """A demand; `allocated`: the day it got a dwelling of its type in its commune, from `landlord`."""
    demand = create_demand(db, filed_on, commune, dwelling_type, number=f"{index:013d}OBSV1")
    if allocated:
        create_allocation(db, demand, allocated, landlord)


@pytest.fixture
def data(db, monkeypatch):
    """Commune A: six T3 demands in progress, two T3 allocations in 2025 (landlord L1); commune B (whose
    name a spreadsheet would run as a formula): one T2 demand, one T2 allocation (L2). Today is
    1 January 2026, so the default period is 2025."""
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 1, 1, 10, tzinfo=clock.PARIS))
    for table in (Allocation, HousingStock, DemandEvent, Demand):
        db.execute(delete(table))
    a = create_commune(db, name="Aaa Commune d'essai").insee
    b = create_commune(db, name="=HYPERLINK(1)").insee
    for index in range(1, 7):
        add_demand(db, index, a, "T3", D(2024, 2, 1))
    add_demand(db, 7, a, "T3", D(2024, 1, 10), allocated=D(2025, 1, 10), landlord="L1")  # 366 days
    add_demand(db, 8, a, "T3", D(2025, 3, 1), allocated=D(2025, 9, 1), landlord="L1")  # 184 days
    add_demand(db, 9, b, "T2", D(2025, 2, 1))
    add_demand(db, 10, b, "T2", D(2024, 6, 1), allocated=D(2025, 6, 1), landlord="L2")  # 365 days
    db.add_all(
        [
            HousingStock(year=2025, commune_insee=a, dwelling_type="T3", landlord="L1", dwellings=100),
            HousingStock(year=2025, commune_insee=a, dwelling_type="T2", landlord="L2", dwellings=40),
            HousingStock(year=2025, commune_insee=b, dwelling_type="T2", landlord="L2", dwellings=30),
        ]
    )
    db.flush()
    return a, b


@pytest.fixture
def client(db_app, db, sign_in):
    town = create_organisation(db, "ville-obs")
    create_partner(db, "lecteur@ville-obs.fr", {town: ["viewer"]})
    client = db_app.test_client()
    sign_in(client, "lecteur@ville-obs.fr")
    return client


def value(element) -> str:
    """The figure of a cell, without its secrecy mark."""
    return (element.text or "").strip()


def indicator(page, name: str) -> str:
    return value(page.find(f".//table[@id='observatory-indicators']//tr[@data-name='{name}']/td"))


def cell(page, table: str, scope: str, name: str):
    return page.find(f".//table[@id='{table}']//tr[@data-scope='{scope}']/td[@data-name='{name}']")


def is_secret(element) -> bool:
    return any(text_of(mark) == "*" for mark in element.iter("sup"))


def test_the_page_shows_the_territory_figures_and_marks_what_the_public_does_not_see(client, data):
    a, _b = data
    response = client.get(PAGE)
    assert response.status_code == 200
    page = parse(response)
    assert indicator(page, "active_demands") == "7"  # 1-6 and 9
    assert indicator(page, "new_demands") == "2"  # 8 and 9
    assert indicator(page, "allocations") == "3"
    assert indicator(page, "stock") == "170"
    assert indicator(page, "wait_median_months") == "12,0"  # waits 184, 365, 366 days
    row = page.find(".//table[@id='observatory-indicators']//tr[@data-name='allocations']/td")
    assert is_secret(row), "3 allocations rest on fewer than 5 households"
    assert not is_secret(
        page.find(".//table[@id='observatory-indicators']//tr[@data-name='active_demands']/td")
    )
    assert len(page.findall(".//table[@id='observatory-indicators']/tbody/tr")) == 21  # every indicator
    # By commune: A has 6 demands (public) and 2 allocations (secret), B's name is shown as text.
    assert value(cell(page, "by-commune-demand", a, "active_demands")) == "6"
    assert not is_secret(cell(page, "by-commune-demand", a, "active_demands"))
    allocations_a = cell(page, "by-commune-demand", a, "allocations")
    assert value(allocations_a) == "2" and is_secret(allocations_a)
    assert is_secret(cell(page, "by-commune-demand", a, "pressure"))  # 6 / 2 on 2 allocations
    assert value(cell(page, "by-type-demand", "T3", "active_demands")) == "6"
    assert value(cell(page, "by-type-demand", "T2", "stock")) == "70"
    # The charts: SVG images with a title, labelled, each followed by its data table.
    svg = "{http://www.w3.org/2000/svg}"
    charts = [chart for chart in page.iter(f"{svg}svg") if chart.get("role") == "img"]
    assert len(charts) == 3
    for chart in charts:
        assert chart.find(f"{svg}title") is not None and chart.get("aria-labelledby")
        assert chart.findall(f".//{svg}text") and chart.findall(f".//{svg}rect")
    assert page.find(".//table[@id='chart-pressure-table']//tr[@data-scope='" + a + "']") is not None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("commune={b}", {"active_demands": "1", "allocations": "1", "stock": "30"}),
        ("dwelling_type=T3", {"active_demands": "6", "allocations": "2", "stock": "100"}),
        ("landlord=L1", {"active_demands": "7", "allocations": "2", "stock": "100"}),
        ("start=2024-01-01&end=2024-12-31", {"active_demands": "8", "new_demands": "8", "allocations": "0"}),
    ],
)
def test_each_filter_changes_the_figures(client, data, query, expected):
    a, b = data
    response = client.get(f"{PAGE}?{query.format(a=a, b=b)}")
    assert response.status_code == 200
    page = parse(response)
    for name, figure in expected.items():
        assert indicator(page, name) == figure, name


def test_the_landlord_filter_lists_the_landlords_and_says_what_it_applies_to(client, data):
    page = parse(client.get(f"{PAGE}?landlord=L2"))
    options = [option.get("value") for option in page.findall(".//select[@id='landlord']/option")]
    assert options == ["", "L1", "L2"]
    assert page.find(".//p[@id='landlord-hint']") is not None
    assert "L2" in text_of(page.find(".//ul[@id='observatory-scope']"))


@pytest.mark.parametrize(
    ("query", "field", "kept"),
    [
        ("start=2025-06-01&end=2025-01-01", "end", "2025-01-01"),
        ("start=2015-01-01&end=2025-01-01", "end", "2025-01-01"),
        ("start=pas-une-date", "start", "pas-une-date"),
        ("commune=00000", "commune", None),
        ("dwelling_type=T9", "dwelling_type", None),
    ],
)
def test_bad_filters_are_refused_with_a_message_and_the_input_kept(client, data, query, field, kept):
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 400
    page = parse(response)
    summary = page.find(".//div[@id='error-summary']")
    assert summary is not None and summary.find(f".//a[@href='#{field}']") is not None
    control = page.find(f".//*[@id='{field}']")
    assert control.get("aria-invalid") == "true"
    if kept is not None:
        assert control.get("value") == kept
    assert page.find(".//table[@id='observatory-indicators']") is None, "no figures for a refused filter"
    assert client.get(f"{PAGE}.csv?{query}").status_code == 400


def test_the_csv_export_holds_every_scope_and_safe_cells(client, data):
    a, b = data
    response = client.get(f"{PAGE}.csv?dwelling_type=")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "observatoire_2025-01-01_2025-12-31.csv" in disposition
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows[0]) == 4 + 21 + 1
    territory = next(row for row in rows if row["scope"] == "territory")
    assert (territory["active_demands"], territory["allocations"], territory["stock"]) == ("7", "3", "170")
    assert "allocations" in territory["hidden_from_public"].split()
    commune_a = next(row for row in rows if row["scope"] == "commune" and row["commune_insee"] == a)
    assert (commune_a["active_demands"], commune_a["allocations"], commune_a["pressure"]) == ("6", "2", "3.0")
    commune_b = next(row for row in rows if row["scope"] == "commune" and row["commune_insee"] == b)
    assert commune_b["commune_name"] == "'=HYPERLINK(1)", "a formula is quoted"
    pair = next(
        row
        for row in rows
        if row["scope"] == "commune_dwelling_type"
        and row["commune_insee"] == b
        and row["dwelling_type"] == "T2"
    )
    assert (pair["active_demands"], pair["allocations"], pair["stock"]) == ("1", "1", "30")
    assert {row["dwelling_type"] for row in rows if row["scope"] == "dwelling_type"} == {
        "T1",
        "T2",
        "T3",
        "T4",
        "T5",
    }
    assert client.get(f"{PAGE}?format=csv").get_data() == body


def test_the_json_export_holds_the_filters_definitions_and_figures(client, data):
    a, _b = data
    response = client.get(f"{PAGE}.json?landlord=L1&commune={a}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.get_data(as_text=True))
    assert document["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert document["filters"] == {"commune": a, "dwelling_type": None, "landlord": "L1"}
    assert document["stock_year"] == 2025
    assert len(document["definitions"]) == 21
    assert all(item["label"] and item["definition"] for item in document["definitions"])
    assert document["territory"]["allocations"] == 2 and document["territory"]["stock"] == 100
    assert document["territory"]["active_demands"] == 6
    assert "allocations" in document["territory"]["hidden_from_public"]
    assert [item["commune_insee"] for item in document["by_commune"]] == [a]
    assert document["by_type"]["T3"]["wait_median_months"] == 9.0  # 184 and 366 days
    assert client.get(f"{PAGE}?format=json&landlord=L1&commune={a}").get_data() == response.get_data()


def test_a_signed_out_visitor_is_sent_to_sign_in(db_app, data):
    visitor = db_app.test_client()
    for url in (PAGE, f"{PAGE}.csv", f"{PAGE}.json"):
        response = visitor.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/partenaires/connexion")


def test_the_filters_need_no_csrf_token_and_the_dashboard_links_the_page(client, data):
    assert client.get(f"{PAGE}?dwelling_type=T2&commune=").status_code == 200
    form = parse(client.get(PAGE)).find(".//form[@method='get']")
    assert form.find(".//input[@name='csrf_token']") is None
    assert parse(client.get("/partenaires/")).find(f".//a[@href='{PAGE}']") is not None
