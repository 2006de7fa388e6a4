"""The `portal` command: Flask's commands plus one group per area (thin: they call the areas' operations
and jobs, as the workspace's controllers do), `init` and the job consumer (`worker`)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import func, select

from portal import clock, create_app, db, jobs, migrations
from portal.cli import cotation, demands, desks, guides, information, observatory, partners
from portal.demands.models import Demand
from portal.demands.scoring import rescore_all
from portal.demands.services import hashes_with_other_parameters
from portal.priority.demo import add_demo_objectives
from portal.rehousing.demo import add_demo_operation


@click.group(cls=FlaskGroup, create_app=create_app)
def main() -> None:
    """Manage the demander portal."""


for module in (information, desks, cotation, demands, observatory, guides, partners):
    for command in module.COMMANDS:
        main.add_command(command)


@main.command("init")
@click.option("--demo", is_flag=True, help="Also load demonstration data.")
@with_appcontext
def init_command(demo: bool) -> None:
    """Create or upgrade the database and load the territory from content/."""
    migrations.upgrade(db.database().engine)
    click.echo("Database schema is up to date.")
    information.load_territory()
    desks.load_desks_file()
    information.load_content()
    cotation.load_grid_files()
    if demo:
        with db.database().sessions() as session:
            has_demands = session.scalar(select(func.count()).select_from(Demand))
        if not has_demands:
            demands.add_demo_demands(2000)
            rescore_all()
        demands.add_demo_stock()
        with db.database().sessions() as session:
            add_demo_operation(session, clock.today())
            add_demo_objectives(session, clock.today())
            session.commit()
        click.echo("Demonstration data: the territory is marked as such on every page.")
    with db.database().sessions() as session:
        stale = hashes_with_other_parameters(session)
    if stale:
        click.echo(
            f"Warning: {stale} demands have look-up hashes made with other Argon2 parameters than the "
            "portal's (see the demands file format): import a new demands file to replace them.",
            err=True,
        )
    observatory.refresh_figures()


@main.command("worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at the same time by this consumer.")
@with_appcontext
def worker_command(workers: int) -> None:
    """Run the job consumer: data imports, grid impacts and activations, e-mails, guides to print, and
    the periodic tasks (run one or more, on any machine sharing the database, and Redis when
    PORTAL_REDIS_URL is set)."""
    settings = current_app.config["PORTAL_SETTINGS"]
    if settings.jobs_immediate:
        raise click.UsageError("jobs run inside the caller in testing: nothing to consume")
    queue = "Redis" if settings.redis_url else "instance/jobs.db"
    click.echo(f"Job consumer: {workers} workers, queue in {queue}.")
    jobs.run_consumer(current_app._get_current_object(), workers)


@main.group("db")
def db_group() -> None:
    """Database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    migrations.upgrade(db.database().engine, revision)
    click.echo(f"Database upgraded to {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION."""
    migrations.downgrade(db.database().engine, revision)
    click.echo(f"Database downgraded to {revision}.")
