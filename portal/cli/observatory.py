"""`portal observatory refresh`: the public figures (the job consumer computes them every night and
after every import)."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from portal import clock, db
from portal.observatory.services import refresh


@click.group("observatory")
def observatory_group() -> None:
    """The observatory's public figures."""


@observatory_group.command("refresh")
@with_appcontext
def observatory_refresh() -> None:
    """Compute the public figures of the twelve months before today."""
    refresh_figures()


def refresh_figures() -> None:
    started = time.perf_counter()
    with db.database().sessions.begin() as session:
        snapshot = refresh(session, clock.today())
        period = f"{snapshot.period_start.isoformat()} to {snapshot.period_end.isoformat()}"
    click.echo(f"Observatory figures of {period} computed in {time.perf_counter() - started:.1f} s.")


COMMANDS = (observatory_group,)
