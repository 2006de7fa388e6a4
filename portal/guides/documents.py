"""Print documents: what each one shows, as HTML ready for WeasyPrint (cheap: milliseconds), and the
names and keys the cache knows them by. Printing them (expensive: seconds) is for the job queue
(portal/guides/jobs.py); serving them is portal/guides/delivery.py."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal import clock, db
from portal.cotation.grids import GridText
from portal.cotation.presenting import rule, verification_label
from portal.cotation.services import grids_in_force
from portal.desks.models import Desk
from portal.desks.presenting import upcoming, week_rows
from portal.guides import services
from portal.i18n import locales
from portal.information.eligibility import ceilings_on
from portal.information.presenting import tokens, zone_label
from portal.information.services import render_body
from portal.revision import published_stamp
from portal.territory.services import commune as find_commune
from portal.territory.services import current_territory
from portal.text import slugify
from portal.ui import qr as ui_qr
from portal.ui.theme import theme_css
from portal.urls import public_url_for

GUIDES = ("guide", "easy", "commune", "grid")  # desk sheets ("desk") are made per desk


def static_dir() -> Path:
    return Path(current_app.static_folder)


def document_globals(locale: str, for_pdf: bool) -> dict:
    """What every print template uses; the same values for the PDF and its preview but the theme's URL."""
    return {
        "doc_locale": locale,
        "doc_rtl": locales()[locale].rtl,
        "territory": current_territory(),
        "asset": lambda path: f"/static/{path}",
        "theme_url": "/generated/theme.css" if for_pdf else url_for("ui.theme"),
        "pick": GridText.pick,
        "rule": rule,
        "verification_label": verification_label,
        "week_rows": week_rows,
        "moment": clock.now(),
    }


@dataclass(frozen=True)
class Document:
    """A print document ready for WeasyPrint: its HTML, the files made for it, its names."""

    name: str  # the cache's name for it: guide, locale, commune
    html: str
    generated: dict[str, tuple[bytes, str]]
    filename: str  # offered to the browser


def document_key(document: Document) -> str:
    extra = "".join(
        sorted(f"{name}:{hashlib.sha256(body).hexdigest()}" for name, (body, _) in document.generated.items())
    )
    return services.cache_key(document.html + extra, static_dir())


def cache() -> services.GuideCache:
    folder = current_app.config["PORTAL_SETTINGS"].instance_dir / "cache" / "guides"
    return services.GuideCache(folder, db.session())


def cached(document: Document) -> tuple[bytes, float, str] | None:
    """(PDF, when it was made, its key) if the cache holds this exact document."""
    key = document_key(document)
    found = cache().get(document.name, key)
    return (found[0], found[1], key) if found is not None else None


def theme_file() -> dict:
    return {"theme.css": (theme_css(current_territory().theme).encode(), "text/css")}


def guide_html(guide: str, locale: str, commune_insee: str | None, for_pdf: bool) -> str:
    """The guide as one HTML document, in the guide's locale."""
    session = db.session()
    territory = current_territory()
    today = clock.today()
    with force_locale(locale):
        commune = find_commune(commune_insee) if commune_insee else None
        variant = services.easy_variant(guide)
        pages = services.guide_pages(session, locale, variant) if guide != "grid" else []
        grids = grids_in_force(session, today)
        ceilings = ceilings_on(current_app.extensions["portal.ceilings"], today) if guide != "grid" else None
        zone = territory.communes[0].ceiling_zone if territory.communes else "other"
        if commune is not None:
            zone = commune.ceiling_zone
        titles = {
            "guide": _("Applicant's guide"),
            "easy": _("Applicant's guide in easy-to-read French"),
            "commune": _("Applicant's guide"),
            "grid": _("Scoring grid sheet"),
        }
        subtitle = (
            commune.name
            if commune is not None
            else _("Social housing in %(territory)s", territory=territory.name)
        )
        dates = [page.updated_on for page in pages] + [item.grid.effective_from for item in grids]
        locale_codes = tuple(locales())
        page_tokens = tokens()
        return render_template(
            "guides/grid_sheet.html" if guide == "grid" else "guides/guide.html",
            title=titles[guide],
            subtitle=subtitle,
            pages=pages,
            render=lambda page: render_body(page.body_source, locale, page_tokens, locale_codes),
            ceilings=ceilings,
            zone=zone,
            zone_name=zone_label(zone),
            grids=grids,
            desks=services.registration_desks(session, commune.insee if commune else None),
            commune_edition=commune is not None,
            content_date=max(dates) if dates else today,
            **document_globals(locale, for_pdf),
        )


def guide_stamp(guide: str, locale: str, target: str | int | None = None) -> tuple:
    """Everything a document's content depends on: the published content and grids (one revision
    number), the day (the ceilings and the grid in force change on dates), and the desks as they were
    last changed. For the same stamp, the same document comes out."""
    session = db.session()
    desks = session.execute(
        select(func.count(Desk.id), func.max(Desk.updated_on), func.max(Desk.hours_confirmed_on))
    ).one()
    return (guide, locale, target, published_stamp(session), clock.today(), tuple(desks))


def guide_document(guide: str, locale: str, commune_insee: str | None = None) -> Document:
    name = "-".join(filter(None, [guide, locale, commune_insee]))
    return Document(name, guide_html(guide, locale, commune_insee, for_pdf=True), theme_file(), f"{name}.pdf")


@functools.lru_cache(maxsize=2048)
def qr_svg(url: str) -> bytes:
    """A desk page's QR code, remembered per URL: choosing its mask takes milliseconds, and the nightly
    pre-render builds every desk sheet in every language."""
    return ui_qr.qr_svg(url)


def desk_document(desk: Desk, locale: str) -> Document:
    """One desk on one page, with a QR code to its page on the site (on PORTAL_PUBLIC_URL, whatever
    address the request came to)."""
    page_url = public_url_for("desks.desk_page", lang_code=locale, desk_id=desk.id, slug=slugify(desk.name))
    with force_locale(locale):
        html = render_template(
            "guides/desk_sheet.html",
            desk=desk,
            page_url=page_url,
            closures=upcoming(desk.closures, clock.now()),
            content_date=desk.updated_on,
            **document_globals(locale, for_pdf=True),
        )
    generated = {**theme_file(), "qr.svg": (qr_svg(page_url), "image/svg+xml")}
    return Document(f"desk-{desk.id}-{locale}", html, generated, f"guichet-{desk.id}-{locale}.pdf")


def build(kind: str, locale: str, target: str | int | None) -> Document | None:
    """Any public document from its description: a guide (`target`: the commune of an edition) or a desk
    sheet (`kind` "desk", `target`: the desk's id); None for a desk that no longer exists."""
    if kind == "desk":
        desk = db.session().get(Desk, int(target))
        return desk_document(desk, locale) if desk is not None else None
    return guide_document(kind, locale, target)


def public_documents() -> list[tuple[str, str, str | int | None]]:
    """(kind, locale, target) of every document anyone may ask for: the guides in every locale, the
    easy-to-read guide, the grid sheets, each commune's edition and each desk's sheet."""
    codes = current_app.config["PORTAL_SETTINGS"].locales
    desk_ids = list(db.session().scalars(select(Desk.id).order_by(Desk.id)))
    documents: list[tuple[str, str, str | int | None]] = [("guide", code, None) for code in codes]
    documents.append(("easy", "fr", None))
    documents += [("grid", code, None) for code in codes]
    documents += [("commune", code, item.insee) for item in current_territory().communes for code in codes]
    documents += [("desk", code, desk_id) for desk_id in desk_ids for code in codes]
    return documents
