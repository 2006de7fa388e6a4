"""The `portal` command: init creates a working database; migrations go down and up again."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import create_engine, inspect

from portal import cli
from portal.config import load_settings


def run(tmp_path, *args):
    environ = {"PORTAL_INSTANCE_DIR": str(tmp_path), "PORTAL_ENV": "testing", "PORTAL_SECRET_KEY": "k" * 40}
    load_settings(environ)  # fail early with a clear message if the environment is wrong
    return CliRunner().invoke(cli.main, list(args), env=environ, catch_exceptions=False)


def test_init_demo_creates_the_database_and_loads_the_territory(tmp_path):
    result = run(tmp_path, "init", "--demo")
    assert result.exit_code == 0, result.output
    assert "20 communes (20 added or updated, 0 removed)" in result.output
    engine = create_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    assert "commune" in inspect(engine).get_table_names()
    assert "Observatory figures of " in result.output
    with engine.connect() as connection:
        snapshots = connection.exec_driver_sql("SELECT figures FROM observatory_snapshot").all()
    assert len(snapshots) == 1 and '"communes"' in snapshots[0][0]
    assert "Outcomes of past demands counted" in result.output
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT sum(demands) FROM demand_outcome").scalar() > 100
    counted = run(tmp_path, "demands", "outcomes")
    assert counted.exit_code == 0 and "segment-months" in counted.output
    reminded = run(tmp_path, "demands", "remind")
    assert reminded.exit_code == 0 and reminded.output.startswith("0 renewal reminders queued, 0 lapsed")
    again = run(tmp_path, "init", "--demo")
    assert "(0 added or updated, 0 removed)" in again.output
    with engine.connect() as connection:  # the demonstration rehousing operation, made once
        assert connection.exec_driver_sql("SELECT count(*) FROM rehousing_operation").scalar() == 1
        assert connection.exec_driver_sql("SELECT count(*) FROM priority_objective").scalar() == 6
        holders = connection.exec_driver_sql("SELECT count(*) FROM allocation WHERE holder != ''").scalar()
        assert holders == connection.exec_driver_sql("SELECT count(*) FROM allocation").scalar() > 0
        statuses = dict(
            connection.exec_driver_sql("SELECT status, count(*) FROM rehousing_household GROUP BY 1").all()
        )
    assert sum(statuses.values()) == 48 and set(statuses) == {
        "not_started",
        "in_progress",
        "rehoused",
        "left",
    }
    refreshed = run(tmp_path, "observatory", "refresh")
    assert refreshed.exit_code == 0 and refreshed.output.startswith("Observatory figures of ")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM observatory_snapshot").scalar() == 3
    engine.dispose()


def test_migrations_go_down_and_up_again(tmp_path):
    assert run(tmp_path, "db", "upgrade").exit_code == 0
    assert run(tmp_path, "db", "downgrade", "base").exit_code == 0
    engine = create_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    assert "commune" not in inspect(engine).get_table_names()
    assert run(tmp_path, "db", "upgrade").exit_code == 0
    assert "commune" in inspect(engine).get_table_names()
    engine.dispose()


def test_territory_load_reports_what_it_did(tmp_path):
    run(tmp_path, "db", "upgrade")
    result = run(tmp_path, "territory", "load")
    assert "Territory Le Mans Métropole: 20 communes" in result.output
