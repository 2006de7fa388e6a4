"""Guides to print: the desk agent page, the guides as PDF and their HTML preview, the desk sheet and the
grid sheet. PDFs come from the cache, or are queued and announced as being prepared (delivery.py)."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from portal import db
from portal.desks import services as desk_services
from portal.desks.presenting import language_name
from portal.guides.delivery import document_response
from portal.guides.documents import desk_document, guide_document, guide_html, guide_stamp
from portal.guides.forms import GuideForm
from portal.i18n import locales
from portal.security import rate_limit
from portal.territory.services import communes

bp = Blueprint("guides", __name__, url_prefix="/<locale:lang_code>", template_folder="templates")


@bp.route("/guides")
@rate_limit("30 per minute")  # the HTML of a guide costs tens of milliseconds; printing it is queued
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
        return document_response(
            guide_stamp(guide, locale, commune),
            (guide, locale, commune),
            lambda: guide_document(guide, locale, commune),
            download=True,
        )
    return guide_html(form.guide.data, form.locale.data, commune, for_pdf=False)


@bp.route("/cotation/grille.pdf")
@rate_limit("30 per minute")
def grid_sheet():
    locale = str(get_locale())
    return document_response(
        guide_stamp("grid", locale), ("grid", locale, None), lambda: guide_document("grid", locale)
    )


@bp.route("/guichets/<int:desk_id>/fiche.pdf")
@rate_limit("30 per minute")
def desk_sheet(desk_id: int):
    desk = desk_services.desk(db.session(), desk_id)
    if desk is None:
        abort(404)
    locale = str(get_locale())
    return document_response(
        guide_stamp("desk", locale, desk_id), ("desk", locale, desk_id), lambda: desk_document(desk, locale)
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
