"""Guides to print: the desk agent page, the guides as PDF (cached) and their HTML preview, the desk
sheet, the grid sheet and the applicant's statement (never cached)."""

from __future__ import annotations

import datetime as dt
import io
from email.utils import format_datetime
from pathlib import Path

import qrcode
import qrcode.image.svg
from flask import Blueprint, Flask, Response, abort, current_app, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from portal import clock, db
from portal.cotation.grids import GridText
from portal.cotation.services import grids_in_force
from portal.cotation.views import rule, verification_label
from portal.desks import services as desk_services
from portal.desks.views import language_name, week_rows
from portal.guides import services
from portal.guides.forms import GuideForm
from portal.guides.render import render_pdf
from portal.information.eligibility import ceilings_on
from portal.information.services import EASY, render_body
from portal.information.views import tokens, zone_label
from portal.security import rate_limit
from portal.territory.services import commune as find_commune
from portal.territory.services import communes, current_territory
from portal.text import slugify
from portal.ui.views import theme_css

bp = Blueprint("guides", __name__, url_prefix="/<locale:lang_code>", template_folder="templates")


def static_dir() -> Path:
    return Path(current_app.static_folder)


def cache() -> services.GuideCache:
    return services.GuideCache(current_app.config["PORTAL_SETTINGS"].instance_dir / "cache" / "guides")


def document_globals(locale: str, for_pdf: bool) -> dict:
    """What every print template uses; the same values for the PDF and its preview but the theme's URL."""
    locales = current_app.extensions["portal.locales"]
    return {
        "doc_locale": locale,
        "doc_rtl": locales[locale].rtl,
        "territory": current_territory(),
        "asset": lambda path: f"/static/{path}",
        "theme_url": "/generated/theme.css" if for_pdf else url_for("ui.theme"),
        "pick": GridText.pick,
        "rule": rule,
        "verification_label": verification_label,
        "week_rows": week_rows,
        "moment": clock.now(),
    }


def guide_html(guide: str, locale: str, commune_insee: str | None, for_pdf: bool) -> str:
    """The guide as one HTML document, in the guide's locale."""
    session = db.session()
    territory = current_territory()
    today = clock.today()
    with force_locale(locale):
        commune = find_commune(commune_insee) if commune_insee else None
        variant = EASY if guide == "easy" else "standard"
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
        locales = tuple(current_app.extensions["portal.locales"])
        page_tokens = tokens()
        return render_template(
            "guides/grid_sheet.html" if guide == "grid" else "guides/guide.html",
            title=titles[guide],
            subtitle=subtitle,
            pages=pages,
            render=lambda page: render_body(page.body_source, locale, page_tokens, locales),
            ceilings=ceilings,
            zone=zone,
            zone_name=zone_label(zone),
            grids=grids,
            desks=services.registration_desks(session, commune.insee if commune else None),
            content_date=max(dates) if dates else today,
            **document_globals(locale, for_pdf),
        )


def pdf_response(name: str, html: str, generated: dict, filename: str, cached: bool = True) -> Response:
    """The PDF of that HTML: from the disk cache when it is there, else rendered (and cached)."""
    key = services.cache_key(html, static_dir())
    found = cache().get(name, key) if cached else None
    if found is not None:
        pdf, modified = found
    else:
        pdf = render_pdf(html, static_dir(), generated)
        modified = clock.now().timestamp()
        if cached:
            cache().put(name, key, pdf)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    if cached:
        response.set_etag(key)
        response.headers["Last-Modified"] = format_datetime(
            dt.datetime.fromtimestamp(modified, dt.UTC), usegmt=True
        )
        response.cache_control.public = True
        response.cache_control.max_age = 300
        return response.make_conditional(request)
    response.cache_control.no_store = True
    response.cache_control.private = True
    return response


def theme_file() -> dict:
    return {"theme.css": (theme_css(current_territory().theme).encode(), "text/css")}


def configured_locales() -> dict:
    return current_app.extensions["portal.locales"]


@bp.route("/guides")
def index():
    form = GuideForm(request.args)
    form.locale.choices = [(code, language_name(code)) for code in configured_locales()]
    form.commune.choices = [("", _("Choose a commune"))] + [(c.insee, c.name) for c in communes()]
    if not request.args:
        form.locale.data = str(get_locale())
        return render_template("guides/index.html", form=form)
    if not form.validate():
        return render_template("guides/index.html", form=form), 400
    commune = form.commune.data if form.guide.data == "commune" else None
    if request.args.get("format") == "pdf":
        html = guide_html(form.guide.data, form.locale.data, commune, for_pdf=True)
        name = "-".join(filter(None, [form.guide.data, form.locale.data, commune]))
        return pdf_response(name, html, theme_file(), f"{name}.pdf")
    return guide_html(form.guide.data, form.locale.data, commune, for_pdf=False)


@bp.route("/cotation/grille.pdf")
@rate_limit("30 per minute")
def grid_sheet():
    lang_code = str(get_locale())
    html = guide_html("grid", lang_code, None, for_pdf=True)
    return pdf_response(f"grid-{lang_code}", html, theme_file(), f"grille-{lang_code}.pdf")


def qr_svg(url: str) -> bytes:
    """A QR code made here (no service called): an SVG path, crisp at any size."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


@bp.route("/guichets/<int:desk_id>/fiche.pdf")
@rate_limit("30 per minute")
def desk_sheet(desk_id: int):
    lang_code = str(get_locale())
    desk = desk_services.desk(db.session(), desk_id)
    if desk is None:
        abort(404)
    page_url = url_for("desks.desk_page", desk_id=desk.id, slug=slugify(desk.name), _external=True)
    with force_locale(lang_code):
        html = render_template(
            "guides/desk_sheet.html",
            desk=desk,
            page_url=page_url,
            closures=[c for c in desk.closures if c.ends_on >= clock.today()],
            content_date=desk.updated_on,
            **document_globals(lang_code, for_pdf=True),
        )
    generated = {**theme_file(), "qr.svg": (qr_svg(page_url), "image/svg+xml")}
    return pdf_response(f"desk-{desk.id}-{lang_code}", html, generated, f"guichet-{desk.id}.pdf")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
