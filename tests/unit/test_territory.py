"""territory.yaml is read and checked; a bad file names the field."""

from __future__ import annotations

import pytest
import yaml

from portal.territory.services import TerritoryFileError, read_territory
from tests.support import CONTENT_DIR


def test_demo_territory_is_le_mans_metropole_with_its_communes():
    territory = read_territory(CONTENT_DIR)
    assert territory.demo is True
    assert territory.kind == "Communauté urbaine"
    assert len(territory.communes) == 20
    le_mans = next(commune for commune in territory.communes if commune.insee == "72181")
    assert le_mans.name == "Le Mans" and "72000" in le_mans.postcodes
    assert all(commune.ceiling_zone == "other" for commune in territory.communes)


def test_the_figures_pages_name_come_with_their_source():
    territory = read_territory(CONTENT_DIR)
    # Sarthe: 12 months (the authority's own site); the prefectoral order's text is still to be copied.
    assert territory.abnormal_delay_months == 12
    assert territory.figures == {
        "abnormal_delay_months": 12,
        "dalo_offer_months": 3,
        "interview_delay_months": 1,
    }
    assert set(territory.sources) == set(territory.figures)
    assert territory.sources["abnormal_delay_months"].verified is False
    assert "préfet de la Sarthe" in territory.sources["abnormal_delay_months"].title
    assert territory.sources["dalo_offer_months"].verified is True
    assert all(source.url.startswith("https://") for source in territory.sources.values())


def write(tmp_path, data) -> None:
    (tmp_path / "territory.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def valid():
    return yaml.safe_load((CONTENT_DIR / "territory.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: data.pop("name"), "`name` is missing"),
        (lambda data: data["theme"].update(primary="blue"), "theme `primary`"),
        (lambda data: data["communes"][1].update(insee="7218"), r"communes\[1\].*`insee`"),
        (lambda data: data["communes"][0].update(ceiling_zone="zone B"), "`ceiling_zone`"),
        (lambda data: data["communes"][2].update(postcodes=["72 000"]), "`postcodes`"),
        (lambda data: data["communes"][3].update(lat=123.0), "out of range"),
        (lambda data: data["communes"].append(dict(data["communes"][0])), "appears twice"),
        (lambda data: data.update(abnormal_delay_months="two years"), "abnormal_delay_months"),
        (lambda data: data.update(dalo_offer_months=0), "`dalo_offer_months` must be a number of months"),
        (lambda data: data.pop("interview_delay_months"), "`interview_delay_months` is missing"),
        (
            lambda data: data["sources"].pop("abnormal_delay_months"),
            r"sources\.abnormal_delay_months needs a `title`",
        ),
        (
            lambda data: data["sources"]["dalo_offer_months"].update(url="http://www.legifrance.gouv.fr/"),
            r"sources\.dalo_offer_months\.url must be an https address",
        ),
        (lambda data: data.pop("sources"), "`sources` must be a mapping"),
    ],
)
def test_bad_territory_file_is_refused_naming_the_field(tmp_path, valid, change, message):
    change(valid)
    write(tmp_path, valid)
    with pytest.raises(TerritoryFileError, match=message):
        read_territory(tmp_path)


def test_unreadable_yaml_is_refused_with_the_file_name(tmp_path):
    (tmp_path / "territory.yaml").write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(TerritoryFileError, match=r"territory\.yaml: cannot be read"):
        read_territory(tmp_path)
