"""The simulator's form, made from the grid: it asks only the facts the grid reads."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from portal.cotation.grids import GridFile
from portal.ui.forms import BooleanField, IntegerField, PortalForm, RadioField

NO_GROUP_CHOICE = "none"


def simulator_form(grid_file: GridFile, locale: str) -> type[PortalForm]:
    """A form class with one field per fact of the grid (one radio group per exclusive group)."""
    grid, text = grid_file.grid, grid_file.text
    fields: dict[str, object] = {}
    grouped: dict[str, list] = {}
    for criterion in grid.criteria:
        label, _ = text.pick(text.labels[criterion.code], locale)
        question, _ = text.pick(text.questions.get(criterion.code) or text.labels[criterion.code], locale)
        if criterion.group:
            grouped.setdefault(criterion.group, []).append((criterion, label))
        elif criterion.fact == "abnormal_delay_exceeded" or criterion.fact in fields:
            continue  # derived from the filing date, or already asked
        elif criterion.kind == "per_month":
            fields[criterion.fact] = IntegerField(
                _l("How many months ago did you file your demand?"),
                validators=[
                    InputRequired(_l("Enter a number of months, 0 if you have not applied yet")),
                    NumberRange(0, 600, _l("Enter a number of months between 0 and 600")),
                ],
                hint=_l("Your filing date is on your registration certificate."),
                default=0,
            )
        elif criterion.kind == "flag":
            fields[criterion.fact] = BooleanField(label)
        elif criterion.kind == "bands":
            fields[criterion.fact] = IntegerField(
                question,
                validators=[Optional(), NumberRange(0, 300, _l("Enter a percentage between 0 and 300"))],
                hint=_l("Leave empty if you do not know."),
            )
        else:
            fields[criterion.fact] = IntegerField(
                question,
                validators=[Optional(), NumberRange(0, 50, _l("Enter a number between 0 and 50"))],
                default=0,
            )
    for group, members in grouped.items():
        title, _ = text.pick(text.groups[group], locale)
        fields[f"group_{group}"] = RadioField(
            title,
            choices=[SelectChoice(NO_GROUP_CHOICE, _l("None of these situations"))]
            + [SelectChoice(criterion.fact, label) for criterion, label in members],
            default=NO_GROUP_CHOICE,
            validators=[Optional()],
        )
    return type("SimulatorForm", (PortalForm,), fields)
