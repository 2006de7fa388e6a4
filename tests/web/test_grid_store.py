"""Grids in the database, on both backends: loaded from the files, read back identical, versions kept."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml
from sqlalchemy import func, select

from portal.content import ContentError
from portal.cotation.grids import grid_in_force, read_grids
from portal.cotation.models import CriterionRecord, GridRecord
from portal.cotation.services import grid_version, grids_in_force, load_grids, stored_grids
from portal.revision import ContentRevision
from tests.support import CONTENT_DIR


@pytest.fixture
def content(tmp_path):
    """A copy of the grid files to change."""
    (tmp_path / "cotation").mkdir()
    for path in (CONTENT_DIR / "cotation").glob("*.yaml"):
        shutil.copy(path, tmp_path / "cotation" / path.name)
    return tmp_path


def edit(content, name: str, change) -> None:
    path = content / "cotation" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def criterion(data: dict, code: str) -> dict:
    return next(item for item in data["criteria"] if item["code"] == code)


def snapshot(db) -> tuple:
    return (
        db.scalar(select(func.count()).select_from(GridRecord)),
        db.scalar(select(func.count()).select_from(CriterionRecord)),
        db.scalar(select(ContentRevision.number)),
        tuple(item.grid for item in stored_grids(db)),
    )


def test_the_stored_grids_are_the_files_grids(db):
    files = read_grids(CONTENT_DIR / "cotation")[1]
    stored = stored_grids(db)
    assert sorted(stored, key=lambda item: item.grid.code) == sorted(files, key=lambda item: item.grid.code)
    day = dt.date(2026, 11, 28)
    assert [item.grid.kind for item in grids_in_force(db, day)] == ["general", "mutation"]
    assert grids_in_force(db, day)[0] == grid_in_force(files, "general", day)
    assert load_grids(db, CONTENT_DIR).unchanged and not load_grids(db, CONTENT_DIR).updated


def test_a_new_text_updates_the_version_in_place_and_shows_at_once(db, content):
    load_grids(db, content)
    revision = db.scalar(select(ContentRevision.number))
    edit(content, "general.yaml", lambda data: criterion(data, "dalo")["label"].update(fr="DALO reconnu"))
    report = load_grids(db, content)
    assert report.updated == ["general v2"] and report.unchanged == ["mutation v1"]
    assert db.scalar(select(ContentRevision.number)) == revision + 1, "every worker is told"
    general = grids_in_force(db, dt.date(2026, 11, 28))[0]
    assert general.text.labels["dalo"]["fr"] == "DALO reconnu"


def test_other_rules_under_the_same_version_are_refused_and_nothing_changes(db, content):
    load_grids(db, content)
    before = snapshot(db)
    edit(content, "general.yaml", lambda data: criterion(data, "dalo").update(points=999))
    with pytest.raises(ContentError, match="give the file a new `version`") as error:
        load_grids(db, content)
    assert "general.yaml" in str(error.value)
    db.rollback()
    assert snapshot(db) == before


def test_a_new_version_is_added_the_old_one_kept_for_the_scores_made_with_it(db, content):
    old = grids_in_force(db, dt.date(2026, 11, 28))[0].grid

    def second_version(data):
        data.update(version=old.version + 1, effective_from=dt.date(2027, 3, 1))
        criterion(data, "dalo")["points"] += 100

    shutil.copy(content / "cotation" / "general.yaml", content / "cotation" / "general-2.yaml")
    edit(content, "general-2.yaml", second_version)
    report = load_grids(db, content)
    assert report.added == [f"general v{old.version + 1}"]
    assert grids_in_force(db, dt.date(2027, 2, 28))[0].grid == old, "not before its effective date"
    new = grids_in_force(db, dt.date(2027, 3, 1))[0].grid
    assert new.version == old.version + 1
    assert {c.code: c.points for c in new.criteria}["dalo"] == {c.code: c.points for c in old.criteria}[
        "dalo"
    ] + 100
    assert grid_version(db, old.code, old.version).grid == old


def test_a_draft_may_change_its_rules_and_is_never_in_force(db, content):
    def draft(data):
        data.update(version=9, status="draft", effective_from=dt.date(2026, 1, 1))

    shutil.copy(content / "cotation" / "general.yaml", content / "cotation" / "general-9.yaml")
    edit(content, "general-9.yaml", draft)
    load_grids(db, content)
    edit(content, "general-9.yaml", lambda data: criterion(data, "dalo").update(points=1))
    assert load_grids(db, content).updated == ["general v9"]
    draft_grid = grid_version(db, "general", 9)
    assert draft_grid.status == "draft"
    assert {c.code: c.points for c in draft_grid.grid.criteria}["dalo"] == 1
    assert all(item.status == "active" for item in grids_in_force(db, dt.date(2026, 11, 28)))


def test_a_bad_file_or_a_version_defined_twice_loads_nothing(db, content):
    before = snapshot(db)
    shutil.copy(content / "cotation" / "general.yaml", content / "cotation" / "general-copy.yaml")
    with pytest.raises(ContentError, match="also defined in"):
        load_grids(db, content)
    (content / "cotation" / "general-copy.yaml").unlink()
    edit(content, "mutation.yaml", lambda data: data["criteria"][0].update(kind="sometimes"))
    with pytest.raises(ContentError, match=r"mutation\.yaml: criterion `\w+`: `kind`"):
        load_grids(db, content)
    db.rollback()
    assert snapshot(db) == before


def test_a_version_retired_in_the_workspace_stays_retired_when_the_files_load_again(db):
    record = db.scalar(select(GridRecord).where(GridRecord.code == "general", GridRecord.version == 2))
    record.status = "retired"
    db.flush()
    report = load_grids(db, CONTENT_DIR)
    assert "general v2" in report.unchanged
    db.expire_all()
    assert db.scalar(
        select(GridRecord.status).where(GridRecord.code == "general", GridRecord.version == 2)
    ) == ("retired")
