"""Migration 0015 on both backends: a grid stored before the grid language (its abnormal-delay flag derived
from territory.yaml) becomes a step read from the grid, equal to today's file, and no total changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import sessionmaker

from portal import migrations
from portal.cotation.dictionary import read_dictionary
from portal.cotation.grids import read_grid_file
from portal.cotation.models import GridRecord
from portal.cotation.services import grid_file_from_record, load_grids, stored_grids
from portal.demands.scoring import recompute
from tests.support import CONTENT_DIR

DICTIONARY = read_dictionary(CONTENT_DIR / "cotation" / "facts.yaml")
# The general grid as version 1 was when migration 0015 came (version 2 has since changed its rules).
GENERAL = read_grid_file(Path(__file__).parents[1] / "samples" / "grids" / "general-v1.yaml", DICTIONARY)
TODAY = dt.date(2026, 12, 7)


def _old_criteria(grid_id: int) -> list[dict]:
    """The general grid's criteria as version 0014 stored them: the delay as a derived flag."""
    rows = []
    for position, criterion in enumerate(GENERAL.grid.criteria):
        kind, fact, points = criterion.kind, criterion.fact, criterion.points
        if criterion.code == "delai_anormal":
            kind, fact, points = "flag", "abnormal_delay_exceeded", criterion.steps[0].points
        rows.append(
            {
                "grid_id": grid_id,
                "position": position,
                "code": criterion.code,
                "family": criterion.family,
                "kind": kind,
                "fact": fact,
                "points": points,
                "cap": criterion.cap,
                "bands": [{"min": b.minimum, "max": b.maximum, "points": b.points} for b in criterion.bands],
                "group_code": criterion.group,
                "verification": criterion.verification,
                "label": GENERAL.text.labels[criterion.code],
                "explanation": GENERAL.text.explanations[criterion.code],
                "question": GENERAL.text.questions.get(criterion.code, {}),
            }
        )
    return rows


def test_a_grid_of_before_the_language_keeps_every_total(empty_engine, tmp_path, monkeypatch):
    # The migration reads the delay from territory.yaml, as the flag was derived: the file as it was then.
    territory = yaml.safe_load((CONTENT_DIR / "territory.yaml").read_text(encoding="utf-8"))
    territory["abnormal_delay_months"] = 24
    (tmp_path / "territory.yaml").write_text(yaml.safe_dump(territory, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("PORTAL_CONTENT_DIR", str(tmp_path))
    engine = empty_engine
    migrations.upgrade(engine, "0014")
    meta = sa.MetaData()
    with engine.begin() as connection:
        tables = {name: sa.Table(name, meta, autoload_with=connection) for name in ("grid", "grid_criterion")}
        tables["commune"] = sa.Table("commune", meta, autoload_with=connection)
        tables["demand"] = sa.Table("demand", meta, autoload_with=connection)
        connection.execute(
            tables["commune"].insert(),
            {
                "insee": "72181",
                "name": "Le Mans",
                "postcodes": "72000",
                "latitude": 48.0,
                "longitude": 0.2,
                "ceiling_zone": "other",
            },
        )
        grid_id = connection.execute(
            tables["grid"].insert().returning(tables["grid"].c.id),
            {
                "code": "general",
                "kind": "general",
                "version": 1,
                "effective_from": dt.date(2026, 1, 1),
                "status": "active",
                "name": GENERAL.text.name,
                "groups": GENERAL.text.groups,
                "source": "cotation/general.yaml",
                "updated_at": dt.datetime.now(dt.UTC),
            },
        ).scalar_one()
        connection.execute(tables["grid_criterion"].insert(), _old_criteria(grid_id))
        # Hand-computed with the old rules (the delay of territory.yaml: 24 months, reached).
        demands = [
            ("30 months, DALO", dt.date(2024, 6, 1), {"dalo": True}, ["dalo"], 30 + 20 + 50),
            ("24 months to the day", dt.date(2024, 12, 7), {}, [], 24 + 20),
            ("23 months", dt.date(2025, 1, 1), {"hosted": True}, [], 23 + 15),
        ]
        for index, (_, filed_on, facts, checked, total) in enumerate(demands, start=1):
            connection.execute(
                tables["demand"].insert(),
                {
                    "id": index,
                    "number": f"0721224{index:06d}G0101",
                    "lookup_hash": "x",
                    "filed_on": filed_on,
                    "expires_on": filed_on + dt.timedelta(days=365),
                    "status": "active",
                    "mutation": False,
                    "dwelling_type": "T2",
                    "first_commune_insee": "72181",
                    "other_communes": "",
                    "household_size": 2,
                    "facts": facts,
                    "checked": checked,
                    "score_total": total,
                    "score_lines": [],
                    "grid_code": "general",
                    "grid_version": 1,
                    "scored_on": TODAY,
                },
            )
    migrations.upgrade(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    with sessions.begin() as session:
        record = session.scalar(sa.select(GridRecord).where(GridRecord.code == "general"))
        delay = next(item for item in record.criteria if item.code == "delai_anormal")
        assert (delay.kind, delay.fact, delay.options) == (
            "steps",
            "months_waiting",
            {"steps": [{"from": 24, "points": 20}]},
        )
        assert grid_file_from_record(record, DICTIONARY).grid == GENERAL.grid, "the file's rules exactly"
        grids = stored_grids(session, DICTIONARY)
    assert recompute(sessions, grids, TODAY, None) == (3, 0), "every demand scored, no total changed"
    with sessions.begin() as session:
        # Today's files bring version 2 beside it; version 1 stays as stored, for the scores made with it.
        report = load_grids(session, CONTENT_DIR)
        assert "general v2" in report.added and report.updated == [], report
        totals = session.execute(sa.text("SELECT score_total FROM demand ORDER BY id")).scalars().all()
    assert totals == [100, 44, 38]
