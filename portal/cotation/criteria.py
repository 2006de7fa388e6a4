"""A criterion's stored form and the editor's form of it: its rules and texts as mappings, bands and steps
written as text ("0-20: 10", ">=24:10; >36:20"), and a version as the mapping the grid files use, checked
by their rules against the dictionary of facts (portal.cotation.grids.grid_from_mapping)."""

from __future__ import annotations

import re

from portal.content import ContentError
from portal.cotation.dictionary import Dictionary
from portal.cotation.grids import SOURCE_LOCALE, GridFile, grid_from_mapping
from portal.cotation.models import CriterionRecord, GridRecord


class GridRefused(Exception):
    """A change the editor cannot make; `reason` is for people (translated by the caller's view)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


_BAND = re.compile(r"^(\d+(?:[.,]\d+)?)\s*[-–]\s*(\d+(?:[.,]\d+)?)?\s*:\s*([+-]?\d+)$")


def rules(item: CriterionRecord) -> dict:
    """How a criterion gives points (what the audit log shows before and after)."""
    return {
        "code": item.code,
        "kind": item.kind,
        "fact": item.fact,
        "points": item.points,
        "cap": item.cap,
        "bands": format_bands(item.bands),
        "group": item.group_code,
        "verification": item.verification,
        "options": dict(item.options or {}),
        "label_fr": item.label.get(SOURCE_LOCALE, ""),
        "explanation_fr": item.explanation.get(SOURCE_LOCALE, ""),
    }


def texts(item: CriterionRecord) -> dict:
    return {"label": item.label, "explanation": item.explanation, "question": item.question}


def parse_bands(text: str) -> list[dict]:
    """`30-40:5; 40-50:10; 50-:15` (or one band a line) as the grid files write bands; ValueError if not."""
    bands = []
    for part in re.split(r"[;\n]", text or ""):
        part = part.strip()
        if not part:
            continue
        match = _BAND.match(part)
        if match is None:
            raise ValueError(part)
        low, high, points = match.groups()
        bands.append(
            {
                "min": _number(low),
                "max": _number(high) if high is not None else None,
                "points": int(points),
            }
        )
    return bands


def _number(text: str) -> int | float:
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() else value


_STEP = re.compile(r"^(>=|>)\s*(\d+(?:[.,]\d+)?)\s*:\s*([+-]?\d+)$")


def parse_steps(text: str) -> list[dict]:
    """`>=24:10; >36:20` (>= reached, > exceeded; or one a line) as the grid files write steps."""
    steps = []
    for part in re.split(r"[;\n]", text or ""):
        part = part.strip()
        if not part:
            continue
        match = _STEP.match(part)
        if match is None:
            raise ValueError(part)
        sign, value, points = match.groups()
        steps.append({"above" if sign == ">" else "from": _number(value), "points": int(points)})
    return steps


def format_steps(steps: list[dict]) -> str:
    parts = []
    for step in steps:
        sign, value = (">", step["above"]) if "above" in step else (">=", step["from"])
        parts.append(f"{sign}{format(value, 'g')}:{step['points']}")
    return "; ".join(parts)


def format_bands(bands: list[dict]) -> str:
    return "; ".join(
        f"{band['min']:g}-{'' if band['max'] is None else format(band['max'], 'g')}:{band['points']}"
        for band in bands
    )


def mapping(record: GridRecord) -> dict:
    """The version as a grid file writes it, to check it with the files' rules."""
    return {
        "code": record.code,
        "kind": record.kind,
        "version": record.version,
        "effective_from": record.effective_from,
        "status": record.status,
        "name": record.name,
        "groups": record.groups,
        **file_rules(record.rules or {}),
        "criteria": [_item(item) for item in record.criteria],
    }


def file_rules(rules: dict) -> dict:
    """A grid's stored rules (computed facts, floor, ceiling, ties, exclusions) as its file writes them."""
    raw: dict = {}
    if rules.get("computed"):
        raw["computed"] = {
            item["name"]: {"expression": item["expression"], "label": dict(item["label"])}
            for item in rules["computed"]
        }
    for name in ("floor", "ceiling"):
        if rules.get(name) is not None:
            raw[name] = rules[name]
    if rules.get("ties"):
        raw["ties"] = [dict(item) for item in rules["ties"]]
    if rules.get("exclusions"):
        raw["exclusions"] = [
            {"code": item["code"], "when": item["when"], "reason": dict(item["reason"])}
            for item in rules["exclusions"]
        ]
    return raw


def _item(item: CriterionRecord) -> dict:
    raw = {
        "code": item.code,
        "family": item.family,
        "kind": item.kind,
        "fact": item.fact,
        "verification": item.verification,
        "label": dict(item.label),
        "explanation": dict(item.explanation),
    }
    if item.question:
        raw["question"] = dict(item.question)
    if item.group_code:
        raw["group"] = item.group_code
    if item.kind == "bands":
        raw["bands"] = [dict(band) for band in item.bands]
    elif item.kind == "steps":
        raw["steps"] = [dict(step) for step in (item.options or {}).get("steps", [])]
    else:
        raw["points"] = item.points
    for name in ("when", "scope", "months", "fade"):
        if (item.options or {}).get(name) is not None:
            raw[name] = item.options[name]
    if item.kind == "condition":
        raw.pop("fact", None)
    if item.cap is not None:
        raw["cap"] = item.cap
    return raw


def check(raw: dict, dictionary: Dictionary) -> GridFile:
    """The grid-file rules; GridRefused names the broken one (in English, as the files' messages)."""
    try:
        return grid_from_mapping(raw, f"{raw['code']} v{raw['version']}", dictionary)
    except ContentError as exc:
        raise GridRefused("rules", str(exc)) from exc
