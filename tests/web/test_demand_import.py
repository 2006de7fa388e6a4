"""Importing demands on both backends: a good file replaces them, scored; one bad row changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from portal import migrations
from portal.cotation.grids import read_grids
from portal.demands.imports.demands import import_demands
from portal.demands.imports.problems import Reason
from portal.demands.imports.reading import ImportRefused
from portal.demands.models import Demand, DemandEvent
from portal.demands.scoring import recompute, recompute_batch
from portal.territory.services import read_territory, sync_communes
from tests.demand_files import demand_rows, write_csv
from tests.support import CONTENT_DIR

GRIDS = read_grids(CONTENT_DIR / "cotation")[1]
TODAY = dt.date(2026, 11, 28)


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_a_good_file_replaces_the_demands_and_a_recompute_scores_them(db, tmp_path):
    path = write_csv(tmp_path / "demands.csv", demand_rows(250))
    report = import_demands(db, path, TODAY)
    assert report.demands == 250 == count(db, Demand)
    allocated = db.scalar(select(func.count()).select_from(Demand).where(Demand.status == "allocated"))
    assert report.allocations == allocated
    assert count(db, DemandEvent) == 250 + allocated
    read, active, changed, _ = recompute_batch(db.connection(), GRIDS, TODAY, None, batch=1000)
    assert read == 250 and active == changed == 250 - allocated
    again = recompute_batch(db.connection(), GRIDS, TODAY, None, batch=1000)
    assert again[2] == 0, "recomputing again changes nothing"
    demand = db.scalar(select(Demand).where(Demand.status == "active").limit(1))
    db.refresh(demand)
    assert demand.score_total is not None and demand.grid_version == 2 and demand.scored_on == TODAY
    assert demand.expires_on == demand.filed_on + dt.timedelta(days=365)


def bad(rows, row_index, **changes):
    rows = list(rows)
    rows[row_index] = {**rows[row_index], **changes}
    return rows


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"number": "123"}, "number", "18 characters"),
        ({"lookup_hash": "1985-07-14"}, "lookup_hash", "Argon2id"),
        ({"filed_on": "14/03/2025"}, "filed_on", "date"),
        ({"filed_on": "2030-01-01"}, "filed_on", "future"),
        ({"status": "waiting"}, "status", "must be one of"),
        ({"status": "allocated", "allocated_on": ""}, "allocated_on", "needed"),
        ({"dwelling_type": "T9"}, "dwelling_type", "T1"),
        ({"first_commune": "75056"}, "first_commune", "not a commune"),
        ({"household_size": "deux"}, "household_size", "whole number"),
        ({"dalo": "oui"}, "dalo", "0 or 1"),
        ({"housing_cost_ratio": "beaucoup"}, "housing_cost_ratio", "number"),
        ({"checked": "dalo astrology"}, "checked", "unknown fact"),
        ({"household_size": ""}, "household_size", "empty"),
        # columns of the dictionary of facts, read by their types
        ({"housing_situation": "castle"}, "housing_situation", "must be one of private_tenant"),
        ({"separated_on": "31/12/2025"}, "separated_on", "date"),
        ({"dependants": "-1"}, "dependants", "whole number, 0 or more"),
        ({"income": "beaucoup"}, "income", "number"),
    ],
)
def test_a_bad_row_is_reported_with_row_column_and_reason_and_nothing_changes(
    db, tmp_path, changes, column, reason
):
    before = (count(db, Demand), count(db, DemandEvent))
    path = write_csv(tmp_path / "demands.csv", bad(demand_rows(50), 30, **changes))
    with pytest.raises(ImportRefused) as error:
        import_demands(db, path, TODAY)
    assert error.value.problems[0][:2] == (32, column)  # row 32: the header is row 1
    assert reason in error.value.problems[0][2]
    assert isinstance(error.value.problems[0][2], Reason), "a msgid the workspace translates"
    assert (count(db, Demand), count(db, DemandEvent)) == before


def test_a_number_twice_and_a_missing_column_are_refused(db, tmp_path):
    rows = list(demand_rows(10))
    rows[5]["number"] = rows[2]["number"]
    with pytest.raises(ImportRefused, match="appears twice"):
        import_demands(db, write_csv(tmp_path / "twice.csv", rows), TODAY)
    header_only = tmp_path / "short.csv"
    header_only.write_text("number,filed_on\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="column missing"):
        import_demands(db, header_only, TODAY)


def test_the_report_lists_every_bad_row(db, tmp_path):
    rows = list(demand_rows(20))
    for index in (3, 7, 11):
        rows[index]["dwelling_type"] = "studio"
    with pytest.raises(ImportRefused) as error:
        import_demands(db, write_csv(tmp_path / "three.csv", rows), TODAY)
    assert [problem[0] for problem in error.value.problems] == [5, 9, 13]
    assert error.value.total == 3


def test_the_import_command_imports_then_scores(tmp_path):
    from click.testing import CliRunner

    from portal import cli

    environ = {"PORTAL_INSTANCE_DIR": str(tmp_path), "PORTAL_ENV": "testing", "PORTAL_SECRET_KEY": "k" * 40}
    runner = CliRunner()
    assert runner.invoke(cli.main, ["db", "upgrade"], env=environ).exit_code == 0
    assert runner.invoke(cli.main, ["territory", "load"], env=environ).exit_code == 0
    unscored = runner.invoke(
        cli.main, ["demands", "import", str(write_csv(tmp_path / "d.csv", demand_rows(40)))], env=environ
    )
    assert "no grid in force" in unscored.output, "without grids, the command says so"
    assert runner.invoke(cli.main, ["cotation", "load"], env=environ).exit_code == 0
    good = runner.invoke(
        cli.main, ["demands", "import", str(write_csv(tmp_path / "d.csv", demand_rows(40)))], env=environ
    )
    assert good.exit_code == 0, good.output
    active = sum(1 for row in demand_rows(40) if row["status"] == "active")
    assert "40 demands" in good.output and f"{active} active demands scored" in good.output
    rows = list(demand_rows(40))
    rows[10]["status"] = "lost"
    refused = runner.invoke(
        cli.main, ["demands", "import", str(write_csv(tmp_path / "e.csv", rows))], env=environ
    )
    assert refused.exit_code == 1 and "row 12, column status" in refused.output


def test_demands_added_after_an_import_get_fresh_ids(db, tmp_path):
    from portal.demands.demo import generate

    import_demands(db, write_csv(tmp_path / "demands.csv", demand_rows(30)), TODAY)
    generate(db, GRIDS, ["72181"], 2, TODAY, None, seed=3)  # through the ORM: ids from the sequence
    assert count(db, Demand) == 32


def test_the_full_recompute_scores_in_batches_with_a_second_process_and_is_idempotent(db, tmp_path):
    """Several batches: the scoring runs in a second process; the result is the one-connection result."""
    import_demands(db, write_csv(tmp_path / "demands.csv", demand_rows(250)), TODAY)
    sessions = sessionmaker(bind=db.connection(), join_transaction_mode="create_savepoint")
    active = db.scalar(select(func.count()).select_from(Demand).where(Demand.status == "active"))
    assert recompute(sessions, GRIDS, TODAY, None, batch=40) == (active, active)
    assert recompute(sessions, GRIDS, TODAY, None, batch=40) == (active, 0), "a second run changes nothing"
    db.expire_all()
    stored = {
        number: (total, lines)
        for number, total, lines in db.execute(
            select(Demand.number, Demand.score_total, Demand.score_lines).where(Demand.status == "active")
        )
    }
    assert None not in {total for total, _ in stored.values()}
    # Scores computed one demand at a time, in this process, agree with the batches' stored ones.
    db.execute(Demand.__table__.update().values(score_total=None, score_lines=[]))
    recompute_batch(db.connection(), GRIDS, TODAY, None, batch=1000)
    db.expire_all()
    for demand in db.scalars(select(Demand).where(Demand.status == "active")):
        assert (demand.score_total, demand.score_lines) == stored[demand.number]
        assert sum(line["points"] for line in demand.score_lines if line["counted"]) == demand.score_total
    assert recompute(sessions, GRIDS, TODAY + dt.timedelta(days=40), None, batch=40)[1] > 0, (
        "a month later, seniority moves the scores"
    )


def test_on_its_own_database_the_scoring_processes_write_their_batches(empty_engine, tmp_path):
    """Bound to an engine (the app's database, not a test's open transaction), the two scoring processes
    write the batches they score, on their own connections: the result is the one-connection result."""
    migrations.upgrade(empty_engine)
    sessions = sessionmaker(empty_engine, expire_on_commit=False)
    with sessions.begin() as session:
        sync_communes(session, read_territory(CONTENT_DIR))
        import_demands(session, write_csv(tmp_path / "demands.csv", demand_rows(250)), TODAY)
    with sessions() as session:
        active = session.scalar(select(func.count()).select_from(Demand).where(Demand.status == "active"))
    assert recompute(sessions, GRIDS, TODAY, None, batch=40) == (active, active)
    assert recompute(sessions, GRIDS, TODAY, None, batch=40) == (active, 0), "a second run changes nothing"
    lines = select(Demand.number, Demand.score_lines).where(Demand.status == "active")
    with sessions() as session:
        stored = dict(session.execute(lines).all())
    with sessions.begin() as session:
        session.execute(Demand.__table__.update().values(score_total=None, score_lines=[]))
        recompute_batch(session.connection(), GRIDS, TODAY, None, batch=1000)
    with sessions() as session:
        assert dict(session.execute(lines).all()) == stored
        assert None not in set(session.scalars(select(Demand.score_total).where(Demand.status == "active")))


def test_the_dictionary_s_columns_are_stored_by_their_types(db, tmp_path):
    rows = list(demand_rows(3))
    rows[0].update(
        separated_on="2025-02-03", housing_situation="with_family", dependants="0", income="12000,5", dalo="0"
    )
    import_demands(db, write_csv(tmp_path / "demands.csv", rows), TODAY)
    facts = db.scalar(select(Demand.facts).order_by(Demand.id).limit(1))
    assert facts["separated_on"] == "2025-02-03" and facts["housing_situation"] == "with_family"
    assert facts["income"] == 12000.5
    assert "dependants" not in facts and "dalo" not in facts, "a no and a zero are what a missing fact means"
    unknown = [{**rows[0], "astrology": "1"}]
    path = write_csv(tmp_path / "unknown.csv", unknown, [*rows[0], "astrology"])
    with pytest.raises(ImportRefused, match="astrology"):
        import_demands(db, path, TODAY)
