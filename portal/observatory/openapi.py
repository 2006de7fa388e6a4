"""The public figures' part of the OpenAPI document (merged into portal/openapi.py)."""

from __future__ import annotations

from portal.observatory.definitions import INDICATORS

_LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of the definitions (a language code of the portal; default fr).",
    "schema": {"type": "string"},
}
_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_PUBLIC = [indicator for indicator in INDICATORS if indicator.public]
_NUMBER = {"count": "integer", "dwellings": "integer", "ratio": "number", "months": "number"}


def _answer(place: str) -> dict:
    return {
        "description": f"The public figures of the {place} over the twelve months before today.",
        "headers": {
            "Cache-Control": {"schema": {"type": "string"}, "description": "public, max-age=300"},
        },
        "content": {
            "application/json": {
                "schema": {
                    "allOf": [
                        {"$ref": "#/components/schemas/PublicFigures"},
                        {
                            "type": "object",
                            "required": [place],
                            "properties": {
                                place: {"$ref": "#/components/schemas/Place"},
                            },
                        },
                    ]
                }
            }
        },
    }


PATHS = {
    "/api/v1/territory/figures": {
        "get": {
            "summary": "Demands, allocations, waits and stock of the whole territory, by dwelling type",
            "parameters": [_LANG],
            "responses": {
                "200": _answer("territory"),
                "400": {"description": "A parameter is wrong; `parameter` names it.", **_ERROR},
            },
        }
    },
    "/api/v1/communes/{insee}/figures": {
        "get": {
            "summary": "Demands, allocations, waits and stock of one commune, by dwelling type",
            "parameters": [
                {
                    "name": "insee",
                    "in": "path",
                    "required": True,
                    "description": "INSEE code of a commune of the territory.",
                    "schema": {"type": "string", "pattern": "^[0-9AB]{5}$"},
                },
                _LANG,
            ],
            "responses": {
                "200": _answer("commune"),
                "400": {"description": "A parameter is wrong; `parameter` names it.", **_ERROR},
                "404": {"description": "No commune of the territory has this code.", **_ERROR},
            },
        }
    },
}

SCHEMAS = {
    "Place": {
        "type": "object",
        "required": ["name", "url"],
        "properties": {
            "insee": {"type": "string", "description": "INSEE code (communes only)"},
            "name": {"type": "string"},
            "url": {"type": "string", "format": "uri", "description": "The page with these figures"},
        },
    },
    "Figures": {
        "type": "object",
        "description": (
            "One group's public indicators. Statistical secrecy: a value resting on fewer than "
            "`secrecy_threshold` households is null and its name is listed in `hidden`; a ratio on no "
            "allocation is null without being hidden."
        ),
        "required": [indicator.name for indicator in _PUBLIC] + ["hidden"],
        "properties": {
            **{
                indicator.name: {"type": [_NUMBER.get(indicator.kind, "number"), "null"]}
                for indicator in _PUBLIC
            },
            "hidden": {
                "type": "array",
                "items": {"type": "string", "enum": [indicator.name for indicator in _PUBLIC]},
            },
        },
    },
    "PublicFigures": {
        "type": "object",
        "required": [
            "language",
            "period",
            "stock_year",
            "computed_at",
            "secrecy_threshold",
            "secrecy_note",
            "figures",
            "definitions",
        ],
        "properties": {
            "language": {"type": "string"},
            "period": {
                "type": ["object", "null"],
                "description": "Both days included; null when no figures were computed yet.",
                "properties": {
                    "start": {"type": "string", "format": "date"},
                    "end": {"type": "string", "format": "date"},
                },
            },
            "stock_year": {
                "type": ["integer", "null"],
                "description": "The stock is counted on 1 January of this year.",
            },
            "computed_at": {"type": ["string", "null"], "format": "date-time"},
            "secrecy_threshold": {"type": "integer"},
            "secrecy_note": {"type": "string"},
            "figures": {
                "type": ["object", "null"],
                "description": "Null for a commune the latest computation did not count yet.",
                "required": ["all", "by_type"],
                "properties": {
                    "all": {"$ref": "#/components/schemas/Figures"},
                    "by_type": {
                        "type": "object",
                        "description": "T1 to T5 (T5 means five rooms or more).",
                        "propertyNames": {"enum": ["T1", "T2", "T3", "T4", "T5"]},
                        "additionalProperties": {"$ref": "#/components/schemas/Figures"},
                    },
                },
            },
            "definitions": {
                "type": "object",
                "description": "What each indicator means, in the language asked.",
                "additionalProperties": {
                    "type": "object",
                    "required": ["label", "definition", "kind"],
                    "properties": {
                        "label": {"type": "string"},
                        "definition": {"type": "string"},
                        "kind": {
                            "type": "string",
                            "enum": ["count", "ratio", "share", "months", "dwellings"],
                        },
                    },
                },
            },
        },
    },
}
