"""Reading the grids of content/cotation/*.yaml: checked, with a message naming file, criterion and field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from portal.content import ContentError, read_yaml
from portal.cotation.dictionary import Dictionary, read_dictionary
from portal.cotation.engine import Grid
from portal.cotation.grammar import (
    check_computed_facts,
    check_criterion,
    check_exclusions,
    check_ties,
    texts,
    whole_number,
)

GRID_KINDS = ("general", "mutation")
STATUSES = ("draft", "active", "retired")
SOURCE_LOCALE = "fr"
DICTIONARY_FILE = "facts.yaml"


@dataclass(frozen=True)
class GridText:
    """What people read about a grid: names, labels, explanations and questions per locale."""

    name: dict[str, str]
    labels: dict[str, dict[str, str]]  # criterion code -> locale -> text
    explanations: dict[str, dict[str, str]]
    questions: dict[str, dict[str, str]] = field(default_factory=dict)
    groups: dict[str, dict[str, str]] = field(default_factory=dict)
    computed: dict[str, dict[str, str]] = field(default_factory=dict)  # computed fact -> its labels
    exclusions: dict[str, dict[str, str]] = field(default_factory=dict)  # exclusion code -> the reason

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


def read_grid_file(path: Path, dictionary: Dictionary) -> GridFile:
    """One grid file, checked against the dictionary of facts."""
    return grid_from_mapping(read_yaml(path), str(path), dictionary)


def grid_from_mapping(raw, where: str, dictionary: Dictionary) -> GridFile:
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
    version = whole_number(raw, "version", where)
    if not isinstance(raw.get("effective_from"), dt.date):
        raise ContentError(f"{where}: `effective_from` must be a date like 2026-01-01")
    groups_raw = raw.get("groups") or {}
    if not isinstance(groups_raw, dict):
        raise ContentError(f"{where}: `groups` maps a group code to its French name")
    groups = {
        str(group): texts({"name": names}, f"{where}: group `{group}`", "name", True)
        for group, names in groups_raw.items()
    }
    types, choices = dictionary.types(), dictionary.choices()
    computed, computed_kinds, computed_labels = check_computed_facts(raw, where, types, choices)
    types = {**types, **computed_kinds}
    floor, ceiling = whole_number(raw, "floor", where, False), whole_number(raw, "ceiling", where, False)
    if floor is not None and ceiling is not None and ceiling <= floor:
        raise ContentError(f"{where}: `ceiling` must be above `floor`")
    exclusions, reasons = check_exclusions(raw, where, types, choices)
    items = raw.get("criteria")
    if not isinstance(items, list) or not items:
        raise ContentError(f"{where}: `criteria` is empty")
    criteria, labels, explanations, questions = [], {}, {}, {}
    for index, item in enumerate(items):
        criterion = check_criterion(
            item, f"{where}: criteria[{index}]", set(groups), types, choices, dictionary
        )
        if criterion.code in labels:
            raise ContentError(f"{where}: criterion `{criterion.code}` appears twice")
        here = f"{where}: criterion `{criterion.code}`"
        labels[criterion.code] = texts(item, here, "label", True)
        explanations[criterion.code] = texts(item, here, "explanation", True)
        questions[criterion.code] = texts(item, here, "question", False)
        criteria.append(criterion)
    grid = Grid(
        code,
        raw["kind"],
        version,
        raw["effective_from"],
        tuple(criteria),
        tuple(computed),
        floor,
        ceiling,
        check_ties(raw, where),
        exclusions,
        tuple(sorted(types.items())),
    )
    text = GridText(
        texts(raw, where, "name", True), labels, explanations, questions, groups, computed_labels, reasons
    )
    return GridFile(grid, raw.get("status", "active"), text)


def grid_paths(folder: Path) -> list[Path]:
    """The grid files of a folder (every YAML file but the dictionary of facts)."""
    return [path for path in sorted(folder.glob("*.yaml")) if path.name != DICTIONARY_FILE]


def read_grids(folder: Path) -> tuple[Dictionary, list[GridFile]]:
    """The dictionary of facts of a folder (content/cotation/, or an example's) and its grids, checked."""
    dictionary = read_dictionary(folder / DICTIONARY_FILE)
    return dictionary, [read_grid_file(path, dictionary) for path in grid_paths(folder)]


def grid_in_force(grids: list[GridFile], kind: str, day: dt.date) -> GridFile | None:
    """The active grid of that kind with the latest effective date not after the day."""
    candidates = [
        item
        for item in grids
        if item.grid.kind == kind and item.status == "active" and item.grid.effective_from <= day
    ]
    return max(candidates, key=lambda item: (item.grid.effective_from, item.grid.version), default=None)
