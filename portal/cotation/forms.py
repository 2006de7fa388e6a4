"""The simulator's form, made from the grid and the dictionary of facts: it asks only the facts the grid
reads (directly, through its computed facts, its conditions and its exclusions), each with the question
the dictionary gives it; the criteria of an exclusive group become one choice among their situations."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from portal.clock import months_before
from portal.cotation.dictionary import DWELLING_TYPES, Dictionary
from portal.cotation.engine import Event, Facts
from portal.cotation.expressions import parse
from portal.cotation.grids import GridFile, GridText
from portal.ui.forms import BooleanField, IntegerField, PortalForm, RadioField, SelectField

NO_GROUP_CHOICE = "none"
UNKNOWN_CHOICE = ""


def facts_read(grid_file: GridFile) -> list[str]:
    """The facts the grid reads, through its computed facts too, in the order of its criteria."""
    grid = grid_file.grid
    types = dict(grid.types)
    computed = dict(grid.computed)
    found: list[str] = []

    def add(name: str) -> None:
        if name in found:
            return
        if name in computed:
            for inner in sorted(parse(computed[name], types).names):
                add(inner)
            return
        found.append(name)

    for criterion in grid.criteria:
        if criterion.kind not in ("events", "condition"):
            add(criterion.fact)
        if criterion.when:
            for name in sorted(parse(criterion.when, types).names):
                add(name)
    for exclusion in grid.exclusions:
        for name in sorted(parse(exclusion.when, types).names):
            add(name)
    return found


def _grouped(grid_file: GridFile) -> dict[str, list]:
    """Exclusive groups of plain yes/no criteria: asked as one choice among their situations."""
    groups: dict[str, list] = {}
    for criterion in grid_file.grid.criteria:
        if criterion.group and criterion.kind == "flag" and not criterion.when and criterion.scope is None:
            groups.setdefault(criterion.group, []).append(criterion)
    return groups


def simulator_form(grid_file: GridFile, dictionary: Dictionary, locale: str) -> type[PortalForm]:
    """A form class with one field per fact the grid reads (one radio group per exclusive group)."""
    grid, text = grid_file.grid, grid_file.text
    grouped = _grouped(grid_file)
    in_groups = {criterion.fact for members in grouped.values() for criterion in members}
    fields: dict[str, object] = {}
    for name in facts_read(grid_file):
        if name in in_groups or name in ("mutation", "first_commune"):
            continue  # asked with its group; the kind of grid says whether a tenant asks
        if name == "filed_on":
            fields[name] = IntegerField(
                _l("How many months ago did you file your demand?"),
                validators=[
                    InputRequired(_l("Enter a number of months, 0 if you have not applied yet")),
                    NumberRange(0, 600, _l("Enter a number of months between 0 and 600")),
                ],
                hint=_l("Your filing date is on your registration certificate."),
                default=0,
            )
        elif name == "household_size":
            fields[name] = IntegerField(
                _l("How many people make up your household?"),
                validators=[InputRequired(_l("Enter a number of people")), NumberRange(1, 20)],
                default=1,
            )
        elif name == "dwelling_type":
            fields[name] = SelectField(
                _l("Which dwelling type do you ask for?"),
                choices=[(value, value) for value in DWELLING_TYPES],
                default="T2",
            )
        else:
            field = _fact_field(dictionary, name, locale)
            if field is not None:
                fields[name] = field
    for criterion in grid.criteria:
        if criterion.kind == "events" and f"events_{criterion.fact}" not in fields:
            label, _ = text.pick(text.questions.get(criterion.code) or text.labels[criterion.code], locale)
            fields[f"events_{criterion.fact}"] = IntegerField(
                label,
                validators=[Optional(), NumberRange(0, 50, _l("Enter a number between 0 and 50"))],
                hint=_l("Over the last %(months)s months.", months=criterion.months),
                default=0,
            )
    for group, members in grouped.items():
        title, _ = text.pick(text.groups[group], locale)
        fields[f"group_{group}"] = RadioField(
            title,
            choices=[SelectChoice(NO_GROUP_CHOICE, _l("None of these situations"))]
            + [
                SelectChoice(criterion.fact, text.pick(text.labels[criterion.code], locale)[0])
                for criterion in members
            ],
            default=NO_GROUP_CHOICE,
            validators=[Optional()],
        )
    return type("SimulatorForm", (PortalForm,), fields)


def _fact_field(dictionary: Dictionary, name: str, locale: str):
    fact = dictionary.get(name)
    if fact is None:
        return None
    label, _ = GridText.pick(fact.label, locale)
    question, _ = GridText.pick(fact.question or fact.label, locale)
    if fact.type == "yes_no":
        return BooleanField(label)
    if fact.type == "category":
        return RadioField(
            question,
            choices=[SelectChoice(UNKNOWN_CHOICE, _l("I do not know, or none of these"))]
            + [
                SelectChoice(choice, GridText.pick(fact.choice_labels[choice], locale)[0])
                for choice in fact.choices
            ],
            default=UNKNOWN_CHOICE,
            validators=[Optional()],
        )
    if fact.type == "date":
        return IntegerField(
            question,
            validators=[Optional(), NumberRange(0, 600, _l("Enter a number of months between 0 and 600"))],
            hint=_l("In months; leave empty if this does not apply to you."),
        )
    low = int(fact.minimum) if fact.minimum is not None else 0
    high = int(fact.maximum) if fact.maximum is not None else 1_000_000
    return IntegerField(
        question,
        validators=[
            Optional(),
            NumberRange(low, high, _l("Enter a number between %(low)s and %(high)s", low=low, high=high)),
        ],
        hint=_l("Leave empty if you do not know."),
        default=0 if fact.type == "count" else None,
    )


def simulated_facts(form: PortalForm, grid_file: GridFile, on: dt.date) -> Facts:
    """The answers as the engine reads them; nothing is kept. Events answered as a number are dated
    today (inside every window)."""
    values: dict = {"mutation": grid_file.grid.kind == "mutation"}
    events: list[Event] = []
    types = dict(grid_file.grid.types)
    for field in form:
        name, data = field.name, field.data
        if name == "csrf_token" or data in (None, ""):
            continue
        if name.startswith("group_"):
            if data != NO_GROUP_CHOICE:
                values[data] = True
        elif name.startswith("events_"):
            events.extend(Event(name.removeprefix("events_"), on) for _ in range(int(data)))
        elif types.get(name) == "date":
            values[name] = months_before(on, data)
        else:
            values[name] = data
    return Facts(values, frozenset(), tuple(events))
