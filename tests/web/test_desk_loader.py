"""Loading content/desks.yaml on both backends: checked first, nothing changed on error, newer data kept."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from sqlalchemy import func, select

from portal.content import ContentError
from portal.desks.loader import load_desks
from portal.desks.models import Desk, OpeningSlot
from tests.support import CONTENT_DIR

SOURCE = yaml.safe_load((CONTENT_DIR / "desks.yaml").read_text(encoding="utf-8"))


def write(tmp_path, data) -> object:
    path = tmp_path / "desks.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_reloading_the_demo_file_changes_nothing(db, tmp_path):
    report = load_desks(db, CONTENT_DIR / "desks.yaml")
    assert (report.created, report.updated + report.kept) == (0, 30)
    assert db.scalar(select(func.count()).select_from(Desk)) == 30


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda desk: desk.update(level=4), "`level` must be 1"),
        (lambda desk: desk.update(commune="75056"), "is not a commune of the territory"),
        (lambda desk: desk.update(hours={"mon": ["09:00-08:00"]}), "closes before it opens"),
        (lambda desk: desk.update(hours={"mon": ["9h-12h"]}), "is not like 09:00-12:00"),
        (lambda desk: desk.update(hours={"lundi": ["09:00-12:00"]}), "unknown day"),
        (lambda desk: desk.update(hours={"mon": ["09:00-12:00", "11:00-13:00"]}), "overlap"),
        (lambda desk: desk.update(lat="north"), "`lat` and `lon`"),
        (lambda desk: desk.update(organisation="nobody"), "`organisation`"),
        (lambda desk: desk.update(website="http://example.org"), "https://"),
        (
            lambda desk: desk.update(closures=[{"from": dt.date(2026, 12, 5), "to": dt.date(2026, 12, 1)}]),
            "before",
        ),
        (lambda desk: desk.update(updated_on="yesterday"), "`updated_on` must be a date"),
    ],
)
def test_a_bad_desk_is_refused_naming_it_and_nothing_changes(db, tmp_path, change, message):
    data = yaml.safe_load(yaml.safe_dump(SOURCE))
    data["desks"][3]["name"] = "Nom changé"
    change(data["desks"][5])
    before = db.scalar(select(func.count()).select_from(OpeningSlot))
    with pytest.raises(ContentError, match=message) as error:
        load_desks(db, write(tmp_path, data))
    assert f"desk `{data['desks'][5]['key']}`" in str(error.value)
    assert db.scalar(select(Desk.name).where(Desk.key == data["desks"][3]["key"])) != "Nom changé"
    assert db.scalar(select(func.count()).select_from(OpeningSlot)) == before


def test_a_file_older_than_the_database_does_not_overwrite_it(db, tmp_path):
    key = SOURCE["desks"][0]["key"]
    desk = db.scalar(select(Desk).where(Desk.key == key))
    desk.name, desk.updated_on = "Nom mis à jour par un partenaire", dt.date(2026, 11, 27)
    db.flush()
    report = load_desks(db, CONTENT_DIR / "desks.yaml")
    assert report.kept == 1
    assert db.scalar(select(Desk.name).where(Desk.key == key)) == "Nom mis à jour par un partenaire"


def test_a_newer_file_updates_the_desk_and_replaces_its_hours(db, tmp_path):
    data = yaml.safe_load(yaml.safe_dump(SOURCE))
    data["desks"][1]["updated_on"] = dt.date(2026, 11, 28)
    data["desks"][1]["hours"] = {"sat": ["10:00-11:00"]}
    report = load_desks(db, write(tmp_path, data))
    assert report.updated >= 1
    desk = db.scalar(select(Desk).where(Desk.key == data["desks"][1]["key"]))
    db.refresh(desk)
    assert [(slot.weekday, slot.opens) for slot in desk.slots] == [(5, dt.time(10))]
