"""The grid editor's forms: a criterion (its rule and French texts), a new criterion, the activation date.
Every form carries the draft's fingerprint (`lock`), so that a save made on an older copy is refused."""

from __future__ import annotations

import re

import wtforms
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.cotation import criteria
from portal.cotation.engine import EVENT_KINDS, KINDS
from portal.cotation.grammar import NEGATIVE_ALLOWED, READS
from portal.cotation.grids import SOURCE_LOCALE
from portal.ui.forms import DateField, IntegerField, PortalForm, SelectField, StringField, TextAreaField


def kind_label(kind: str) -> str:
    return {
        "flag": _("yes or no"),
        "per_month": _("per month"),
        "bands": _("bands of a number"),
        "count": _("per item counted"),
        "steps": _("steps of a number"),
        "since": _("for some time after a date"),
        "events": _("per event over a period"),
        "condition": _("when a condition holds"),
    }[kind]


def verification_choices() -> list[tuple[str, str]]:
    return [
        ("computed", _("Computed from the demand")),
        ("declared", _("Declared by the applicant")),
        ("checked", _("Counted once proved")),
    ]


class LockForm(PortalForm):
    """What every change carries: the draft's fingerprint when the page was shown (optimistic lock)."""

    lock = wtforms.HiddenField()


class CriterionForm(LockForm):
    points = IntegerField(
        _l("Points"),
        validators=[Optional()],
        hint=_l("Negative points (a penalty): for a yes/no fact, a count, events or a condition"),
    )
    cap = IntegerField(
        _l("Cap (optional)"),
        validators=[Optional()],
        hint=_l("The most months or items counted: for a count, events or points per month"),
    )
    bands = TextAreaField(
        _l("Bands"),
        validators=[Optional(), Length(max=1000)],
        hint=_l("From-to:points, separated by ; or one a line, for example 30-40:5; 40-50:10; 50-:15"),
    )
    steps = TextAreaField(
        _l("Steps"),
        validators=[Optional(), Length(max=1000)],
        hint=_l(
            "Threshold:points, >= when reaching it is enough, > when it must be exceeded: >=24:10; >36:20"
        ),
    )
    months = IntegerField(
        _l("Months (optional)"),
        validators=[Optional(), NumberRange(1, 600)],
        hint=_l("For points after a date: how long they last; for events: the period counted"),
    )
    fade = IntegerField(
        _l("Points lost each month (optional)"),
        validators=[Optional(), NumberRange(1, 1000)],
        hint=_l("For points after a date that decrease month by month"),
    )
    when = StringField(
        _l("Condition (optional)"),
        validators=[Optional(), Length(max=500)],
        hint=_l("The criterion counts only when it holds, for example: dependants >= 1 and not hosted"),
    )
    scope_communes = StringField(
        _l("Only for demands naming these communes (optional)"),
        validators=[Optional(), Length(max=500)],
        hint=_l("INSEE codes separated by spaces"),
    )
    scope_dwellings = StringField(
        _l("Only for these dwelling types (optional)"),
        validators=[Optional(), Length(max=40)],
        hint=_l("For example: T4 T5"),
    )
    group = SelectField(_l("Exclusive group"), validators=[Optional()])
    verification = SelectField(_l("Verification"), validators=[DataRequired()])
    label = StringField(
        _l("Label in French"), validators=[DataRequired(_l("Write the label")), Length(max=300)]
    )
    explanation = TextAreaField(
        _l("Explanation in French"), validators=[DataRequired(_l("Write the explanation")), Length(max=2000)]
    )

    def __init__(self, *args, kind: str = "flag", groups: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_value = kind
        self.group.choices = [("", _("none"))] + [
            (code, names.get(SOURCE_LOCALE, code)) for code, names in (groups or {}).items()
        ]
        self.verification.choices = verification_choices()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        kind = self.current_kind()
        self.parsed_bands = []
        self.parsed_steps = []
        if kind == "steps":
            try:
                self.parsed_steps = criteria.parse_steps(self.steps.data or "")
            except ValueError as exc:
                self.steps.errors = [
                    *self.steps.errors,
                    _(
                        "“%(part)s” is not a step: write >=threshold:points or >threshold:points",
                        part=str(exc),
                    ),
                ]
                return False
            if not self.parsed_steps:
                self.steps.errors = [*self.steps.errors, _("Write at least one step, like >=24:10")]
                return False
        elif kind == "bands":
            try:
                self.parsed_bands = criteria.parse_bands(self.bands.data or "")
            except ValueError as exc:
                self.bands.errors = [
                    *self.bands.errors,
                    _("“%(part)s” is not a band: write from-to:points, like 30-40:5", part=str(exc)),
                ]
                return False
            if not self.parsed_bands:
                self.bands.errors = [*self.bands.errors, _("Write at least one band, like 30-40:5")]
                return False
            if any(b["max"] is not None and b["max"] <= b["min"] for b in self.parsed_bands) or any(
                first["max"] is None or second["min"] < first["max"]
                for first, second in zip(self.parsed_bands, self.parsed_bands[1:], strict=False)
            ):
                self.bands.errors = [*self.bands.errors, _("Bands must go up without overlapping")]
                return False
        elif kind == "steps":
            pass
        elif self.points.data is None and not self.points.errors:
            self.points.errors = [*self.points.errors, _("Enter the points, a whole number")]
            valid = False
        elif self.points.data is not None and self.points.data < 0 and kind not in NEGATIVE_ALLOWED:
            self.points.errors = [
                *self.points.errors,
                _("Negative points are only for a yes/no fact, a count, events or a condition"),
            ]
            valid = False
        if self.cap.data is not None and (self.cap.data <= 0 or kind not in ("per_month", "count", "events")):
            self.cap.errors = [
                *self.cap.errors,
                _("The cap is a number above zero, only for a count, events or points per month"),
            ]
            valid = False
        return valid

    def current_kind(self) -> str:
        return self.kind_value

    def values(self) -> dict:
        values = {
            "verification": self.verification.data,
            "group": self.group.data or None,
            "label": self.label.data.strip(),
            "explanation": self.explanation.data.strip(),
        }
        if self.current_kind() == "bands":
            values["bands"] = self.parsed_bands
        elif self.current_kind() == "steps":
            values["steps"] = self.parsed_steps
        else:
            values["points"] = self.points.data
            values["cap"] = self.cap.data
        communes = (self.scope_communes.data or "").split()
        dwellings = (self.scope_dwellings.data or "").upper().split()
        scope = {"communes": communes} if communes else {}
        scope |= {"dwelling_types": dwellings} if dwellings else {}
        values.update(
            when=(self.when.data or "").strip() or None,
            scope=scope or None,
            months=self.months.data,
            fade=self.fade.data,
        )
        return values


class NewCriterionForm(CriterionForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Enter a code")), Length(max=40)],
        hint=_l("Lower-case letters, digits and _, for example logement_indigne"),
    )
    fact = SelectField(_l("Fact of the demand it reads"), validate_choice=False)
    kind = SelectField(_l("Kind"), validate_choice=False)
    family = StringField(_l("Family (optional)"), validators=[Optional(), Length(max=40)])

    def __init__(self, *args, facts: dict[str, str] | None = None, **kwargs):
        """`facts`: every fact the draft may read (name -> type): the dictionary's, its computed ones."""
        super().__init__(*args, **kwargs)
        self.fact_types = dict(facts or {})
        self.fact.choices = (
            [("", _("none (a condition)"))]
            + [(name, f"{name} ({kind})") for name, kind in sorted(self.fact_types.items())]
            + [(event, _("events: %(kind)s", kind=event)) for event in EVENT_KINDS]
        )
        self.kind.choices = [(kind, kind_label(kind)) for kind in KINDS]

    def current_kind(self) -> str:
        return self.kind.data if self.kind.data in KINDS else "flag"

    def validate_code(self, field) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", field.data or ""):
            raise ValidationError(_("Lower-case letters, digits and _, for example logement_indigne"))

    def validate_fact(self, field) -> None:
        if field.data and field.data not in self.fact_types and field.data not in EVENT_KINDS:
            raise ValidationError(_("Choose a fact of the list"))

    def validate_kind(self, field) -> None:
        fact, kind = self.fact.data, field.data
        if kind not in KINDS:
            raise ValidationError(_("Choose a kind of the list"))
        fits = (
            not fact
            if kind == "condition"
            else fact in EVENT_KINDS
            if kind == "events"
            else self.fact_types.get(fact) in READS.get(kind, ())
        )
        if not fits:
            raise ValidationError(_("This kind of criterion cannot read this fact"))

    def values(self) -> dict:
        return {
            **super().values(),
            "code": self.code.data.strip(),
            "fact": self.fact.data,
            "kind": self.kind.data,
            "family": (self.family.data or "").strip(),
        }


class ActivateForm(LockForm):
    effective_from = DateField(
        _l("In force from"),
        validators=[DataRequired(_l("Enter a date like 2026-12-01"))],
        format="%Y-%m-%d",
        hint=_l("Today or later, like 2026-12-01; the scores are recomputed on that day"),
    )
