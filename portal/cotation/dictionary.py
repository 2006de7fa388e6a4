"""The territory's dictionary of facts (content/cotation/facts.yaml): the facts its grids may read, each with
its type, its labels and simulator question in every locale, whether the applicant declares it or it is
checked, and the demands file's column that carries it. Grids, the demands import, the simulator and the
grid editor all read it; nothing in code lists a territory's facts.

Besides, every demand has these facts (from its own columns): `filed_on` (date of first filing),
`household_size`, `dwelling_type` (T1 to T5), `first_commune` (INSEE code) and `mutation` (already a
social tenant).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from portal.content import ContentError, read_yaml
from portal.cotation.expressions import TYPES

SOURCE_LOCALE = "fr"
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
DWELLING_TYPES = ("T1", "T2", "T3", "T4", "T5")
# The facts every demand has, from its own columns (not from the dictionary), with their types.
BUILT_IN: dict[str, str] = {
    "filed_on": "date",
    "household_size": "count",
    "dwelling_type": "category",
    "first_commune": "category",
    "mutation": "yes_no",
}
BUILT_IN_CHOICES = {"dwelling_type": DWELLING_TYPES}
# Columns of the demands file that are the demand's own, which no fact may take.
RESERVED_COLUMNS = (
    "number",
    "lookup_hash",
    "filed_on",
    "renewed_on",
    "status",
    "mutation",
    "dwelling_type",
    "first_commune",
    "other_communes",
    "household_size",
    "allocated_on",
    "checked",
)
FACT_VERIFICATIONS = ("declared", "checked", "computed")


@dataclass(frozen=True)
class Fact:
    name: str
    type: str  # one of expressions.TYPES
    label: dict[str, str]
    question: dict[str, str] = field(default_factory=dict)
    verification: str = "declared"
    column: str = ""  # the demands file's column; empty: the fact is not imported
    choices: tuple[str, ...] = ()  # a category's values
    choice_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    minimum: float | None = None  # what the simulator accepts for a number
    maximum: float | None = None


@dataclass(frozen=True)
class Dictionary:
    facts: tuple[Fact, ...] = ()

    def get(self, name: str) -> Fact | None:
        return next((fact for fact in self.facts if fact.name == name), None)

    def types(self) -> dict[str, str]:
        """Every fact a grid may read, with its type (the demand's own facts included)."""
        return {**BUILT_IN, **{fact.name: fact.type for fact in self.facts}}

    def choices(self) -> dict[str, tuple[str, ...]]:
        return {**BUILT_IN_CHOICES, **{fact.name: fact.choices for fact in self.facts if fact.choices}}

    def columns(self) -> dict[str, Fact]:
        """The demands file's columns that carry facts."""
        return {fact.column: fact for fact in self.facts if fact.column}


def texts(raw, where: str, key: str, required: bool) -> dict[str, str]:
    """A text in every locale given, French required when `required` (for grids and dictionaries)."""
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


def _bound(raw: dict, key: str, where: str) -> float | None:
    value = raw.get(key)
    if value is not None and (not isinstance(value, int | float) or isinstance(value, bool)):
        raise ContentError(f"{where}: `{key}` must be a number")
    return value


def _fact(name, raw, where: str) -> Fact:
    if not isinstance(name, str) or not NAME.match(name):
        raise ContentError(f"{where}: fact names are lower-case letters, digits and _ (not {name!r})")
    where = f"{where}: fact `{name}`"
    if name in BUILT_IN:
        raise ContentError(f"{where}: every demand has this fact already; remove it from the dictionary")
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: must be a mapping")
    kind = raw.get("type")
    if kind not in TYPES:
        raise ContentError(f"{where}: `type` must be one of {', '.join(TYPES)}")
    verification = raw.get("verification", "declared")
    if verification not in FACT_VERIFICATIONS:
        raise ContentError(f"{where}: `verification` must be one of {', '.join(FACT_VERIFICATIONS)}")
    column = raw.get("column", name)
    if column is None or column is False:
        column = ""
    if not isinstance(column, str) or (column and not NAME.match(column)):
        raise ContentError(f"{where}: `column` is a lower-case column name, or false when not imported")
    if column in RESERVED_COLUMNS:
        raise ContentError(f"{where}: `column` {column!r} is one of the demand's own columns")
    choices, choice_labels = (), {}
    if kind == "category":
        raw_choices = raw.get("choices")
        if not isinstance(raw_choices, dict) or not raw_choices:
            raise ContentError(f"{where}: a category lists its `choices`, each with its French label")
        for choice, labels in raw_choices.items():
            if not isinstance(choice, str) or not NAME.match(choice):
                raise ContentError(f"{where}: choice {choice!r} must be lower-case letters, digits and _")
            choice_labels[choice] = texts({"label": labels}, f"{where}: choice `{choice}`", "label", True)
        choices = tuple(choice_labels)
    elif "choices" in raw:
        raise ContentError(f"{where}: only a category has `choices`")
    minimum, maximum = _bound(raw, "minimum", where), _bound(raw, "maximum", where)
    if minimum is not None and maximum is not None and maximum <= minimum:
        raise ContentError(f"{where}: `maximum` must be above `minimum`")
    return Fact(
        name,
        kind,
        texts(raw, where, "label", True),
        texts(raw, where, "question", False),
        verification,
        column,
        choices,
        choice_labels,
        minimum,
        maximum,
    )


def dictionary_from_mapping(raw, where: str) -> Dictionary:
    if not isinstance(raw, dict) or not isinstance(raw.get("facts"), dict) or not raw["facts"]:
        raise ContentError(f"{where}: `facts` maps each fact's name to its type, labels and column")
    facts = tuple(_fact(name, item, where) for name, item in raw["facts"].items())
    columns: dict[str, str] = {}
    for fact in facts:
        if fact.column and columns.setdefault(fact.column, fact.name) != fact.name:
            raise ContentError(f"{where}: facts `{columns[fact.column]}` and `{fact.name}` share a column")
    return Dictionary(facts)


def read_dictionary(path: Path) -> Dictionary:
    """A dictionary file, checked; ContentError names the file, the fact and the field."""
    if not path.is_file():
        raise ContentError(f"{path}: the dictionary of facts is missing")
    return dictionary_from_mapping(read_yaml(path), str(path))
