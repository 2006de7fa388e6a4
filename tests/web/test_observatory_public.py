"""The public figures on a hand-made data set, on both backends: the commune page's section (numbers,
plain-words reading, statistical secrecy), the territory page, the comparison page (good and bad choices),
the API (values, nulls and `hidden`, definitions, 404) and the OpenAPI document; with the demo data, every
page renders (the checked client runs the page checker on each)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import force_locale
from sqlalchemy import delete

from portal import clock
from portal.clock import PARIS
from portal.demands.models import Allocation, DemandEvent, HousingStock
from portal.demands.models import Demand as DemandRow
from portal.observatory.services import refresh
from tests.factories.demands import add_demand
from tests.factories.territory import create_commune
from tests.pagecheck import parse, text_of

D = dt.date
DAY = D(2026, 1, 1)  # last year: 2025-01-01 to 2025-12-31


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 1, 1, 10, 0, tzinfo=PARIS))


def _allocated(db, index, commune, dwelling_type, filed_on, allocated_on):
    add_demand(
        db,
        index,
        commune,
        dwelling_type,
        filed_on,
        "allocated",
        events=[("allocation", allocated_on, commune, dwelling_type)],
    )


@pytest.fixture
def data(db):
    """A: T3 12 demands and 6 allocations after 547 days, T2 6 demands and 3 allocations after 365 days
    (secret), 200 T3 dwellings. B: 5 T3 demands, nothing allocated. C: 10 T4 demands, 3 allocations."""
    for table in (Allocation, HousingStock, DemandEvent, DemandRow):
        db.execute(delete(table))
    a = create_commune(db, name="Aubigné-Essai")
    b = create_commune(db, name="Bessé-Essai")
    c = create_commune(db, name="Cérans-Essai")
    index = iter(range(1, 1000))
    for _ in range(12):
        add_demand(db, next(index), a.insee, "T3", D(2025, 2, 1))
    for _ in range(6):
        _allocated(db, next(index), a.insee, "T3", D(2024, 1, 1), D(2025, 7, 1))
    for _ in range(6):
        add_demand(db, next(index), a.insee, "T2", D(2025, 3, 1))
    for _ in range(3):
        _allocated(db, next(index), a.insee, "T2", D(2024, 7, 1), D(2025, 7, 1))
    for _ in range(5):
        add_demand(db, next(index), b.insee, "T3", D(2025, 4, 1))
    for _ in range(10):
        add_demand(db, next(index), c.insee, "T4", D(2025, 4, 1))
    for _ in range(3):
        _allocated(db, next(index), c.insee, "T4", D(2024, 4, 1), D(2025, 5, 1))
    db.add(HousingStock(year=2025, commune_insee=a.insee, dwelling_type="T3", landlord="L1", dwellings=200))
    db.flush()
    refresh(db, DAY)
    db.flush()
    return a, b, c


def commune_url(commune, locale="fr") -> str:
    return f"/{locale}/communes/{commune.insee}-{commune.slug}"


def cells(page, table_id: str, row_key: str, attribute: str = "data-type") -> dict[str, str]:
    row = page.find(f".//table[@id='{table_id}']/tbody/tr[@{attribute}='{row_key}']")
    assert row is not None, f"no row {row_key} in {table_id}"
    return {td.get("data-figure"): text_of(td) for td in row.findall("td")}


def test_the_commune_page_shows_the_figures_by_type(db_app, data):
    a, _b, _c = data
    response = db_app.test_client().get(commune_url(a, "en"))
    assert response.status_code == 200
    page = parse(response)
    t3 = cells(page, "commune-figures-table", "T3")
    assert t3 == {
        "active_demands": "12",
        "allocations": "6",
        "pressure": "2.0",
        "wait_median_months": "18 months",  # 547 days
        "stock": "200",
    }
    everything = cells(page, "commune-figures-table", "all")
    assert everything["active_demands"] == "18"
    assert everything["allocations"] == "9"
    assert everything["pressure"] == "2.0"
    assert everything["stock"] == "200"
    assert [tr.get("data-type") for tr in page.findall(".//table[@id='commune-figures-table']/tbody/tr")] == [
        "all",
        "T1",
        "T2",
        "T3",
        "T4",
        "T5",
    ]
    assert cells(page, "commune-figures-table", "T1")["pressure"] == "no allocation"
    headers = [text_of(th) for th in page.findall(".//table[@id='commune-figures-table']/thead/tr/th")]
    assert headers[1:] == [
        "Demands in progress",
        "Allocations",
        "Demands per allocation",
        "Median wait",
        "Social dwellings",
    ]
    terms = [text_of(dt_) for dt_ in page.findall(".//dl[@id='commune-figures-definitions']/dt")]
    assert terms == headers[1:]
    text = text_of(page.find(".//section[@id='figures']"))
    assert "from January 1, 2025 to December 31, 2025" in text
    assert "counted on 1 January 2025" in text


def test_the_reading_says_it_in_plain_words(db_app, data):
    a, b, _c = data
    page = parse(db_app.test_client().get(commune_url(a, "en")))
    readings = {
        li.get("data-type"): text_of(li) for li in page.findall(".//ul[@id='commune-figures-readings']/li")
    }
    assert readings["T3"] == (
        "For a T3 in this commune, about 1 allocation for 2 demands last year. "
        "Half of the households housed last year had waited less than 18 months."
    )
    assert "T2" not in readings  # its allocations are secret: nothing can be said
    assert readings["all"].startswith(
        "In this commune, all dwelling types together, about 1 allocation for 2"
    )
    page = parse(db_app.test_client().get(commune_url(b, "en")))
    readings = {
        li.get("data-type"): text_of(li) for li in page.findall(".//ul[@id='commune-figures-readings']/li")
    }
    assert readings["T3"] == "For a T3 in this commune, no dwelling was allocated last year."


def test_secrecy_hides_what_rests_on_fewer_than_five_households(db_app, data):
    a, _b, c = data
    page = parse(db_app.test_client().get(commune_url(a, "en")))
    t2 = cells(page, "commune-figures-table", "T2")
    assert t2["active_demands"] == "6"
    for name in ("allocations", "pressure", "wait_median_months"):
        assert t2[name] == "not shown (fewer than 5 households)"
    page = parse(db_app.test_client().get(commune_url(c, "en")))
    everything = cells(page, "commune-figures-table", "all")
    assert everything["active_demands"] == "10"
    assert everything["allocations"] == "not shown (fewer than 5 households)"
    assert "3" not in everything.values()
    section = page.find(".//section[@id='figures']")
    notice = section.find(".//div[@role='note']")
    assert notice is not None
    assert "fewer than 5 households are not shown" in text_of(notice)


def test_the_territory_page_adds_up_the_communes_and_links_them(db_app, data):
    a, b, c = data
    response = db_app.test_client().get("/en/chiffres")
    assert response.status_code == 200
    page = parse(response)
    everything = cells(page, "territory-figures-table", "all")
    assert everything["active_demands"] == "33"  # 18 + 5 + 10
    assert everything["allocations"] == "12"  # 9 + 3
    assert everything["pressure"] == "2.8"
    assert (
        cells(page, "territory-figures-table", "T4")["allocations"] == "not shown (fewer than 5 households)"
    )
    assert cells(page, "communes-table", a.insee, "data-insee")["pressure"] == "2.0"
    assert cells(page, "communes-table", c.insee, "data-insee")["allocations"].startswith("not shown")
    link = page.find(f".//table[@id='communes-table']//tr[@data-insee='{b.insee}']/th/a")
    assert link.get("href") == commune_url(b, "en")
    readings = [text_of(li) for li in page.findall(".//ul[@id='territory-figures-readings']/li")]
    assert any(
        item.startswith("For a T3 in the territory, about 1 allocation for 3 demands") for item in readings
    )


def test_the_comparison_puts_the_chosen_communes_side_by_side(db_app, data):
    a, b, _c = data
    response = db_app.test_client().get(
        f"/en/chiffres/comparer?communes={a.insee}&communes={b.insee}&type=T3"
    )
    assert response.status_code == 200
    page = parse(response)
    headers = [th.get("data-insee") for th in page.findall(".//table[@id='comparison-table']/thead/tr/th")]
    assert headers == [None, a.insee, b.insee]
    row = {
        td.get("data-insee"): text_of(td)
        for td in page.findall(".//table[@id='comparison-table']//tr[@data-figure='allocations']/td")
    }
    assert row == {a.insee: "6", b.insee: "0"}
    checked = {box.get("value") for box in page.findall(".//input[@name='communes'][@checked]")}
    assert checked == {a.insee, b.insee}
    assert page.find(".//select[@name='type']/option[@selected]").get("value") == "T3"


@pytest.mark.parametrize(
    "query, field",
    [
        (
            "communes=72181&communes=72003&communes=72001&communes=72008&communes=72054&communes=72073",
            "communes",
        ),
        ("communes=00000", "communes"),
        ("type=T3", "communes"),
        ("communes=72181&type=T9", "type"),
    ],
)
def test_bad_choices_are_refused_and_kept(db_app, data, query, field):
    response = db_app.test_client().get(f"/fr/chiffres/comparer?{query}")
    assert response.status_code == 400
    page = parse(response)
    assert page.find(".//table[@id='comparison-table']") is None
    summary = page.find(".//div[@id='error-summary']")
    assert summary.find(f".//a[@href='#{field}']") is not None
    assert page.find(f".//*[@id='{field}-error']") is not None
    asked = {value for key, value in (pair.split("=") for pair in query.split("&")) if key == "communes"}
    checked = {box.get("value") for box in page.findall(".//input[@name='communes'][@checked]")}
    assert checked == {code for code in asked if code != "00000"}
    assert text_of(page.find(".//title")).startswith("Erreur")


def test_the_comparison_form_alone_is_not_an_error(db_app, data):
    response = db_app.test_client().get("/fr/chiffres/comparer")
    assert response.status_code == 200
    page = parse(response)
    assert page.find(".//div[@id='error-summary']") is None
    assert len(page.findall(".//input[@name='communes']")) >= 23  # the territory's 20 and ours


def test_the_api_gives_the_figures_with_secrecy_and_definitions(db_app, data):
    a, _b, c = data
    client = db_app.test_client()
    response = client.get(f"/api/v1/communes/{a.insee}/figures?lang=en")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age" in response.headers["Cache-Control"]
    body = response.get_json()
    assert body["commune"]["insee"] == a.insee
    assert body["commune"]["url"].endswith(commune_url(a, "en"))
    assert body["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert body["stock_year"] == 2025
    dt.datetime.fromisoformat(body["computed_at"])
    t3 = body["figures"]["by_type"]["T3"]
    assert (t3["active_demands"], t3["allocations"], t3["pressure"], t3["stock"]) == (12, 6, 2.0, 200)
    assert t3["wait_median_months"] == 18.0
    assert t3["hidden"] == []
    t2 = body["figures"]["by_type"]["T2"]
    assert t2["allocations"] is None and t2["pressure"] is None and t2["wait_median_months"] is None
    assert set(t2["hidden"]) == {"allocations", "pressure", "wait_median_months"}
    assert t2["active_demands"] == 6
    assert body["figures"]["all"]["allocations"] == 9
    assert "transfer_demands" not in t3  # the partners' indicators stay in the partners' dashboard
    assert body["definitions"]["pressure"]["label"] == "Demands per allocation"
    assert body["secrecy_threshold"] == 5
    french = client.get(f"/api/v1/communes/{c.insee}/figures").get_json()
    assert french["language"] == "fr"
    assert french["figures"]["all"]["allocations"] is None
    assert "allocations" in french["figures"]["all"]["hidden"]
    territory = client.get("/api/v1/territory/figures").get_json()
    assert territory["figures"]["all"]["active_demands"] == 33
    assert territory["figures"]["all"]["allocations"] == 12


def test_the_api_answers_matches_its_openapi_schema(db_app, data):
    from portal.openapi import DOCUMENT

    client = db_app.test_client()
    document = client.get("/api/openapi.json").get_json()
    assert {"/api/v1/territory/figures", "/api/v1/communes/{insee}/figures"} <= set(document["paths"])
    schemas = DOCUMENT["components"]["schemas"]
    for url in ("/api/v1/territory/figures", f"/api/v1/communes/{data[0].insee}/figures"):
        body = client.get(url).get_json()
        assert set(schemas["PublicFigures"]["required"]) <= set(body)
        figures_schema = schemas["Figures"]
        for group in [body["figures"]["all"], *body["figures"]["by_type"].values()]:
            assert set(group) == set(figures_schema["properties"])
            for name, value in group.items():
                if name == "hidden":
                    continue
                allowed = figures_schema["properties"][name]["type"]
                kinds = {"integer": int, "number": (int, float), "null": type(None)}
                assert any(isinstance(value, kinds[kind]) for kind in allowed), (name, value)
                if name in group["hidden"]:
                    assert value is None
        assert set(body["definitions"]) == set(figures_schema["properties"]) - {"hidden"}


def test_unknown_commune_and_bad_parameters_get_json_errors(db_app, data):
    client = db_app.test_client()
    response = client.get("/api/v1/communes/00000/figures")
    assert response.status_code == 404
    assert response.get_json() == {"error": "unknown commune", "parameter": "insee"}
    response = client.get("/api/v1/territory/figures?lang=xx")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "lang"
    response = client.get("/api/v1/territory/figures?commune=72181")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "commune"


@pytest.mark.parametrize("locale", ["fr", "ar", "en"])
def test_the_pages_render_with_the_demo_data(client, locale):
    for path in (
        "chiffres",
        "chiffres/comparer",
        "chiffres/comparer?communes=72181&communes=72003",
        "communes/72181-le-mans",
    ):
        response = client.get(f"/{locale}/{path}")
        assert response.status_code == 200, path
    page = parse(client.get(f"/{locale}/chiffres"))
    assert len(page.findall(".//table[@id='communes-table']/tbody/tr")) == 20


def test_the_menu_and_the_sitemap_lead_to_the_figures(client):
    page = parse(client.get("/fr/"))
    links = {a.get("href") for a in page.findall(".//nav[@class='site-nav']//a")}
    assert "/fr/chiffres" in links
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/fr/chiffres</loc>" in sitemap
    assert "/ar/chiffres/comparer</loc>" in sitemap


def test_waits_and_readings_in_words(app):
    from portal.observatory.figures import Cell, figures_of
    from portal.observatory.presenting import duration, readings

    with app.test_request_context(), force_locale("en"):
        assert duration(1.0) == "1 month" and duration(3.0) == "3 months" and duration(4.5) == "4.5 months"
        plenty = figures_of(Cell(active=3, allocations=10, waits=[30] * 10))
        said = readings(plenty, "T2", territory=False)
        assert said[0].startswith("For a T2 in this commune, more dwellings were allocated last year")
        assert "about 1 allocation for" not in " ".join(said)


def test_the_secrecy_notice_speaks_only_of_figures_the_page_shows(app):
    from portal.observatory.figures import Cell, figures_of, public
    from portal.observatory.services import PublicFigures

    # Many demands and allocations, but 2 DALO demands: withheld, yet not a figure the public pages show.
    figures = public(figures_of(Cell(active=40, allocations=10, waits=[100] * 10, dalo_demands=2)))
    assert "dalo_demands" in figures.hidden
    assert not PublicFigures(snapshot=None, overall=figures, by_type={"T3": figures}).hides_something
    few = public(figures_of(Cell(active=40, allocations=3, waits=[100] * 3)))
    assert PublicFigures(snapshot=None, overall=figures, by_type={"T3": few}).hides_something
