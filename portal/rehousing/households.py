"""The file of households to rehouse, read and checked whole before anything is written: one line per
household, the columns below (semicolons or commas, UTF-8 or Windows-1252, as a spreadsheet saves it).
Every problem is reported by line and column; one problem and nothing is imported. A reference already
in the operation updates that household (a survey done again), a new one adds it.

  reference               the landlord's reference of the household (no name)      required
  persons                 people in the household, 1 to 20                        required
  children                of whom children (empty: 0)
  current_type            the dwelling it leaves, T1 to T5 (T5 and more)            required
  rent, rent_after_aid    its rent today and what it pays after housing benefit, € a month
  wished_type             the dwelling type it needs, T1 to T5                      required
  wished_communes         the communes it wishes, INSEE codes separated by spaces (empty: any)
  accessibility, ageing_or_disability, stay_in_neighbourhood    oui/non (empty: non)
  rent_ceiling            the most it can pay after aid, € a month
  survey_on               the social survey's date, 2026-03-31 or 31/03/2026
  followed_by             the worker following the household
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from portal import csvfiles
from portal.demands.models import DWELLING_TYPES
from portal.rehousing.models import HOUSEHOLD_FIELDS
from portal.text import parse_euros

COLUMNS = HOUSEHOLD_FIELDS
REQUIRED = ("reference", "persons", "current_type", "wished_type")
MAX_LINES = 5000
MAX_PERSONS = 20
YES = {"oui", "o", "yes", "y", "1", "vrai", "true", "x"}
NO = {"non", "n", "no", "0", "faux", "false", ""}


@dataclass
class Reading:
    """The households read from a file (their values by column), or its problems as
    (line, column, code, value): see `problem codes` in the workspace's import page."""

    households: list[dict] = field(default_factory=list)
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)


def dwelling(value: str) -> str | None:
    value = value.strip().upper().rstrip("+")
    if value.startswith("T") and value[1:].isdigit() and int(value[1:]) >= 5:
        return "T5"
    return value if value in DWELLING_TYPES else None


def day(value: str) -> dt.date | None:
    for parse in (dt.date.fromisoformat, lambda text: dt.datetime.strptime(text, "%d/%m/%Y").date()):
        try:
            return parse(value.strip())
        except ValueError:
            continue
    return None


def parse_row(raw: dict[str, str], communes: set[str]) -> tuple[dict, list[tuple[str, str, str]]]:
    """One line's values, and its problems as (column, code, value)."""
    problems: list[tuple[str, str, str]] = []
    cell = {column: (raw.get(column) or "").strip() for column in COLUMNS}
    for column in REQUIRED:
        if not cell[column]:
            problems.append((column, "required", ""))
    values: dict = {"reference": cell["reference"], "followed_by": cell["followed_by"]}
    if len(cell["reference"]) > 40:
        problems.append(("reference", "too_long", "40"))
    if len(cell["followed_by"]) > 120:
        problems.append(("followed_by", "too_long", "120"))
    for column, low in (("persons", 1), ("children", 0)):
        text = cell[column] or ("0" if column == "children" else "")
        if text and not (text.isdigit() and low <= int(text) <= MAX_PERSONS):
            problems.append((column, "persons", text))
        values[column] = int(text) if text.isdigit() else None
    if values["persons"] and values["children"] is not None and values["children"] >= values["persons"]:
        problems.append(("children", "children", cell["children"]))
    for column in ("current_type", "wished_type"):
        values[column] = dwelling(cell[column])
        if cell[column] and values[column] is None:
            problems.append((column, "type", cell[column]))
    for column in ("rent", "rent_after_aid", "rent_ceiling"):
        values[column] = parse_euros(cell[column]) if cell[column] else None
        if cell[column] and values[column] is None:
            problems.append((column, "amount", cell[column]))
    for column in ("accessibility", "ageing_or_disability", "stay_in_neighbourhood"):
        answer = cell[column].casefold()
        values[column] = answer in YES
        if answer not in YES | NO:
            problems.append((column, "yes_no", cell[column]))
    wished = cell["wished_communes"].replace(",", " ").replace("|", " ").split()
    problems += [("wished_communes", "commune", code) for code in wished if code not in communes]
    values["wished_communes"] = list(dict.fromkeys(wished))
    values["survey_on"] = day(cell["survey_on"]) if cell["survey_on"] else None
    if cell["survey_on"] and values["survey_on"] is None:
        problems.append(("survey_on", "date", cell["survey_on"]))
    return values, problems


def read(raw: bytes, communes: set[str]) -> Reading:
    """The file checked line by line against the territory's communes; nothing is written."""
    reading = Reading()
    text = csvfiles.decode(raw)
    if text is None or not text.strip():
        reading.problems.append((0, "", "empty", ""))
        return reading
    rows = csvfiles.rows(text)
    header = [cell.strip().casefold() for cell in next(rows, [])]
    reading.problems += [(1, column, "missing_column", column) for column in REQUIRED if column not in header]
    reading.problems += [(1, column, "unknown_column", column) for column in header if column not in COLUMNS]
    if reading.problems:
        return reading
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if number > MAX_LINES + 1:
            reading.problems.append((number, "", "too_many", str(MAX_LINES)))
            break
        values, problems = parse_row(dict(zip(header, row, strict=False)), communes)
        key = values["reference"].casefold()
        if key and key in seen:
            problems.append(("reference", "twice", str(seen[key])))
        seen.setdefault(key, number)
        reading.problems += [(number, column, code, value) for column, code, value in problems]
        reading.households.append(values)
    if not reading.households and not reading.problems:
        reading.problems.append((0, "", "empty", ""))
    return reading
