"""`portal demands …` and `portal demo …`: the data files imported from the command line (the same checks
and work as the workspace's imports, with progress bars), and demonstration data."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from portal import clock, db
from portal.cli.cotation import rescore_with_bar
from portal.cli.observatory import refresh_figures
from portal.cli.progress import progress_bar
from portal.cotation.grids import grid_in_force
from portal.cotation.services import stored_grids
from portal.demands.chances import rebuild_outcomes
from portal.demands.demo import DEMO_DAY, generate_stock
from portal.demands.demo import generate as generate_demands
from portal.demands.imports.allocations import import_allocations
from portal.demands.imports.demands import import_demands
from portal.demands.imports.events import import_events
from portal.demands.imports.reading import ImportRefused, count_rows
from portal.demands.imports.stock import import_stock
from portal.demands.jobs import send_due_reminders
from portal.demands.models import HousingStock
from portal.information.services import scoring_ceilings
from portal.territory.services import current_territory

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group("demands")
def demands_group() -> None:
    """Demand records."""


def run_import(importer, file: Path):
    """One file imported in one transaction, with a progress bar; refused: nothing changes."""
    try:
        with (
            progress_bar(f"Reading {file.name}", count_rows(file)) as advance,
            db.database().sessions.begin() as session,
        ):
            return importer(session, file, clock.today(), advance)
    except ImportRefused as exc:
        raise click.ClickException(f"{file}: {exc}") from exc


@demands_group.command("import")
@click.argument("file", type=FILE)
@with_appcontext
def demands_import(file: Path) -> None:
    """Replace the demands with those of FILE (CSV, see portal/demands/imports/demands.py); a bad row:
    nothing changes."""
    report = run_import(import_demands, file)
    rate = report.demands / report.seconds if report.seconds else 0
    click.echo(
        f"{report.demands} demands and {report.allocations} allocations imported "
        f"in {report.seconds:.1f} s ({rate:,.0f} rows a second). Scoring them:"
    )
    with db.database().sessions() as session:
        if not grid_in_force(stored_grids(session), "general", clock.today()):
            click.echo("Warning: no grid in force (run `portal cotation load`): the demands are not scored.")
    started = time.perf_counter()
    scored, _ = rescore_with_bar()
    click.echo(f"{scored} active demands scored in {time.perf_counter() - started:.1f} s.")
    refresh_outcomes()
    refresh_figures()


@demands_group.command("import-events")
@click.argument("file", type=FILE)
@with_appcontext
def demands_import_events(file: Path) -> None:
    """Replace the demands' history (decisions, offers, refusals…) with FILE's; any bad row: nothing."""
    report = run_import(import_events, file)
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(report.by_kind.items()))
    click.echo(f"{report.events} events imported ({kinds or 'none'}) in {report.seconds:.1f} s.")
    started = time.perf_counter()
    scored, changed = rescore_with_bar()  # a grid may count refusals
    seconds = time.perf_counter() - started
    click.echo(f"{scored} active demands scored in {seconds:.1f} s ({changed} changed).")
    refresh_outcomes()
    refresh_figures()


@demands_group.command("import-allocations")
@click.argument("file", type=FILE)
@with_appcontext
def demands_import_allocations(file: Path) -> None:
    """Add or replace the allocations (details per demand) of FILE; any bad row: nothing."""
    report = run_import(import_allocations, file)
    click.echo(
        f"{report.rows} allocations imported ({report.created} new, {report.updated} replaced) "
        f"in {report.seconds:.1f} s."
    )
    refresh_figures()


@demands_group.command("import-stock")
@click.argument("file", type=FILE)
@with_appcontext
def demands_import_stock(file: Path) -> None:
    """Replace the social housing stock of the years in FILE (RPLS-like CSV); any bad row: nothing."""
    report = run_import(import_stock, file)
    years = ", ".join(str(year) for year in report.years) or "none"
    click.echo(
        f"{report.rows} stock rows imported ({report.dwellings} dwellings; years {years}; "
        f"{report.replaced} stored rows replaced) in {report.seconds:.1f} s."
    )
    refresh_figures()


@click.group("demo")
def demo_group() -> None:
    """Demonstration data."""


@demo_group.command("demands")
@click.option("--count", default=2000, show_default=True, help="How many demands to add.")
@click.option(
    "--seed", default=72, show_default=True, help="The random seed (the same seed gives the same data)."
)
@with_appcontext
def demo_demands(count: int, seed: int) -> None:
    """Add demonstration demands and allocations; print three numbers that can be looked up."""
    add_demo_demands(count, seed)


def add_demo_demands(count: int, seed: int = 72) -> None:
    territory = current_territory()
    communes = [commune.insee for commune in territory.communes]
    with db.database().sessions.begin() as session:
        samples = generate_demands(
            session,
            stored_grids(session),
            communes,
            count,
            DEMO_DAY,
            scoring_ceilings(DEMO_DAY),
            seed,
        )
    refresh_outcomes()
    click.echo(f"{count} demonstration demands added. Demands to look up (number, date of birth):")
    for number, birth_date in samples:
        click.echo(f"  {number}  {birth_date.strftime('%d/%m/%Y')}")


@demands_group.command("outcomes")
@with_appcontext
def demands_outcomes() -> None:
    """Count again what past demands became (the outcome curve and the what-if); safe to run again."""
    refresh_outcomes()


@demands_group.command("remind")
@with_appcontext
def demands_remind() -> None:
    """Send the renewal reminders due today and delete the lapsed ones (the consumer does it daily)."""
    sent, deleted = send_due_reminders()
    click.echo(f"{sent} renewal reminders queued, {deleted} lapsed reminders or requests deleted.")


def refresh_outcomes() -> None:
    """What past demands became, counted again (the outcome curve and the what-if read it)."""
    started = time.perf_counter()
    with db.database().sessions.begin() as session:
        rows = rebuild_outcomes(session, clock.today())
    seconds = time.perf_counter() - started
    click.echo(f"Outcomes of past demands counted ({rows} segment-months) in {seconds:.1f} s.")


def add_demo_stock() -> None:
    """The demo social housing stock of the last two years' counts, unless some stock is stored."""
    with db.database().sessions.begin() as session:
        if session.scalar(select(func.count()).select_from(HousingStock)):
            return
        years = (DEMO_DAY.year - 1, DEMO_DAY.year)
        rows = generate_stock(session, years)
    click.echo(f"Demonstration social housing stock: {rows} rows for {years[0]} and {years[1]}.")


COMMANDS = (demands_group, demo_group)
