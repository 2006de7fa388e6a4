"""The OpenAPI 3.1 document of the portal's open data, served at /api/openapi.json."""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify

from portal.observatory import openapi as observatory

bp = Blueprint("openapi", __name__)

_error = {
    "description": "A parameter is wrong; `parameter` names it.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


DESK_FILTERS = [
    _query(
        "commune", "INSEE code of a commune of the territory.", {"type": "string", "pattern": "^[0-9AB]{5}$"}
    ),
    _query("postcode", "Postcode (5 digits).", {"type": "string", "pattern": "^[0-9]{5}$"}),
    _query("lat", "Latitude (WGS 84); with lon, results are sorted by distance.", {"type": "number"}),
    _query("lon", "Longitude (WGS 84).", {"type": "number"}),
    _query("radius_km", "With lat and lon: only desks within this distance.", {"type": "number"}),
    _query(
        "level",
        "Desks of this level or above: 1 information, 2 registration, 3 personal support.",
        {"type": "integer", "enum": [1, 2, 3]},
    ),
    _query("open_now", "Only desks open now.", {"type": "boolean"}),
    _query("lang", "Only desks where this language is spoken (ISO 639-1 code).", {"type": "string"}),
    _query("limit", "At most this many desks.", {"type": "integer", "minimum": 1, "maximum": 1000}),
]

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Portail du demandeur de logement social – données ouvertes",
        "version": "1",
        "description": (
            "Registration desks, information pages and public figures of the territory. "
            "Read-only, any origin."
        ),
        "license": {"name": "Licence Ouverte 2.0", "identifier": "etalab-2.0"},
    },
    "paths": {
        "/api/v1/desks": {
            "get": {
                "summary": "Desks of the reception and information network",
                "parameters": DESK_FILTERS,
                "responses": {
                    "200": {
                        "description": "The desks, nearest first when lat and lon are given.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["count", "desks"],
                                    "properties": {
                                        "count": {"type": "integer"},
                                        "desks": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Desk"},
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "400": _error,
                },
            }
        },
        "/api/v1/desks.csv": {
            "get": {
                "summary": "The same desks as CSV (UTF-8, comma-separated, one desk per line)",
                "parameters": DESK_FILTERS,
                "responses": {
                    "200": {
                        "description": "CSV file",
                        "content": {"text/csv": {"schema": {"type": "string"}}},
                    },
                    "400": _error,
                },
            }
        },
        "/api/v1/pages": {
            "get": {
                "summary": "Published information pages of one language",
                "parameters": [_query("lang", "Language code (default fr).", {"type": "string"})],
                "responses": {
                    "200": {
                        "description": "The pages, French where not translated.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "400": _error,
                },
            }
        },
        **observatory.PATHS,
    },
    "components": {
        "schemas": {
            **observatory.SCHEMAS,
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}, "parameter": {"type": "string"}},
            },
            "Desk": {
                "type": "object",
                "required": [
                    "id",
                    "name",
                    "level",
                    "address",
                    "postcode",
                    "commune_insee",
                    "latitude",
                    "longitude",
                    "status",
                    "languages",
                    "hours",
                ],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "organisation": {"type": "string"},
                    "level": {
                        "type": "integer",
                        "enum": [1, 2, 3],
                        "description": "1 information, 2 registration, 3 personal support",
                    },
                    "address": {"type": "string"},
                    "postcode": {"type": "string"},
                    "commune_insee": {"type": "string"},
                    "commune": {"type": "string"},
                    "latitude": {"type": "number"},
                    "longitude": {"type": "number"},
                    "phone": {"type": "string"},
                    "email": {"type": "string"},
                    "website": {"type": "string"},
                    "services": {
                        "type": "object",
                        "properties": {
                            "on_site": {"type": "boolean"},
                            "by_phone": {"type": "boolean"},
                            "online": {"type": "boolean"},
                        },
                    },
                    "access_mode": {"type": "string", "enum": ["walk_in", "appointment", "both"]},
                    "step_free": {"type": "boolean", "description": "Access for reduced mobility"},
                    "accessibility_notes": {"type": "string"},
                    "languages": {"type": "array", "items": {"type": "string"}},
                    "publics": {"type": "string"},
                    "documents": {"type": "string"},
                    "hours": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "day": {
                                    "type": "string",
                                    "enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                                },
                                "opens": {"type": "string"},
                                "closes": {"type": "string"},
                            },
                        },
                    },
                    "closures": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "from": {"type": "string", "format": "date"},
                                "to": {"type": "string", "format": "date"},
                                "reason": {"type": "string"},
                            },
                        },
                    },
                    "status": {
                        "type": "object",
                        "properties": {
                            "state": {
                                "type": "string",
                                "enum": ["open", "closing_soon", "closed", "temporarily_closed", "unknown"],
                            },
                            "closes_at": {"type": ["string", "null"], "format": "date-time"},
                            "next_opening": {"type": ["string", "null"], "format": "date-time"},
                            "reopens_on": {"type": ["string", "null"], "format": "date"},
                        },
                    },
                    "distance_km": {"type": ["number", "null"]},
                    "hours_confirmed_on": {"type": ["string", "null"], "format": "date"},
                    "updated_on": {"type": "string", "format": "date"},
                    "url": {"type": "string", "format": "uri"},
                    "demo": {"type": "boolean"},
                },
            },
        }
    },
}


@bp.route("/api/openapi.json")
def openapi():
    response = jsonify(DOCUMENT)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
