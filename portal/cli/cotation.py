"""`portal cotation …`: the grids of content/cotation/, the daily rescoring and the versions whose date
has come (the job consumer runs both every night; the commands are for manual use)."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from portal import clock, db
from portal.cli.progress import progress_bar
from portal.content import ContentError
from portal.cotation.services import load_grids
from portal.demands.scoring import demand_count, rescore_all, take_effect


@click.group("cotation")
def cotation_group() -> None:
    """The score of the demands."""


@cotation_group.command("load")
@with_appcontext
def cotation_load() -> None:
    """Store the grids of content/cotation/ (new versions added, texts and status updated)."""
    load_grid_files()


def load_grid_files() -> None:
    """Load the grids in one transaction: a bad file is reported and nothing changes."""
    try:
        with db.database().sessions.begin() as session:
            report = load_grids(session, current_app.config["PORTAL_SETTINGS"].content_dir)
    except ContentError as exc:
        raise click.ClickException(f"grids not loaded, nothing changed:\n{exc}") from exc
    click.echo(
        f"Grids: {len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged."
    )


def rescore_with_bar() -> tuple[int, int]:
    with progress_bar("Scoring", demand_count()) as advance:
        return rescore_all(progress=advance)


@cotation_group.command("recompute")
@with_appcontext
def cotation_recompute() -> None:
    """Rescore every active demand with the grid in force today (safe to run again)."""
    started = time.perf_counter()
    scored, changed = rescore_with_bar()
    click.echo(
        f"{scored} active demands scored, {changed} changed, in {time.perf_counter() - started:.1f} s."
    )


@cotation_group.command("activate-due")
@with_appcontext
def cotation_activate_due() -> None:
    """Put in force the grid versions activated for a later date once that day has come: the version they
    replace is retired and every active demand is rescored (the job consumer does it every night)."""
    with db.database().sessions.begin() as session:
        due = take_effect(session, clock.today())
    if not due:
        click.echo("No grid version takes effect today.")
        return
    started = time.perf_counter()
    scored, changed = rescore_with_bar()
    click.echo(
        f"In force today: {', '.join(due)}. {scored} active demands scored, {changed} changed, "
        f"in {time.perf_counter() - started:.1f} s."
    )


COMMANDS = (cotation_group,)
