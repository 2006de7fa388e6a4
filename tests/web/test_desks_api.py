"""Open data of the desks: JSON and CSV, filters, stable fields, bad parameters, OpenAPI document."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from portal import clock
from portal.clock import PARIS
from portal.openapi import DOCUMENT

MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: MONDAY_10)


def desks(client, query: str = "") -> list[dict]:
    response = client.get(f"/api/v1/desks?{query}")
    assert response.status_code == 200, response.get_json()
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = response.get_json()
    assert data["count"] == len(data["desks"])
    return data["desks"]


def test_every_desk_with_the_documented_fields(client):
    items = desks(client)
    assert len(items) == 30
    documented = set(DOCUMENT["components"]["schemas"]["Desk"]["properties"])
    assert set(items[0]) == documented
    assert set(DOCUMENT["components"]["schemas"]["Desk"]["required"]) <= set(items[0])


def test_near_a_point_sorted_with_distances_and_radius(client):
    items = desks(client, "lat=48.0415&lon=0.2125&radius_km=3")
    assert items
    distance = [item["distance_km"] for item in items]
    assert distance == sorted(distance) and max(distance) <= 3
    assert items[0]["commune"] == "Coulaines"


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("level=2", lambda item: item["level"] >= 2),
        ("level=3", lambda item: item["level"] == 3),
        ("open_now=true", lambda item: item["status"]["state"] in ("open", "closing_soon")),
        ("lang=ar", lambda item: "ar" in item["languages"]),
        ("commune=72003", lambda item: item["commune_insee"] == "72003"),
        ("postcode=72230", lambda item: item["postcode"] == "72230"),
    ],
)
def test_filters(client, query, check):
    items = desks(client, query)
    assert 0 < len(items) < 30
    assert all(check(item) for item in items)


def test_near_me_open_now_level_two_returns_the_ten_nearest(client):
    items = desks(client, "lat=48.0061&lon=0.1996&open_now=1&level=2&limit=10")
    assert len(items) == 10
    assert all(item["level"] >= 2 and item["status"]["state"] in ("open", "closing_soon") for item in items)
    every = desks(client, "lat=48.0061&lon=0.1996&open_now=1&level=2")
    assert [item["id"] for item in items] == [item["id"] for item in every[:10]]


def test_status_fields_say_when_a_desk_reopens(client):
    item = next(item for item in desks(client) if item["name"].startswith("Association d'accompagnement"))
    assert item["status"] == {
        "state": "temporarily_closed",
        "closes_at": None,
        "next_opening": "2026-12-07T09:30:00+01:00",
        "reopens_on": "2026-12-07",
    }


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("lat=abc&lon=0.2", "lat"),
        ("lat=48", "lon"),
        ("lat=95&lon=0.2", "lat"),
        ("radius_km=3", "radius_km"),
        ("lat=48&lon=0.2&radius_km=-1", "radius_km"),
        ("level=4", "level"),
        ("open_now=maybe", "open_now"),
        ("lang=français", "lang"),
        ("commune=75056", "commune"),
        ("postcode=7200", "postcode"),
        ("limit=0", "limit"),
        ("colour=blue", "colour"),
    ],
)
def test_bad_parameters_get_a_400_naming_them(client, query, parameter):
    for path in ("/api/v1/desks", "/api/v1/desks.csv"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        assert response.get_json()["parameter"] == parameter
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_csv_export_has_one_line_per_desk(client):
    response = client.get("/api/v1/desks.csv?level=3")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 2
    assert {row["level"] for row in rows} == {"3"}
    maison = next(row for row in rows if row["name"].startswith("Maison"))
    assert maison["hours"].startswith("mon 09:00-12:30; mon 13:30-17:30")
    assert maison["languages"] == "fr en ar"
    assert maison["status"] == "open"


def test_openapi_document_describes_the_api(client):
    response = client.get("/api/openapi.json")
    data = response.get_json()
    assert data["openapi"] == "3.1.0"
    assert {"/api/v1/desks", "/api/v1/desks.csv", "/api/v1/pages"} <= set(data["paths"])
    parameters = {item["name"] for item in data["paths"]["/api/v1/desks"]["get"]["parameters"]}
    assert parameters == {
        "commune",
        "postcode",
        "lat",
        "lon",
        "radius_km",
        "level",
        "open_now",
        "lang",
        "limit",
    }


def test_csv_cells_cannot_become_spreadsheet_formulas():
    from portal.desks.api import spreadsheet_safe

    assert spreadsheet_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert spreadsheet_safe("@SUM") == "'@SUM"
    assert spreadsheet_safe("Mairie") == "Mairie"
    assert spreadsheet_safe(-1.5) == -1.5


def test_csv_starts_with_a_byte_order_mark_for_spreadsheets(client):
    assert client.get("/api/v1/desks.csv").get_data(as_text=True).startswith("\ufeffid,name,")
