"""The `portal` command: Flask's commands plus init, db and territory."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app, render_template
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from portal import clock, create_app, db, jobs, migrations
from portal.content import ContentError, territory_tokens
from portal.cotation.grids import GridFile, grid_in_force
from portal.cotation.services import load_grids, stored_grids
from portal.demands.demo import DEMO_DAY, generate_stock
from portal.demands.demo import generate as generate_demands
from portal.demands.imports.allocations import import_allocations
from portal.demands.imports.demands import import_demands
from portal.demands.imports.events import import_events
from portal.demands.imports.reading import ImportRefused
from portal.demands.imports.stock import import_stock
from portal.demands.models import Demand, HousingStock
from portal.demands.scoring import recompute
from portal.demands.services import hashes_with_other_parameters
from portal.desks.loader import load_desks
from portal.desks.operations import reminder_recipients, stale_desks
from portal.guides import documents
from portal.guides.render import render_pdf
from portal.guides.slots import render_slot
from portal.information.loader import load_pages, stamp_translation
from portal.information.services import reindex
from portal.mail import MailError, send_mail
from portal.observatory.services import refresh as refresh_snapshot
from portal.partners import accounts, audit
from portal.partners.models import Membership, Organisation, User
from portal.territory.services import current_territory, sync_communes
from portal.urls import public_url_for


@click.group(cls=FlaskGroup, create_app=create_app)
def main() -> None:
    """Manage the demander portal."""


@main.command("init")
@click.option("--demo", is_flag=True, help="Also load demonstration data.")
@with_appcontext
def init_command(demo: bool) -> None:
    """Create or upgrade the database and load the territory from content/."""
    migrations.upgrade(db.database().engine)
    click.echo("Database schema is up to date.")
    load_territory()
    load_desks_file()
    load_content()
    load_grid_files()
    if demo:
        with db.database().sessions() as session:
            has_demands = session.scalar(select(func.count()).select_from(Demand))
        if not has_demands:
            add_demo_demands(2000)
            recompute(
                db.database().sessions,
                grids(),
                clock.today(),
                current_territory().abnormal_delay_months,
            )
        add_demo_stock()
        click.echo("Demonstration data: the territory is marked as such on every page.")
    with db.database().sessions() as session:
        stale = hashes_with_other_parameters(session)
    if stale:
        click.echo(
            f"Warning: {stale} demands have look-up hashes made with other Argon2 parameters than the "
            "portal's (see the demands file format): import a new demands file to replace them.",
            err=True,
        )
    refresh_figures()


@main.command("worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at the same time by this consumer.")
@with_appcontext
def worker_command(workers: int) -> None:
    """Run the job consumer: e-mails, guides to print and the periodic tasks (run one or more, on any
    machine sharing the database, and Redis when PORTAL_REDIS_URL is set)."""
    settings = current_app.config["PORTAL_SETTINGS"]
    if settings.jobs_immediate:
        raise click.UsageError("jobs run inside the caller in testing: nothing to consume")
    click.echo(
        f"Job consumer: {workers} workers, queue in {'Redis' if settings.redis_url else 'instance/jobs.db'}."
    )
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


@main.group("territory")
def territory_group() -> None:
    """The territory and its communes."""


@territory_group.command("load")
@with_appcontext
def territory_load() -> None:
    """Make the communes in the database match content/territory.yaml."""
    load_territory()


def load_territory() -> None:
    territory = current_territory()
    with db.database().sessions.begin() as session:
        changed, removed = sync_communes(session, territory)
    content_dir = current_app.config["PORTAL_SETTINGS"].content_dir
    click.echo(
        f"Territory {territory.name}: {len(territory.communes)} communes "
        f"({changed} added or updated, {removed} removed) from {content_dir}."
    )


@main.group("content")
def content_group() -> None:
    """Information pages from content/pages/."""


@content_group.command("load")
@with_appcontext
def content_load() -> None:
    """Publish the pages of content/pages/ that changed, and rebuild the search index."""
    load_content()


@content_group.command("stamp")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def content_stamp(files: tuple[Path, ...]) -> None:
    """Record in translation FILES that they now translate the current French text."""
    pages_dir = current_app.config["PORTAL_SETTINGS"].content_dir / "pages"
    for path in files:
        click.echo(f"{path}: source_hash {stamp_translation(path.resolve(), pages_dir)[:12]}…")


def load_content() -> None:
    """Load the pages in one transaction: a bad file is reported and nothing changes."""
    settings = current_app.config["PORTAL_SETTINGS"]
    territory = current_territory()
    try:
        with db.database().sessions.begin() as session:
            report = load_pages(
                session, settings.content_dir / "pages", settings.locales, set(territory.link_hosts)
            )
            entries = reindex(session, settings.locales, territory_tokens(territory))
    except ContentError as exc:
        raise click.ClickException(f"content not loaded, nothing changed:\n{exc}") from exc
    click.echo(f"Information pages: {report.summary()}; {entries} search entries.")


@main.group("desks")
def desks_group() -> None:
    """Desks of the reception and information network."""


@desks_group.command("load")
@with_appcontext
def desks_load() -> None:
    """Add or update the desks of content/desks.yaml (desks changed later in the database are kept)."""
    load_desks_file()


def load_desks_file() -> None:
    path = current_app.config["PORTAL_SETTINGS"].content_dir / "desks.yaml"
    if not path.exists():
        click.echo(f"No {path}: no desk loaded.")
        return
    try:
        with db.database().sessions.begin() as session:
            report = load_desks(session, path)
    except ContentError as exc:
        raise click.ClickException(f"desks not loaded, nothing changed:\n{exc}") from exc
    click.echo(f"Desks: {report.summary()}.")


@desks_group.command("remind")
@with_appcontext
def desks_remind() -> None:
    """E-mail each organisation's editors and administrators the desks whose hours they have not confirmed
    for PORTAL_DESK_REMINDER_MONTHS months (run it from cron, e.g. every Monday)."""
    settings = current_app.config["PORTAL_SETTINGS"]
    sent = failed = 0
    with db.database().sessions() as session:
        stale = stale_desks(session, clock.today(), settings.desk_reminder_months)
        by_organisation: dict = {}
        for desk in stale:
            by_organisation.setdefault(desk.organisation, []).append(desk)
        for organisation, desks in by_organisation.items():
            with current_app.test_request_context(base_url=settings.public_url):
                link = public_url_for("backoffice.desks", slug=organisation.slug)
                for user in reminder_recipients(session, organisation):
                    with force_locale("fr"):
                        body = render_template(
                            "backoffice/mail_desk_reminder.txt",
                            user=user,
                            organisation=organisation,
                            desks=desks,
                            months=settings.desk_reminder_months,
                            link=link,
                        )
                        subject = gettext("Desks to check")
                    try:
                        send_mail(settings, user.email, subject, body, "desk reminder")
                        sent += 1
                    except MailError:
                        failed += 1
    click.echo(
        f"{len(stale)} desks to check in {len(by_organisation)} organisations: "
        f"{sent} reminders sent" + (f", {failed} not sent (mail server)" if failed else "") + "."
    )
    if failed:
        raise SystemExit(1)


@main.group("demo")
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
            grids(),
            communes,
            count,
            DEMO_DAY,
            territory.abnormal_delay_months,
            seed,
        )
    click.echo(f"{count} demonstration demands added. Demands to look up (number, date of birth):")
    for number, birth_date in samples:
        click.echo(f"  {number}  {birth_date.strftime('%d/%m/%Y')}")


def add_demo_stock() -> None:
    """The demo social housing stock of the last two years' counts, unless some stock is stored."""
    with db.database().sessions.begin() as session:
        if session.scalar(select(func.count()).select_from(HousingStock)):
            return
        years = (DEMO_DAY.year - 1, DEMO_DAY.year)
        rows = generate_stock(session, years)
    click.echo(f"Demonstration social housing stock: {rows} rows for {years[0]} and {years[1]}.")


@main.group("cotation")
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


def grids() -> list[GridFile]:
    """Every stored grid version (read in a session of its own, closed at once)."""
    with db.database().sessions() as session:
        return stored_grids(session)


@cotation_group.command("recompute")
@click.option("--batch", default=20000, show_default=True, help="Demands per transaction.")
@with_appcontext
def cotation_recompute(batch: int) -> None:
    """Rescore every active demand with the grid in force today (safe to run again)."""
    started = time.perf_counter()
    scored, changed = recompute(
        db.database().sessions,
        grids(),
        clock.today(),
        current_territory().abnormal_delay_months,
        batch,
    )
    click.echo(
        f"{scored} active demands scored, {changed} changed, in {time.perf_counter() - started:.1f} s."
    )


@cotation_group.command("activate-due")
@with_appcontext
def cotation_activate_due() -> None:
    """Put in force the grid versions activated for a later date once that day has come: the version they
    replace is retired and every active demand is rescored. Run it from cron every day (cheap otherwise)."""
    from portal.cotation.operations import activate_due  # the grid editor's rules

    today = clock.today()
    with db.database().sessions.begin() as session:
        due = activate_due(session, today)
    if not due:
        click.echo("No grid version takes effect today.")
        return
    started = time.perf_counter()
    scored, changed = recompute(
        db.database().sessions, grids(), today, current_territory().abnormal_delay_months
    )
    click.echo(
        f"In force today: {', '.join(due)}. {scored} active demands scored, {changed} changed, "
        f"in {time.perf_counter() - started:.1f} s."
    )


@main.group("demands")
def demands_group() -> None:
    """Demand records."""


@demands_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def demands_import(file: Path) -> None:
    """Replace the demands with those of FILE (CSV, see portal/demands/imports/demands.py); a bad row:
    nothing changes."""
    territory = current_territory()
    try:
        with db.database().sessions.begin() as session:
            report = import_demands(session, file, clock.today())
    except ImportRefused as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    rate = report.demands / report.seconds if report.seconds else 0
    click.echo(
        f"{report.demands} demands and {report.allocations} allocations imported "
        f"in {report.seconds:.1f} s ({rate:,.0f} rows a second). Scoring them:"
    )
    started = time.perf_counter()
    stored = grids()
    if not grid_in_force(stored, "general", clock.today()):
        click.echo("Warning: no grid in force (run `portal cotation load`): the demands are not scored.")
    scored, _ = recompute(
        db.database().sessions,
        stored,
        clock.today(),
        territory.abnormal_delay_months,
    )
    click.echo(f"{scored} active demands scored in {time.perf_counter() - started:.1f} s.")
    refresh_figures()


@demands_group.command("import-events")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def demands_import_events(file: Path) -> None:
    """Replace the demands' history (decisions, offers, refusals…) with FILE's; any bad row: nothing."""
    try:
        with db.database().sessions.begin() as session:
            report = import_events(session, file, clock.today())
    except ImportRefused as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(report.by_kind.items()))
    click.echo(f"{report.events} events imported ({kinds or 'none'}) in {report.seconds:.1f} s.")
    refresh_figures()


@demands_group.command("import-allocations")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def demands_import_allocations(file: Path) -> None:
    """Add or replace the allocations (details per demand) of FILE; any bad row: nothing."""
    try:
        with db.database().sessions.begin() as session:
            report = import_allocations(session, file, clock.today())
    except ImportRefused as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    click.echo(
        f"{report.rows} allocations imported ({report.created} new, {report.updated} replaced) "
        f"in {report.seconds:.1f} s."
    )
    refresh_figures()


@demands_group.command("import-stock")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def demands_import_stock(file: Path) -> None:
    """Replace the social housing stock of the years in FILE (RPLS-like CSV); any bad row: nothing."""
    try:
        with db.database().sessions.begin() as session:
            report = import_stock(session, file, clock.today())
    except ImportRefused as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    years = ", ".join(str(year) for year in report.years) or "none"
    click.echo(
        f"{report.rows} stock rows imported ({report.dwellings} dwellings; years {years}; "
        f"{report.replaced} stored rows replaced) in {report.seconds:.1f} s."
    )
    refresh_figures()


@main.group("observatory")
def observatory_group() -> None:
    """The observatory's public figures."""


@observatory_group.command("refresh")
@with_appcontext
def observatory_refresh() -> None:
    """Compute the public figures of the twelve months before today (run it daily from cron; the imports
    run it too)."""
    refresh_figures()


def refresh_figures() -> None:
    started = time.perf_counter()
    with db.database().sessions.begin() as session:
        snapshot = refresh_snapshot(session, clock.today())
        period = f"{snapshot.period_start.isoformat()} to {snapshot.period_end.isoformat()}"
    click.echo(f"Observatory figures of {period} computed in {time.perf_counter() - started:.1f} s.")


@main.group("guides")
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
    """Pre-render guides into the cache (instance/cache/guides): the applicant's guide in each locale, the
    easy-to-read guide, the grid sheet; with --all also every commune edition and every desk sheet."""
    settings = current_app.config["PORTAL_SETTINGS"]
    chosen = [code for code in settings.locales if not locales or code in locales]
    unknown = set(locales) - set(settings.locales)
    if unknown:
        raise click.BadParameter(
            f"not a locale of the portal: {', '.join(sorted(unknown))}", param_hint="--locale"
        )
    with current_app.test_request_context(base_url=settings.public_url):
        every = documents.public_documents()
    jobs = [
        (kind, code, target)
        for kind, code, target in every
        if code in chosen and (build_all or kind in ("guide", "easy", "grid"))
    ]
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    built = reused = size = 0
    started = time.perf_counter()
    with click.progressbar(jobs, label="Guides", show_pos=True, item_show_func=_job_label) as bar:
        for spec in bar:
            with current_app.test_request_context(base_url=settings.public_url):
                document = documents.build(*spec)
                found = documents.cached(document)
                if found is None:
                    with render_slot(wait=600):
                        pdf = render_pdf(document.html, documents.static_dir(), document.generated)
                    documents.cache().put(document.name, documents.document_key(document), pdf, clock.now())
                else:
                    pdf = found[0]
            built, reused, size = built + (found is None), reused + (found is not None), size + len(pdf)
            if out is not None:
                (out / document.filename).write_bytes(pdf)
    click.echo(
        f"{len(jobs)} documents ({built} rendered, {reused} already in the cache, {size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s" + (f"; copies in {out}." if out else ".")
    )


def _job_label(job) -> str:
    return "" if job is None else "-".join(str(part) for part in job if part is not None)


@main.group("users")
def users_group() -> None:
    """Partner accounts."""


@users_group.command("create-admin")
@click.option("--email", required=True, help="The person's email address (their sign-in).")
@click.option("--name", required=True, help="The person's name.")
@click.option("--organisation", "organisation_slug", required=True, help="The organisation's slug.")
@click.option(
    "--reviewer", is_flag=True, help="Also a reviewer (publishes content and grids; EPCI organisations only)."
)
@click.password_option(
    "--password", help="Asked twice when not given (never on the command line in scripts)."
)
@with_appcontext
def users_create_admin(email: str, name: str, organisation_slug: str, reviewer: bool, password: str) -> None:
    """Create the first account: an administrator of an organisation (two-step sign-in at first use)."""
    email = email.strip().lower()
    problems = accounts.password_problems(password, email, name)
    if problems:
        raise click.BadParameter(" ".join(problems), param_hint="--password")
    with db.database().sessions.begin() as session:
        organisation = session.scalar(select(Organisation).where(Organisation.slug == organisation_slug))
        if organisation is None:
            known = ", ".join(session.scalars(select(Organisation.slug).order_by(Organisation.slug)))
            raise click.BadParameter(
                f"no organisation {organisation_slug!r} (known: {known})", param_hint="--organisation"
            )
        if reviewer and organisation.kind != "epci":
            raise click.BadParameter("reviewers belong to the EPCI", param_hint="--reviewer")
        if accounts.find_user(session, email) is not None:
            raise click.BadParameter(f"{email} already has an account", param_hint="--email")
        user = User(email=email, name=name, password_hash=accounts.hash_password(password))
        roles = ["admin", "reviewer"] if reviewer else ["admin"]
        user.memberships = [Membership(organisation_id=organisation.id, role=role) for role in roles]
        session.add(user)
        session.flush()
        audit.record(session, None, organisation.id, "user.created", email, after={"roles": roles})
    click.echo(
        f"{email}: {', '.join(roles)} of {organisation.name}. Two-step sign-in is set up at first sign-in."
    )
