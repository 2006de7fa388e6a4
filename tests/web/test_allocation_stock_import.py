"""The allocations and stock files on both backends: a good file is applied (twice: the same result),
a file with one bad row changes nothing and reports every problem; the command line says what it did."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from portal import cli
from portal.demands.demo import DEMO_DAY
from portal.demands.imports.allocations import import_allocations
from portal.demands.imports.demands import import_demands
from portal.demands.imports.problems import Reason
from portal.demands.imports.reading import ImportRefused
from portal.demands.imports.stock import import_stock
from portal.demands.models import Allocation, Demand, DemandEvent, HousingStock
from tests.allocation_files import SAMPLES, allocation_rows, write_allocations_csv
from tests.demand_files import demand_rows, write_csv

TODAY = dt.date(2026, 11, 28)


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def demands(db, tmp_path) -> list[dict]:
    rows = list(demand_rows(80))
    import_demands(db, write_csv(tmp_path / "demands.csv", rows), TODAY)
    return rows


def test_an_allocations_file_is_applied_and_importing_it_again_changes_nothing(db, tmp_path, demands):
    rows = list(allocation_rows(demands, TODAY))
    assert len(rows) >= 3
    before = count(db, Allocation)
    path = write_allocations_csv(tmp_path / "allocations.csv", rows)
    report = import_allocations(db, path, TODAY)
    assert (report.rows, report.created, report.updated) == (len(rows), len(rows), 0)
    stored = db.scalar(select(Allocation).where(Allocation.demand_number == rows[0]["number"]))
    assert stored.allocated_on.isoformat() == rows[0]["allocated_on"]
    assert stored.priority == rows[0]["priority"]
    assert stored.lowest_quartile == {"1": True, "0": False, "": None}[rows[0]["lowest_quartile"]]
    again = import_allocations(db, path, TODAY)
    assert (again.created, again.updated) == (0, len(rows))
    assert count(db, Allocation) == before + len(rows)


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"number": "0720325999999G9999"}, "number", "not a stored demand"),
        ({"allocated_on": "2031-01-01"}, "allocated_on", "future"),
        ({"allocated_on": "2001-01-01"}, "allocated_on", "before the demand was filed"),
        ({"allocated_on": "hier"}, "allocated_on", "date"),
        ({"commune": "75056"}, "commune", "not a commune of the territory"),
        ({"dwelling_type": "studio"}, "dwelling_type", "T1, T2"),
        ({"landlord": ""}, "landlord", "is empty"),
        ({"priority": "urgent"}, "priority", "must be one of"),
        ({"qpv": "oui"}, "qpv", "0 or 1"),
        ({"lowest_quartile": "2"}, "lowest_quartile", "unknown"),
    ],
)
def test_one_bad_allocation_row_refuses_the_file(db, tmp_path, demands, changes, column, reason):
    rows = list(allocation_rows(demands, TODAY))
    rows[-1].update(changes)
    before = count(db, Allocation)
    with pytest.raises(ImportRefused) as refused:
        import_allocations(db, write_allocations_csv(tmp_path / "bad.csv", rows), TODAY)
    assert [(row, col) for row, col, _ in refused.value.problems] == [(len(rows) + 1, column)]
    assert reason in refused.value.problems[0][2]
    assert isinstance(refused.value.problems[0][2], Reason), "a msgid the workspace translates"
    assert count(db, Allocation) == before


def test_an_allocation_must_agree_with_the_demands_file(db, tmp_path, demands):
    active = next(row for row in demands if row["status"] == "active")
    allocated = next(iter(allocation_rows(demands, TODAY)))
    day = dt.date.fromisoformat(allocated["allocated_on"]) + dt.timedelta(days=1)
    rows = [
        {**allocated, "number": active["number"], "allocated_on": active["filed_on"]},
        {**allocated, "allocated_on": min(day, TODAY).isoformat()},
        allocated,  # the same demand twice
    ]
    with pytest.raises(ImportRefused) as refused:
        import_allocations(db, write_allocations_csv(tmp_path / "bad.csv", rows), TODAY)
    reasons = {(row, column): reason for row, column, reason in refused.value.problems}
    assert "not allocated in the demands file" in reasons[(2, "number")]
    assert "differs from the demands file" in reasons[(3, "allocated_on")]
    assert "twice" in reasons[(4, "number")]


def test_a_stock_file_replaces_the_years_it_contains_and_keeps_the_others(db, tmp_path):
    db.add(HousingStock(year=2024, commune_insee="72181", dwelling_type="T3", landlord="X", dwellings=9))
    db.add(HousingStock(year=2025, commune_insee="72181", dwelling_type="T3", landlord="X", dwellings=9))
    db.flush()
    before_2024 = db.scalar(select(func.count()).select_from(HousingStock).where(HousingStock.year == 2024))
    others = db.scalar(
        select(func.count()).select_from(HousingStock).where(HousingStock.year.not_in((2025, 2026)))
    )
    report = import_stock(db, SAMPLES / "stock.csv", TODAY)
    assert report.rows == 10 and report.years == (2025, 2026) and report.dwellings == 19317
    assert report.replaced >= 1
    assert (
        db.scalar(select(func.count()).select_from(HousingStock).where(HousingStock.year == 2024))
        == before_2024
    )
    total = count(db, HousingStock)
    assert total == others + 10
    again = import_stock(db, SAMPLES / "stock.csv", TODAY)
    assert again.replaced == 10 and count(db, HousingStock) == total
    t5 = db.scalar(select(HousingStock).where(HousingStock.year == 2025, HousingStock.dwellings == 800))
    assert t5.dwelling_type == "T5" and t5.financing == "PLUS"


def test_a_bad_stock_file_reports_every_problem_and_changes_nothing(db):
    before = count(db, HousingStock)
    with pytest.raises(ImportRefused) as refused:
        import_stock(db, SAMPLES / "stock_bad.csv", TODAY)
    assert refused.value.total == 6
    assert sorted((row, column) for row, column, _ in refused.value.problems) == [
        (3, "commune"),
        (4, "dwelling_type"),
        (4, "dwellings"),
        (4, "financing"),
        (5, "landlord"),
        (6, "landlord"),
    ]
    assert all(isinstance(reason, Reason) for *_, reason in refused.value.problems)
    assert count(db, HousingStock) == before


def test_a_stock_file_with_a_missing_column_is_refused(db, tmp_path):
    path = tmp_path / "stock.csv"
    path.write_text("year,commune,dwelling_type,landlord\n2025,72181,T1,X\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_stock(db, path, TODAY)
    assert refused.value.problems == [(1, "dwellings", "column missing from the header")]


def test_demo_allocations_match_the_demo_demands(db):
    """The session's demo demands (tests/conftest.py) come with one allocation each when allocated."""
    pairs = db.execute(
        select(
            Allocation.allocated_on, DemandEvent.occurred_on, Allocation.dwelling_type, Demand.dwelling_type
        )
        .join(Demand, Demand.number == Allocation.demand_number)
        .join(DemandEvent, (DemandEvent.demand_id == Demand.id) & (DemandEvent.kind == "allocation"))
    ).all()
    allocated = db.scalar(select(func.count()).select_from(Demand).where(Demand.status == "allocated"))
    assert len(pairs) == allocated > 0
    assert all(a == b and c == d for a, b, c, d in pairs)


def test_the_commands_import_allocations_and_stock_and_say_so(db_app, db, tmp_path):
    rows = list(demand_rows(40))
    import_demands(db, write_csv(tmp_path / "demands.csv", rows), TODAY)
    allocations = list(allocation_rows(rows, dt.date.today()))
    path = write_allocations_csv(tmp_path / "allocations.csv", allocations)
    runner = CliRunner()
    result = runner.invoke(cli.main, ["demands", "import-allocations", str(path)], obj=_script_info(db_app))
    assert result.exit_code == 0, result.output
    assert f"{len(allocations)} allocations imported ({len(allocations)} new, 0 replaced)" in result.output
    stock = shutil.copy(SAMPLES / "stock.csv", tmp_path / "stock.csv")
    result = runner.invoke(cli.main, ["demands", "import-stock", str(stock)], obj=_script_info(db_app))
    assert result.exit_code == 0, result.output
    assert "10 stock rows imported (19317 dwellings; years 2025, 2026;" in result.output
    bad = runner.invoke(
        cli.main, ["demands", "import-stock", str(SAMPLES / "stock_bad.csv")], obj=_script_info(db_app)
    )
    assert bad.exit_code == 1 and "6 problems, nothing imported" in bad.output
    assert "row 3, column commune: is not a commune of the territory" in bad.output


def _script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)


def test_init_demo_adds_allocations_and_a_stock_that_agree_with_the_demands(tmp_path):
    environ = {"PORTAL_INSTANCE_DIR": str(tmp_path), "PORTAL_ENV": "testing", "PORTAL_SECRET_KEY": "k" * 40}
    result = CliRunner().invoke(cli.main, ["init", "--demo"], env=environ, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Demonstration social housing stock:" in result.output
    engine = create_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    with Session(engine) as session:
        allocated = session.scalar(
            select(func.count()).select_from(Demand).where(Demand.status == "allocated")
        )
        assert count(session, Allocation) == allocated > 0
        stocked = set(
            session.execute(
                select(HousingStock.commune_insee, HousingStock.dwelling_type, HousingStock.landlord).where(
                    HousingStock.year == DEMO_DAY.year, HousingStock.dwellings > 0
                )
            ).all()
        )
        places = session.execute(
            select(Allocation.commune_insee, Allocation.dwelling_type, Allocation.landlord)
        )
        assert all(tuple(place) in stocked for place in places)
    again = CliRunner().invoke(cli.main, ["init", "--demo"], env=environ, catch_exceptions=False)
    assert "Demonstration social housing stock:" not in again.output, "added once"
    engine.dispose()
