"""Desk locator pages and the desk page (the open data API is in api.py)."""

from __future__ import annotations

import json

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

from portal import clock, db
from portal.desks import services
from portal.desks.forms import DeskSearchForm
from portal.desks.presenting import (
    WEEKDAY_NAMES,
    desk_day,
    desk_time,
    desk_when,
    language_name,
    upcoming,
    week_rows,
    weekday_name,
)
from portal.desks.services import Filters
from portal.security import rate_limit
from portal.territory.services import communes
from portal.text import slugify
from portal.urls import public_url_for

bp = Blueprint("desks", __name__, url_prefix="/<locale:lang_code>", template_folder="templates")


def reference_point(form: DeskSearchForm, all_communes) -> tuple[tuple[float, float] | None, str | None]:
    """Where distances are measured from: the person's position, or the communes the query names."""
    point = form.point()
    if point:
        return point, _("your position")
    if form.q.data and form.q.data.strip():
        found = services.find_communes(all_communes, form.q.data)
        if not found:
            form.q.errors = [
                *form.q.errors,
                _(
                    "No commune of the territory matches “%(query)s”. Check the "
                    "spelling, or enter a postcode.",
                    query=form.q.data.strip(),
                ),
            ]
            return None, None
        lat = sum(commune.latitude for commune in found) / len(found)
        lon = sum(commune.longitude for commune in found) / len(found)
        return (lat, lon), ", ".join(commune.name for commune in found)
    return None, None


@bp.route("/guichets")
@rate_limit("120 per minute")
def search():
    form = DeskSearchForm(request.args)
    session = db.session()
    languages = services.spoken_languages(session)
    form.language.choices = [("", _("Any language"))] + [(code, language_name(code)) for code in languages]
    form.validate()
    if (form.lat.data or form.lon.data) and form.point() is None:
        form.q.errors = [*form.q.errors, _("Your position could not be read: search by commune or postcode.")]
    all_communes = communes()
    point, origin = reference_point(form, all_communes)
    filters = Filters(
        min_level=int(form.level.data) if form.level.data in ("1", "2", "3") else None,
        open_now=bool(form.open_now.data),
        walk_in=bool(form.walk_in.data),
        step_free=bool(form.step_free.data),
        language=form.language.data or None,
    )
    moment = clock.now()
    results = (
        [] if form.errors else services.search_desks(session, moment=moment, filters=filters, point=point)
    )
    suggestions = []
    if not results and not form.errors:
        # Nothing passes: show the nearest desks of the territory, whatever the filters.
        suggestions = services.search_desks(session, moment=moment, point=point, limit=3)
    settings = current_app.config["PORTAL_SETTINGS"]
    return render_template(
        "desks/search.html",
        form=form,
        results=results,
        suggestions=suggestions,
        origin=origin,
        moment=moment,
        filters=filters,
        tiles_url=settings.map_tiles_url,
        tiles_attribution=settings.map_attribution,
    )


@bp.route("/guichets/<int:desk_id>-<slug>")
def desk_page(desk_id: int, slug: str):
    found = services.desk(db.session(), desk_id)
    if found is None:
        abort(404)
    if slug != slugify(found.name):
        return redirect(url_for("desks.desk_page", desk_id=desk_id, slug=slugify(found.name)), 301)
    moment = clock.now()
    return render_template(
        "desks/desk.html",
        desk=found,
        status=services.desk_status(found, moment),
        moment=moment,
        week=week_rows(found, moment),
        closures=upcoming(found.closures, moment),
        notices=upcoming(found.notices, moment, started=True),
        json_ld=json_ld(found),
    )


def json_ld(desk) -> Markup:
    """schema.org GovernmentOffice, for search engines; JSON escaped for a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice",
        "name": desk.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": desk.address,
            "postalCode": desk.postcode,
            "addressLocality": desk.commune.name,
            "addressCountry": "FR",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": desk.latitude, "longitude": desk.longitude},
        "telephone": desk.phone or None,
        "email": desk.email or None,
        "url": public_url_for("desks.desk_page", desk_id=desk.id, slug=slugify(desk.name)),
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{WEEKDAY_NAMES[slot.weekday]}",
                "opens": slot.opens.strftime("%H:%M"),
                "closes": slot.closes.strftime("%H:%M"),
            }
            for slot in desk.slots
        ],
        "availableLanguage": desk.language_list,
    }
    text = json.dumps({key: value for key, value in data.items() if value is not None}, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S704


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.filters.update(
        desk_time=desk_time,
        desk_day=desk_day,
        desk_when=desk_when,
        format_decimal=lambda value, pattern=None: format_decimal(value, pattern),
    )
    app.jinja_env.globals.update(weekday_name=weekday_name, language_name=language_name)
