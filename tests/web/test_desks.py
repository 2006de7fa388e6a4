"""The desk locator: search by commune, postcode and position, filters, sorting, the desk page."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from portal import clock
from portal.clock import PARIS
from tests.pagecheck import parse, text_of

MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: MONDAY_10)


def results(client, query: str, locale: str = "fr"):
    page = parse(client.get(f"/{locale}/guichets?{query}"))
    items = page.findall(".//section[@class='desk-results']/ol[@class='desk-list']/li")
    return page, items


def names(items) -> list[str]:
    return [text_of(item.find(".//h3")) for item in items]


def distances(items) -> list[float]:
    return [
        float(text_of(item.find(".//span[@class='desk-result__distance']")).split()[0].replace(",", "."))
        for item in items
    ]


def test_without_a_query_every_desk_is_listed_by_name(client):
    _, items = results(client, "")
    assert len(items) == 30
    assert names(items) == sorted(names(items), key=lambda name: name.casefold())


def test_search_by_postcode_sorts_by_distance(client):
    page, items = results(client, "q=72700")
    assert items
    assert distances(items) == sorted(distances(items))
    status = text_of(page.find(".//section[@class='desk-results']/p[@role='status']"))
    assert "Allonnes" in status and "Rouillon" in status


def test_search_by_commune_tolerates_a_typo_and_accents(client):
    _, items = results(client, "q=allones")
    assert "Allonnes" in names(items)[0]
    _, items = results(client, "q=YVRE+L+EVEQUE")
    assert "Yvré-l'Évêque" in names(items)[0]


def test_search_near_a_position(client):
    _, items = results(client, "lat=48.0415&lon=0.2125")  # near Coulaines
    assert "Coulaines" in names(items)[0]
    assert distances(items) == sorted(distances(items))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            "level=3",
            {"Maison de l'habitat – accueil des demandeurs", "Association d'accompagnement – point logement"},
        ),
    ],
)
def test_filters_keep_only_matching_desks(client, filters, expected):
    _, items = results(client, filters)
    assert set(names(items)) == expected


def test_walk_in_filter_leaves_out_desks_by_appointment_only(client):
    _, items = results(client, "walk_in=y&level=2")
    found = set(names(items))
    assert len(found) == 13
    assert "Maison de l'habitat – accueil des demandeurs" in found  # with or without appointment
    assert not found & {
        "Office public de l'habitat – agence Sud",
        "Entreprise sociale pour l'habitat – agence du Mans",
        "Action Logement Services – point d'accueil",
    }


def test_open_now_excludes_closed_unknown_and_temporarily_closed_desks(client):
    _, items = results(client, "q=Le+Mans&open_now=y")
    found = " ".join(names(items))
    assert "Maison de l'habitat" in found
    assert "Association d'accompagnement" not in found  # closed for works
    assert "Entreprise sociale pour l'habitat" not in found  # hours not confirmed for 12 months
    assert "Action Logement" not in found  # open on Tuesday and Thursday only


def test_step_free_and_language_filters(client):
    _, items = results(client, "step_free=y")
    assert "Office public de l'habitat – agence Sud" not in names(items)
    _, items = results(client, "language=ar")
    arabic = set(names(items))
    assert "Maison de l'habitat – accueil des demandeurs" in arabic
    assert "Centre communal d'action sociale du Mans – accueil logement" not in arabic


def test_no_match_says_why_and_suggests_the_nearest_desks(client):
    page, items = results(client, "q=Fatines&level=3&language=tr&open_now=y")
    assert "Aucun guichet ne correspond" in text_of(page.find(".//main"))
    suggested = [text_of(item.find(".//h4")) for item in items]
    assert len(suggested) == 3
    assert suggested[0] == "Mairie de Fatines – accueil logement", "the nearest desk, whatever the filters"


def test_unknown_commune_is_an_error_that_keeps_the_query(client):
    page, items = results(client, "q=Parisss")
    assert page.find(".//div[@id='error-summary']") is not None
    assert page.find(".//input[@id='q']").get("value") == "Parisss"
    assert items == []


def test_bad_position_is_explained(client):
    page, _ = results(client, "lat=abc&lon=0.2")
    assert page.find(".//div[@id='error-summary']") is not None


def test_search_in_arabic_is_right_to_left_and_translated(client):
    page, items = results(client, "q=72000", locale="ar")
    assert page.get("dir") == "rtl" and items


def desk_url(client, name: str) -> str:
    _, items = results(client, "")
    item = next(item for item in items if name in text_of(item.find(".//h3")))
    return item.find(".//h3/a").get("href")


def test_desk_page_shows_the_week_with_today_and_its_notices(client):
    page = parse(client.get(desk_url(client, "Maison de l'habitat")))
    rows = page.findall(".//table[@class='table hours']/tbody/tr")
    assert len(rows) == 7
    today = [row for row in rows if row.get("class") == "hours__today"]
    assert len(today) == 1 and text_of(today[0]).startswith("Lundi")
    assert "09:00" in text_of(today[0]) and "12:30" in text_of(today[0])
    main = text_of(page.find(".//main"))
    assert "Permanence supplémentaire" in main  # notice running on 30 November
    assert "24 décembre 2026" in main  # the next closure
    assert "Ouvert" in text_of(page.find(".//p[@class='desk-status']"))


def test_desk_page_describes_the_office_for_machines(client):
    page = parse(client.get(desk_url(client, "Maison de l'habitat")))
    script = page.find(".//script[@type='application/ld+json']")
    data = json.loads(script.text)
    assert data["@type"] == "GovernmentOffice"
    assert data["address"]["postalCode"] == "72000"
    assert len(data["openingHoursSpecification"]) == 10  # Monday to Saturday, mornings and afternoons


def test_temporarily_closed_desk_says_when_it_reopens(client):
    page = parse(client.get(desk_url(client, "Association d'accompagnement")))
    status = text_of(page.find(".//p[@class='desk-status']"))
    assert "Fermé temporairement" in status and "7 décembre" in status


def test_desk_with_old_hours_says_they_are_not_confirmed(client):
    page = parse(client.get(desk_url(client, "Entreprise sociale pour l'habitat")))
    assert "Horaires non confirmés" in text_of(page.find(".//p[@class='desk-status']"))


def test_desk_page_wrong_slug_redirects_and_unknown_desk_is_not_found(client):
    url = desk_url(client, "Maison de l'habitat")
    desk_id = url.split("/")[-1].split("-")[0]
    response = client.get(f"/fr/guichets/{desk_id}-autre-nom")
    assert response.status_code == 301 and response.headers["Location"] == url
    assert client.get("/fr/guichets/99999-rien").status_code == 404


def test_commune_page_lists_its_desks(client):
    page = parse(client.get("/fr/communes/72003-allonnes"))
    listed = [text_of(item.find(".//h3")) for item in page.findall(".//ol[@class='desk-list']/li")]
    assert listed == [
        "Bailleur social départemental – antenne d'Allonnes",
        "Mairie d'Allonnes – accueil logement",
    ]


def test_without_a_tile_server_there_is_no_map_and_no_map_script(client):
    html = client.get("/fr/guichets?q=72000").get_data(as_text=True)
    assert 'id="desk-map"' not in html and "leaflet" not in html
    assert 'src="/static/js/desks.js"' in html  # "use my position" still enhances the form


def test_with_a_tile_server_the_map_stands_beside_the_list(tmp_path, engines):
    from tests.support import build_app

    connection = engines("sqlite").connect()
    app = build_app(
        tmp_path,
        connection,
        map_tiles_url="https://tiles.example.org/{z}/{x}/{y}.png",
        map_attribution="© contributeurs de la carte",
    )
    response = app.test_client().get("/fr/guichets?q=72000")
    connection.close()
    page = parse(response)
    map_element = page.find(".//div[@id='desk-map']")
    assert map_element.get("data-tiles-url") == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert page.find(".//ol[@class='desk-list']") is not None, "the list stays, as the source of truth"
    scripts = [script.get("src") for script in page.findall(".//script")]
    assert "/static/vendor/leaflet/leaflet.js" in scripts
    assert "img-src 'self' data: https://tiles.example.org;" in response.headers["Content-Security-Policy"]


def test_a_bad_level_is_ignored_not_a_server_error(client):
    assert client.get("/fr/guichets?level=x").status_code == 200


def test_near_me_position_is_rounded_to_about_a_hundred_metres(app):
    from werkzeug.datastructures import MultiDict

    from portal.desks.forms import DeskSearchForm

    with app.test_request_context("/fr/guichets"):
        form = DeskSearchForm(MultiDict({"lat": "48.041567", "lon": "0.212549"}))
        assert form.point() == (48.042, 0.213)
