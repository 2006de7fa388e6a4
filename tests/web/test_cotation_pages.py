"""The score's public pages: the grid in force and the anonymous simulator."""

from __future__ import annotations

import pytest

from tests.pagecheck import csrf_token, parse, text_of


def test_grid_page_lists_every_criterion_of_both_grids(client):
    page = parse(client.get("/fr/cotation/grille"))
    tables = page.findall(".//table[@class='table grid-table']")
    assert len(tables) == 2
    rows = tables[0].findall("./tbody/tr")
    assert len(rows) == 14
    first = text_of(rows[0])
    assert "Ancienneté de la demande" in first and "120" in first
    assert all(row.find("./th[@scope='row']") is not None for row in rows)


def test_grid_is_reachable_from_the_home_page(client):
    links = [a.get("href") for a in parse(client.get("/fr/")).findall(".//ul[@class='card-grid']//a")]
    assert "/fr/cotation" in links


@pytest.fixture
def simulate(app):
    client = app.test_client()

    def send(query: str = "", **fields):
        url = f"/fr/cotation/simulateur{query}"
        # The household's size is asked (overcrowding is computed from it); the form proposes 1.
        return client.post(url, data={"csrf_token": csrf_token(client, url), "household_size": "1", **fields})

    return send


def test_simulator_asks_only_what_the_grid_reads(client):
    page = parse(client.get("/fr/cotation/simulateur"))
    names = {element.get("name") for element in page.findall(".//main//form//*[@name]")}
    assert names == {
        "csrf_token",
        "filed_on",
        "dalo",
        "pdalhpd",
        "violence",
        "disability",
        "eviction",
        "group_hebergement",
        "overcrowding",
        "household_size",  # overcrowding is also computed from the surface and the household's size
        "surface",
        "housing_cost_ratio",
        "job_distance",
        "refusals",
    }


def test_simulator_scores_and_explains_each_line(simulate):
    response = simulate(
        filed_on="30", dalo="y", group_hebergement="temporary_housing", housing_cost_ratio="45", refusals="1"
    )
    result = parse(response).find(".//section[@id='result']")
    heading = text_of(result.find(".//h2"))
    assert "125" in heading  # 30 + 20 (abnormal delay of 24 months) + 50 + 25 + 10 - 10
    lines = [text_of(item) for item in result.findall(".//ul[@class='score-lines']/li")]
    assert len(lines) == 6
    assert lines[0].startswith("Ancienneté de la demande") and "+30" in lines[0]
    assert "-10" in lines[-1]


def test_only_the_highest_hosted_situation_is_offered_as_one_choice(simulate):
    response = simulate(filed_on="0", group_hebergement="homeless")
    result = parse(response).find(".//section[@id='result']")
    assert "30" in text_of(result.find(".//h2"))


def test_mutation_simulator_uses_the_mutation_grid(simulate, client):
    page = parse(client.get("/fr/cotation/simulateur?grille=mutation"))
    names = {element.get("name") for element in page.findall(".//main//form//*[@name]")}
    assert "urban_renewal" in names and "dalo" not in names
    result = parse(simulate("?grille=mutation", filed_on="2", urban_renewal="y")).find(
        ".//section[@id='result']"
    )
    assert "62" in text_of(result.find(".//h2"))


def test_wrong_input_is_explained_and_kept(simulate):
    response = simulate(filed_on="trente", housing_cost_ratio="-4", refusals="200")
    page = parse(response)
    assert page.find(".//section[@id='result']") is None
    assert [a.get("href") for a in page.findall(".//div[@id='error-summary']//a")] == [
        "#filed_on",
        "#housing_cost_ratio",
        "#refusals",
    ]
    assert page.find(".//input[@id='filed_on']").get("value") == "trente"


def test_simulator_needs_its_csrf_token(app):
    response = app.test_client().post("/fr/cotation/simulateur", data={"filed_on": "3"})
    assert response.status_code == 400


def test_unknown_grid_is_not_found(client):
    assert client.get("/fr/cotation/simulateur?grille=autre").status_code == 404
