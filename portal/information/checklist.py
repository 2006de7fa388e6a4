"""The documents checklist by situation (content/checklist/<locale>.yaml): the one document the
registration needs, and what the landlord may ask at instruction. Every language file has the French
file's keys and situations (checked when the portal starts); a language without a file shows French."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from portal.content import load_yaml

TEXTS = (
    "title",
    "intro",
    "situations_legend",
    "show",
    "registration_title",
    "registration_note",
    "instruction_title",
    "situation_title",
    "none_chosen",
    "print_hint",
    "more",
)
LISTS = ("registration", "instruction", "notes")
SITUATIONS = (
    "employee",
    "self_employed",
    "student",
    "retired",
    "no_income",
    "refugee",
    "separated",
    "disabled",
)


class ChecklistError(ValueError):
    """A checklist file that lacks a text, a list or a situation, or has one too many."""


@dataclass(frozen=True)
class Situation:
    code: str
    label: str
    documents: tuple[str, ...]


@dataclass(frozen=True)
class Checklist:
    locale: str
    texts: dict[str, str]
    lists: dict[str, tuple[str, ...]]
    situations: tuple[Situation, ...]

    def situation(self, code: str) -> Situation | None:
        return next((item for item in self.situations if item.code == code), None)


def _strings(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(item, str) and item for item in value):
        raise ChecklistError(f"{where}: a list of texts is expected")
    return tuple(value)


def read_checklist(path: Path) -> Checklist:
    raw = load_yaml(path.read_text(encoding="utf-8")) or {}
    where = path.name
    extra = set(raw) - {*TEXTS, *LISTS, "situations"}
    if extra:
        raise ChecklistError(f"{where}: unknown keys {', '.join(sorted(extra))}")
    texts = {}
    for key in TEXTS:
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ChecklistError(f"{where}: `{key}` is missing")
        texts[key] = raw[key].strip()
    lists = {key: _strings(raw.get(key), f"{where}, {key}") for key in LISTS}
    situations = raw.get("situations") or {}
    if tuple(situations) != SITUATIONS:
        raise ChecklistError(f"{where}: the situations must be {', '.join(SITUATIONS)}, in that order")
    return Checklist(
        path.stem,
        texts,
        lists,
        tuple(
            Situation(
                code,
                str(situations[code].get("label") or "").strip()
                or _missing(f"{where}, {code}: `label` is missing"),
                _strings(situations[code].get("documents"), f"{where}, {code}"),
            )
            for code in SITUATIONS
        ),
    )


def _missing(message: str):
    raise ChecklistError(message)


def read_all(content_dir: Path) -> dict[str, Checklist]:
    folder = content_dir / "checklist"
    return {path.stem: read_checklist(path) for path in sorted(folder.glob("*.yaml"))}


def checklist_for(locale: str) -> Checklist:
    """The checklist in `locale`, or in French when there is none in that language."""
    found = current_app.extensions["portal.checklists"]
    return found.get(locale) or found["fr"]


def init_app(app) -> None:
    app.extensions["portal.checklists"] = read_all(app.config["PORTAL_SETTINGS"].content_dir)
