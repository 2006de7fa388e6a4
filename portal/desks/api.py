"""Open data of the desks: /api/v1/desks (JSON) and /api/v1/desks.csv, with filters.

Field names are stable (documented in /api/openapi.json); a bad parameter gets a 400 naming it.
"""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Flask, Response, jsonify, request

from portal import clock, db
from portal.csvfiles import spreadsheet_safe
from portal.desks import services
from portal.desks.loader import WEEKDAYS
from portal.desks.services import DeskResult, Filters
from portal.security import rate_limit
from portal.territory.services import communes
from portal.text import slugify
from portal.urls import public_url_for

api = Blueprint("desks_api", __name__, url_prefix="/api/v1")
TRUE, FALSE = ("1", "true", "yes"), ("0", "false", "no", "")
CSV_FIELDS = (
    "id",
    "name",
    "organisation",
    "level",
    "address",
    "postcode",
    "commune_insee",
    "commune",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "on_site",
    "by_phone",
    "online",
    "access_mode",
    "step_free",
    "languages",
    "hours",
    "status",
    "next_opening",
    "distance_km",
    "hours_confirmed_on",
    "updated_on",
    "url",
    "demo",
)


class BadParameter(ValueError):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter


def _float(name: str, low: float, high: float) -> float | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadParameter(name, f"{name} must be a number") from None
    if not low <= value <= high:
        raise BadParameter(name, f"{name} must be between {low:g} and {high:g}")
    return value


def parse_query() -> dict:
    """The filters of a request, checked; BadParameter names the first wrong one."""
    known = {"commune", "postcode", "lat", "lon", "radius_km", "level", "open_now", "lang", "limit"}
    for name in request.args:
        if name not in known:
            raise BadParameter(name, f"unknown parameter; use {', '.join(sorted(known))}")
    lat, lon = _float("lat", -90, 90), _float("lon", -180, 180)
    if (lat is None) != (lon is None):
        raise BadParameter("lon" if lon is None else "lat", "lat and lon go together")
    radius = _float("radius_km", 0.1, 500)
    if radius is not None and lat is None:
        raise BadParameter("radius_km", "radius_km needs lat and lon")
    level = request.args.get("level", "")
    if level not in ("", "1", "2", "3"):
        raise BadParameter("level", "level must be 1, 2 or 3 (desks of that level or above)")
    open_now = request.args.get("open_now", "").lower()
    if open_now not in TRUE + FALSE:
        raise BadParameter("open_now", "open_now must be true or false")
    language = request.args.get("lang", "")
    if language and not (language.isalpha() and 2 <= len(language) <= 3):
        raise BadParameter("lang", "lang must be a language code such as fr, en or ar")
    limit = request.args.get("limit", "")
    if limit and not (limit.isdigit() and 1 <= int(limit) <= 1000):
        raise BadParameter("limit", "limit must be a whole number from 1 to 1000")
    commune, postcode = request.args.get("commune", ""), request.args.get("postcode", "")
    if commune and not any(item.insee == commune for item in communes()):
        raise BadParameter("commune", "commune must be the INSEE code of a commune of the territory")
    if postcode and not (postcode.isdigit() and len(postcode) == 5):
        raise BadParameter("postcode", "postcode must have 5 digits")
    return {
        "point": (lat, lon) if lat is not None else None,
        "radius_km": radius,
        "commune": commune or None,
        "postcode": postcode or None,
        "limit": int(limit) if limit else None,
        "filters": Filters(
            min_level=int(level) if level else None,
            open_now=open_now in TRUE,
            language=language.lower() or None,
        ),
    }


def find(query: dict) -> list[DeskResult]:
    results = services.search_desks(
        db.session(),
        moment=clock.now(),
        filters=query["filters"],
        point=query["point"],
        limit=None if (query["commune"] or query["postcode"]) else query["limit"],
        radius_km=query["radius_km"],
    )
    if query["commune"]:
        results = [result for result in results if result.desk.commune_insee == query["commune"]]
    if query["postcode"]:
        results = [result for result in results if result.desk.postcode == query["postcode"]]
    return results[: query["limit"]] if query["limit"] else results


def record(result: DeskResult) -> dict:
    desk, status = result.desk, result.status
    return {
        "id": desk.id,
        "name": desk.name,
        "organisation": desk.organisation.name,
        "level": desk.level,
        "address": desk.address,
        "postcode": desk.postcode,
        "commune_insee": desk.commune_insee,
        "commune": desk.commune.name,
        "latitude": desk.latitude,
        "longitude": desk.longitude,
        "phone": desk.phone,
        "email": desk.email,
        "website": desk.website,
        "services": {"on_site": desk.on_site, "by_phone": desk.by_phone, "online": desk.online},
        "access_mode": desk.access_mode,
        "step_free": desk.step_free,
        "accessibility_notes": desk.accessibility_notes,
        "languages": desk.language_list,
        "publics": desk.publics,
        "documents": desk.documents,
        "hours": [
            {
                "day": WEEKDAYS[slot.weekday],
                "opens": slot.opens.strftime("%H:%M"),
                "closes": slot.closes.strftime("%H:%M"),
            }
            for slot in desk.slots
        ],
        "closures": [
            {"from": item.starts_on.isoformat(), "to": item.ends_on.isoformat(), "reason": item.reason}
            for item in desk.closures
        ],
        "status": {
            "state": status.state.value,
            "closes_at": status.closes_at.isoformat() if status.closes_at else None,
            "next_opening": status.next_opening.isoformat() if status.next_opening else None,
            "reopens_on": status.reopens_on.isoformat() if status.reopens_on else None,
        },
        "distance_km": round(result.distance_km, 3) if result.distance_km is not None else None,
        "hours_confirmed_on": desk.hours_confirmed_on.isoformat() if desk.hours_confirmed_on else None,
        "updated_on": desk.updated_on.isoformat(),
        "url": public_url_for("desks.desk_page", lang_code="fr", desk_id=desk.id, slug=slugify(desk.name)),
        "demo": desk.demo,
    }


def _error(error: BadParameter):
    response = jsonify(error=str(error), parameter=error.parameter)
    response.status_code = 400
    return response


def _cors(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@api.route("/desks")
@rate_limit("120 per minute")
def desks_json():
    try:
        query = parse_query()
    except BadParameter as error:
        return _cors(_error(error))
    items = [record(result) for result in find(query)]
    return _cors(jsonify(count=len(items), desks=items))


@api.route("/desks.csv")
@rate_limit("120 per minute")
def desks_csv():
    try:
        query = parse_query()
    except BadParameter as error:
        return _cors(_error(error))
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for result in find(query):
        row = record(result)
        row.update(row.pop("services"))
        row["languages"] = " ".join(row["languages"])
        row["hours"] = "; ".join(f"{span['day']} {span['opens']}-{span['closes']}" for span in row["hours"])
        row["next_opening"] = row["status"]["next_opening"] or ""
        row["status"] = row["status"]["state"]
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
    # A BOM so that spreadsheet programs read the accents right.
    response = Response("\ufeff" + output.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="guichets.csv"'
    return _cors(response)


def init_app(app: Flask) -> None:
    app.register_blueprint(api)
