"""Open data of the public figures: /api/v1/territory/figures and /api/v1/communes/<insee>/figures.

The same figures as the public pages (statistical secrecy applied: a hidden value is null and named in
`hidden`), with the indicators' definitions in the language asked by `?lang=` (French by default).
Field names are stable and described in /api/openapi.json (observatory/openapi.py).
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Flask, current_app, jsonify, request
from flask_babel import force_locale

from portal import clock, db
from portal.observatory.definitions import INDICATORS, SECRECY_NOTE
from portal.observatory.figures import SECRECY_THRESHOLD
from portal.observatory.presenting import public_dict
from portal.observatory.services import PublicFigures, public_figures
from portal.security import rate_limit
from portal.territory.services import commune as find_commune
from portal.territory.services import current_territory
from portal.urls import public_url_for

api = Blueprint("observatory_api", __name__, url_prefix="/api/v1")
CACHE_SECONDS = 300  # the figures change once a day, after the refresh or an import


def _json(payload: dict, status: int = 200):
    response = jsonify(payload)
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"
    if status == 200:
        response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def _language() -> str | None:
    """The `lang` asked (French when none), or None when it is not a language of the portal."""
    for name in request.args:
        if name != "lang":
            return None
    code = request.args.get("lang", "fr")
    return code if code in current_app.config["PORTAL_SETTINGS"].locales else None


def _bad_query():
    known = list(current_app.config["PORTAL_SETTINGS"].locales)
    unknown = next((name for name in request.args if name != "lang"), None)
    if unknown:
        return _json({"error": "unknown parameter; use lang", "parameter": unknown}, 400)
    return _json({"error": f"lang must be one of {', '.join(known)}", "parameter": "lang"}, 400)


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back the stored UTC time without its zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def definitions(code: str) -> dict:
    with force_locale(code):
        return {
            indicator.name: {
                "label": str(indicator.label),
                "definition": str(indicator.definition),
                "kind": indicator.kind,
            }
            for indicator in INDICATORS
            if indicator.public
        }


def document(figures: PublicFigures | None, code: str) -> dict:
    """What both routes answer; `figures` None for a commune that no snapshot counted yet."""
    snapshot = figures.snapshot if figures else None
    with force_locale(code):
        note = str(SECRECY_NOTE)
    return {
        "language": code,
        "period": {"start": snapshot.period.start.isoformat(), "end": snapshot.period.end.isoformat()}
        if snapshot
        else None,
        "stock_year": snapshot.stock_year if snapshot else None,
        "computed_at": _utc(snapshot.computed_at).isoformat() if snapshot else None,
        "secrecy_threshold": SECRECY_THRESHOLD,
        "secrecy_note": note,
        "figures": {
            "all": public_dict(figures.overall),
            "by_type": {name: public_dict(group) for name, group in figures.by_type.items()},
        }
        if figures
        else None,
        "definitions": definitions(code),
    }


@api.route("/territory/figures")
@rate_limit("120 per minute")
def territory_figures():
    code = _language()
    if code is None:
        return _bad_query()
    figures = public_figures(db.session(), clock.today())
    payload = {
        "territory": {
            "name": current_territory().name,
            "url": public_url_for("observatory.territory", lang_code=code),
        },
        **document(figures, code),
    }
    return _json(payload)


@api.route("/communes/<insee>/figures")
@rate_limit("120 per minute")
def commune_figures(insee: str):
    code = _language()
    if code is None:
        return _bad_query()
    found = find_commune(insee) if len(insee) == 5 else None
    if found is None:
        return _json({"error": "unknown commune", "parameter": "insee"}, 404)
    figures = public_figures(db.session(), clock.today(), found.insee)
    payload = {
        "commune": {
            "insee": found.insee,
            "name": found.name,
            "url": public_url_for("information.commune", lang_code=code, insee=found.insee, slug=found.slug),
        },
        **document(figures, code),
    }
    return _json(payload)


def init_app(app: Flask) -> None:
    app.register_blueprint(api)
