"""Importing the demands' history on both backends: a good file replaces it; one bad row changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from portal.demands.imports.demands import import_demands
from portal.demands.imports.events import import_events
from portal.demands.imports.problems import Reason
from portal.demands.imports.reading import ImportRefused
from portal.demands.models import Demand, DemandEvent
from portal.demands.services import latest_decision
from tests.demand_files import demand_rows, event_rows, write_csv, write_events_csv

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def demands(db, tmp_path) -> list[dict]:
    rows = list(demand_rows(60))
    import_demands(db, write_csv(tmp_path / "demands.csv", rows), TODAY)
    return rows


def history(db) -> list[tuple]:
    return db.execute(
        select(DemandEvent.demand_id, DemandEvent.kind, DemandEvent.occurred_on, DemandEvent.rank).order_by(
            DemandEvent.id
        )
    ).all()


def test_a_good_file_replaces_the_history_and_keeps_filings_and_allocations(db, tmp_path, demands):
    rows = list(event_rows(demands))
    filed_and_allocated = db.scalar(select(func.count()).select_from(DemandEvent))
    report = import_events(db, write_events_csv(tmp_path / "events.csv", rows), TODAY)
    assert report.events == len(rows) and sum(report.by_kind.values()) == len(rows)
    assert set(report.by_kind) <= {"renewed", "offer", "decision", "refusal"}
    assert db.scalar(select(func.count()).select_from(DemandEvent)) == filed_and_allocated + len(rows)
    # Again: the file replaces what the previous one brought, it does not add to it.
    import_events(db, write_events_csv(tmp_path / "events.csv", rows), TODAY)
    assert db.scalar(select(func.count()).select_from(DemandEvent)) == filed_and_allocated + len(rows)
    decision = next(row for row in rows if row["kind"] == "decision")
    demand = db.scalar(select(Demand).where(Demand.number == decision["number"]))
    db.refresh(demand)
    latest = latest_decision(demand)
    assert (latest.rank, latest.reasons) == (decision["rank"], decision["reasons"])


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"number": "0720325999999G9999"}, "number", "not a stored demand"),
        ({"number": "12"}, "number", "18 characters"),
        ({"kind": "allocation"}, "kind", "demands file"),
        ({"kind": "party"}, "kind", "must be one of"),
        ({"occurred_on": "2031-01-01"}, "occurred_on", "future"),
        ({"occurred_on": "2019-01-01"}, "occurred_on", "before the demand was filed"),
        ({"occurred_on": "hier"}, "occurred_on", "date"),
        ({"kind": "refusal", "rank": "2"}, "rank", "only for a committee decision"),
        ({"kind": "decision", "rank": "0"}, "rank", "between 1 and 99"),
        ({"kind": "decision", "rank": "premier"}, "rank", "whole number"),
        ({"reasons": "x" * 1001}, "reasons", "longer than"),
        ({"dwelling_type": "T7"}, "dwelling_type", "T1"),
        ({"commune": "75056"}, "commune", "not a commune"),
        ({"kind": ""}, "kind", "empty"),
    ],
)
def test_a_bad_row_is_reported_and_the_history_is_left_as_it_was(
    db, tmp_path, demands, changes, column, reason
):
    import_events(db, write_events_csv(tmp_path / "first.csv", event_rows(demands[:20])), TODAY)
    before = history(db)
    rows = [{"number": row["number"], "kind": "renewed", "occurred_on": "2025-06-01"} for row in demands]
    for row, demand in zip(rows, demands, strict=True):  # valid dates: after each filing
        row["occurred_on"] = max(dt.date.fromisoformat(demand["filed_on"]), dt.date(2025, 6, 1)).isoformat()
    rows[40] = {**rows[40], **changes}
    with pytest.raises(ImportRefused) as error:
        import_events(db, write_events_csv(tmp_path / "events.csv", rows), TODAY)
    assert error.value.problems[0][:2] == (42, column), error.value.problems  # the header is row 1
    assert reason in error.value.problems[0][2]
    assert isinstance(error.value.problems[0][2], Reason), "a msgid the workspace translates"
    assert history(db) == before


def test_every_bad_row_is_listed_even_across_batches(db, tmp_path, demands, monkeypatch):
    from portal.demands.imports import events

    monkeypatch.setattr(events, "BATCH", 7)
    rows = [{"number": row["number"], "kind": "renewed", "occurred_on": row["filed_on"]} for row in demands]
    for index in (3, 20, 55):
        rows[index]["kind"] = "moved"
    with pytest.raises(ImportRefused) as error:
        import_events(db, write_events_csv(tmp_path / "events.csv", rows), TODAY)
    assert [problem[0] for problem in error.value.problems] == [5, 22, 57]
    assert db.scalar(select(func.count()).select_from(DemandEvent).where(DemandEvent.kind == "renewed")) == 0


def test_the_events_command_reports_what_it_imported(tmp_path):
    from click.testing import CliRunner

    from portal import cli

    environ = {"PORTAL_INSTANCE_DIR": str(tmp_path), "PORTAL_ENV": "testing", "PORTAL_SECRET_KEY": "k" * 40}
    runner = CliRunner()
    for command in (["db", "upgrade"], ["territory", "load"], ["cotation", "load"]):
        assert runner.invoke(cli.main, command, env=environ).exit_code == 0
    rows = list(demand_rows(30))
    assert (
        runner.invoke(
            cli.main, ["demands", "import", str(write_csv(tmp_path / "d.csv", rows))], env=environ
        ).exit_code
        == 0
    )
    events = list(event_rows(rows))
    good = runner.invoke(
        cli.main, ["demands", "import-events", str(write_events_csv(tmp_path / "e.csv", events))], env=environ
    )
    assert good.exit_code == 0, good.output
    assert f"{len(events)} events imported" in good.output
    events[0]["kind"] = "filed"
    refused = runner.invoke(
        cli.main, ["demands", "import-events", str(write_events_csv(tmp_path / "f.csv", events))], env=environ
    )
    assert refused.exit_code == 1 and "row 2, column kind" in refused.output
