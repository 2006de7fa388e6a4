"""Reading the grids of content/cotation/*.yaml: checked, with a message naming file, criterion and field."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from portal.content import ContentError, read_yaml
from portal.cotation.engine import KINDS, VERIFICATIONS, Band, Criterion, Grid

GRID_KINDS = ("general", "mutation")
STATUSES = ("draft", "active", "retired")
SOURCE_LOCALE = "fr"


@dataclass(frozen=True)
class GridText:
    """What people read about a grid: names, labels, explanations and questions per locale."""

    name: dict[str, str]
    labels: dict[str, dict[str, str]]  # criterion code -> locale -> text
    explanations: dict[str, dict[str, str]]
    questions: dict[str, dict[str, str]] = field(default_factory=dict)
    groups: dict[str, dict[str, str]] = field(default_factory=dict)

    @staticmethod
    def pick(texts: dict[str, str], locale: str) -> tuple[str, str]:
        """(text, its locale): the reader's locale when translated, else French."""
        if texts.get(locale):
            return texts[locale], locale
        return texts.get(SOURCE_LOCALE, ""), SOURCE_LOCALE


@dataclass(frozen=True)
class GridFile:
    grid: Grid
    status: str
    text: GridText


def _texts(raw, where: str, key: str, required: bool) -> dict[str, str]:
    value = raw.get(key)
    if value is None and not required:
        return {}
    if (
        not isinstance(value, dict)
        or not isinstance(value.get(SOURCE_LOCALE), str)
        or not value[SOURCE_LOCALE]
    ):
        raise ContentError(f"{where}: `{key}` needs a French text (`{key}: {{fr: …}}`)")
    return {str(locale): str(text) for locale, text in value.items()}


def _int(raw, key: str, where: str, required: bool = True) -> int | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ContentError(f"{where}: `{key}` must be a whole number")
    return value


def _criterion(raw, where: str, groups: set[str]) -> Criterion:
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: must be a mapping")
    code = raw.get("code")
    if not isinstance(code, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", code):
        raise ContentError(f"{where}: `code` must be lower-case letters, digits and _")
    where = f"{where.rsplit(':', 1)[0]}: criterion `{code}`"
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ContentError(f"{where}: `kind` must be one of {', '.join(KINDS)}")
    fact = raw.get("fact")
    if not isinstance(fact, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", fact):
        raise ContentError(f"{where}: `fact` must name a fact of the demand")
    verification = raw.get("verification", "declared")
    if verification not in VERIFICATIONS:
        raise ContentError(f"{where}: `verification` must be one of {', '.join(VERIFICATIONS)}")
    group = raw.get("group")
    if group is not None and group not in groups:
        raise ContentError(f"{where}: `group` {group!r} is not declared under `groups`")
    bands: list[Band] = []
    if kind == "bands":
        raw_bands = raw.get("bands")
        if not isinstance(raw_bands, list) or not raw_bands:
            raise ContentError(f"{where}: `bands` must list bands like {{min: 30, max: 40, points: 5}}")
        for index, item in enumerate(raw_bands):
            here = f"{where}: bands[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get("min"), int | float):
                raise ContentError(f"{here}: needs a number `min`")
            maximum = item.get("max")
            if maximum is not None and (not isinstance(maximum, int | float) or maximum <= item["min"]):
                raise ContentError(f"{here}: `max` must be a number above `min`")
            bands.append(
                Band(
                    float(item["min"]),
                    float(maximum) if maximum is not None else None,
                    _int(item, "points", here),
                )
            )
        for first, second in pairwise(bands):
            if first.maximum is None or second.minimum < first.maximum:
                raise ContentError(f"{where}: `bands` overlap or are not in increasing order")
        points = 0
    else:
        points = _int(raw, "points", where)
    if points is not None and points < 0 and kind != "count":
        raise ContentError(f"{where}: negative `points` (a penalty) are only for kind `count`")
    cap = _int(raw, "cap", where, required=False)
    if cap is not None and (cap <= 0 or kind not in ("per_month", "count")):
        raise ContentError(f"{where}: `cap` is a positive number, for kinds per_month and count")
    return Criterion(
        code, str(raw.get("family", "")), kind, fact, points or 0, cap, tuple(bands), group, verification
    )


def read_grid_file(path: Path) -> GridFile:
    """One grid file, checked."""
    return grid_from_mapping(read_yaml(path), str(path))


def grid_from_mapping(raw, where: str) -> GridFile:
    """A grid as a file writes it (a mapping), checked; `where` starts every message. The back-office's
    grid editor checks its drafts through this too, so files and editor follow the same rules."""
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: must be a mapping")
    code = raw.get("code")
    if not isinstance(code, str) or not code:
        raise ContentError(f"{where}: `code` is missing")
    if raw.get("kind") not in GRID_KINDS:
        raise ContentError(f"{where}: `kind` must be one of {', '.join(GRID_KINDS)}")
    if raw.get("status", "active") not in STATUSES:
        raise ContentError(f"{where}: `status` must be one of {', '.join(STATUSES)}")
    version = _int(raw, "version", where)
    if not isinstance(raw.get("effective_from"), dt.date):
        raise ContentError(f"{where}: `effective_from` must be a date like 2026-01-01")
    groups_raw = raw.get("groups") or {}
    if not isinstance(groups_raw, dict):
        raise ContentError(f"{where}: `groups` maps a group code to its French name")
    groups = {
        str(group): _texts({"name": texts}, f"{where}: group `{group}`", "name", True)
        for group, texts in groups_raw.items()
    }
    items = raw.get("criteria")
    if not isinstance(items, list) or not items:
        raise ContentError(f"{where}: `criteria` is empty")
    criteria, labels, explanations, questions = [], {}, {}, {}
    for index, item in enumerate(items):
        criterion = _criterion(item, f"{where}: criteria[{index}]", set(groups))
        if criterion.code in labels:
            raise ContentError(f"{where}: criterion `{criterion.code}` appears twice")
        here = f"{where}: criterion `{criterion.code}`"
        labels[criterion.code] = _texts(item, here, "label", True)
        explanations[criterion.code] = _texts(item, here, "explanation", True)
        questions[criterion.code] = _texts(item, here, "question", False)
        criteria.append(criterion)
    kinds_by_fact: dict[str, str] = {}
    for criterion in criteria:
        if kinds_by_fact.setdefault(criterion.fact, criterion.kind) != criterion.kind:
            raise ContentError(
                f"{where}: criterion `{criterion.code}` reads fact `{criterion.fact}` as "
                f"{criterion.kind}, another criterion as {kinds_by_fact[criterion.fact]}"
            )
    grid = Grid(code, raw["kind"], version, raw["effective_from"], tuple(criteria))
    text = GridText(_texts(raw, where, "name", True), labels, explanations, questions, groups)
    return GridFile(grid, raw.get("status", "active"), text)


def read_grids(content_dir: Path) -> list[GridFile]:
    """Every grid of content/cotation/, checked."""
    return [read_grid_file(path) for path in sorted((content_dir / "cotation").glob("*.yaml"))]


def grid_in_force(grids: list[GridFile], kind: str, day: dt.date) -> GridFile | None:
    """The active grid of that kind with the latest effective date not after the day."""
    candidates = [
        item
        for item in grids
        if item.grid.kind == kind and item.status == "active" and item.grid.effective_from <= day
    ]
    return max(candidates, key=lambda item: (item.grid.effective_from, item.grid.version), default=None)
