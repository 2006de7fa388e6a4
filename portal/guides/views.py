"""Guides to print: the desk agent page, the guides as PDF (cached) and their HTML preview, the desk
sheet, the grid sheet and the applicant's statement (never cached)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from flask import Blueprint, Flask, abort, current_app, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal import clock, db
from portal.cotation.services import grids_in_force
from portal.desks import services as desk_services
from portal.desks.models import Desk
from portal.desks.views import language_name, upcoming
from portal.guides import services
from portal.guides.documents import Document, document_globals, pdf_response, remembered_response, theme_file
from portal.guides.forms import GuideForm
from portal.i18n import locales
from portal.information.eligibility import ceilings_on
from portal.information.services import published_stamp, render_body
from portal.information.views import tokens, zone_label
from portal.security import rate_limit
from portal.territory.services import commune as find_commune
from portal.territory.services import communes, current_territory
from portal.text import slugify

bp = Blueprint("guides", __name__, url_prefix="/<locale:lang_code>", template_folder="templates")


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


@bp.route("/guides")
@rate_limit("30 per minute")  # a guide not in the cache costs seconds of rendering
def index():
    form = GuideForm(request.args)
    form.locale.choices = [(code, language_name(code)) for code in locales()]
    form.commune.choices = [("", _("Choose a commune"))] + [(c.insee, c.name) for c in communes()]
    if not request.args:
        form.locale.data = str(get_locale())
        return render_template("guides/index.html", form=form)
    if not form.validate():
        return render_template("guides/index.html", form=form), 400
    commune = form.commune.data if form.guide.data == "commune" else None
    if request.args.get("format") == "pdf":
        guide, locale = form.guide.data, form.locale.data
        return remembered_response(
            guide_stamp(guide, locale, commune),
            lambda: guide_document(guide, locale, commune),
            download=True,
        )
    return guide_html(form.guide.data, form.locale.data, commune, for_pdf=False)


def guide_stamp(guide: str, locale: str, commune_insee: str | None = None) -> tuple:
    """Everything a guide's content depends on: the published content and grids (one revision number),
    the day (the ceilings and the grid in force change on dates), and the desks as they were last changed."""
    session = db.session()
    desks = session.execute(
        select(func.count(Desk.id), func.max(Desk.updated_on), func.max(Desk.hours_confirmed_on))
    ).one()
    return (guide, locale, commune_insee, published_stamp(session), clock.today(), tuple(desks))


def guide_document(guide: str, locale: str, commune_insee: str | None = None) -> Document:
    name = "-".join(filter(None, [guide, locale, commune_insee]))
    return Document(name, guide_html(guide, locale, commune_insee, for_pdf=True), theme_file(), f"{name}.pdf")


@bp.route("/cotation/grille.pdf")
@rate_limit("30 per minute")
def grid_sheet():
    locale = str(get_locale())
    return remembered_response(guide_stamp("grid", locale), lambda: guide_document("grid", locale))


def qr_svg(url: str) -> bytes:
    """A QR code made here (no service called): an SVG path, crisp at any size."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


@bp.route("/guichets/<int:desk_id>/fiche.pdf")
@rate_limit("30 per minute")
def desk_sheet(desk_id: int):
    desk = desk_services.desk(db.session(), desk_id)
    if desk is None:
        abort(404)
    return pdf_response(desk_document(desk, str(get_locale())))


def desk_document(desk, locale: str) -> Document:
    """One desk on one page, with a QR code to its page on the site."""
    page_url = url_for(
        "desks.desk_page", lang_code=locale, desk_id=desk.id, slug=slugify(desk.name), _external=True
    )
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


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
