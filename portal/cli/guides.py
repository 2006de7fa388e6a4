"""`portal guides build`: print guides into the cache, and copy them for a print shop (the job consumer
prints every public document after each publication and every night)."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.guides import documents
from portal.guides.jobs import print_document


@click.group("guides")
def guides_group() -> None:
    """PDF guides."""


@guides_group.command("build")
@click.option(
    "--all", "build_all", is_flag=True, help="Every guide, sheet and commune edition in every locale."
)
@click.option("--locale", "locales", multiple=True, help="Only these locales (repeat the option).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also copy the PDFs into this folder (for a print shop).",
)
@with_appcontext
def guides_build(build_all: bool, locales: tuple[str, ...], out: Path | None) -> None:
    """Print guides into the cache: the applicant's guide in each locale, the easy-to-read guide, the
    grid sheet; with --all also every commune edition and every desk sheet."""
    settings = current_app.config["PORTAL_SETTINGS"]
    chosen = [code for code in settings.locales if not locales or code in locales]
    unknown = set(locales) - set(settings.locales)
    if unknown:
        raise click.BadParameter(
            f"not a locale of the portal: {', '.join(sorted(unknown))}", param_hint="--locale"
        )
    with current_app.test_request_context(base_url=settings.public_url):
        every = documents.public_documents()
    wanted = [
        (kind, code, target)
        for kind, code, target in every
        if code in chosen and (build_all or kind in ("guide", "easy", "grid"))
    ]
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    built = reused = size = 0
    started = time.perf_counter()
    with click.progressbar(wanted, label="Guides", show_pos=True, item_show_func=_label) as bar:
        for spec in bar:
            with current_app.test_request_context(base_url=settings.public_url):
                document = documents.build(*spec)
                pdf, printed = print_document(document)
            built, reused, size = built + printed, reused + (not printed), size + len(pdf)
            if out is not None:
                (out / document.filename).write_bytes(pdf)
    click.echo(
        f"{len(wanted)} documents ({built} rendered, {reused} already in the cache, {size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s" + (f"; copies in {out}." if out else ".")
    )


def _label(spec) -> str:
    return "" if spec is None else "-".join(str(part) for part in spec if part is not None)


COMMANDS = (guides_group,)
