"""The grid editor's forms: a criterion (its rule and French texts), a new criterion, the activation date.
Every form carries the draft's fingerprint (`lock`), so that a save made on an older copy is refused."""

from __future__ import annotations

import re

import wtforms
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.cotation import criteria
from portal.cotation.engine import KINDS
from portal.cotation.grids import SOURCE_LOCALE
from portal.ui.forms import DateField, IntegerField, PortalForm, SelectField, StringField, TextAreaField


def kind_label(kind: str) -> str:
    return {
        "flag": _("yes or no"),
        "per_month": _("per month"),
        "bands": _("bands of a number"),
        "count": _("per item counted"),
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
    points = IntegerField(_l("Points"), validators=[Optional()], hint=_l("Negative points only for a count"))
    cap = IntegerField(
        _l("Cap (optional)"),
        validators=[Optional()],
        hint=_l("The most months or items counted; only for a count or points per month"),
    )
    bands = TextAreaField(
        _l("Bands"),
        validators=[Optional(), Length(max=1000)],
        hint=_l("From-to:points, separated by ; or one a line, for example 30-40:5; 40-50:10; 50-:15"),
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
        if kind == "bands":
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
        elif self.points.data is None and not self.points.errors:
            self.points.errors = [*self.points.errors, _("Enter the points, a whole number")]
            valid = False
        elif self.points.data is not None and self.points.data < 0 and kind != "count":
            self.points.errors = [*self.points.errors, _("Negative points are only for a count")]
            valid = False
        if self.cap.data is not None and (self.cap.data <= 0 or kind not in ("per_month", "count")):
            self.cap.errors = [
                *self.cap.errors,
                _("The cap is a number above zero, only for a count or points per month"),
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
        else:
            values["points"] = self.points.data
            values["cap"] = self.cap.data
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fact.choices = [
            (fact, f"{fact} ({', '.join(kind_label(kind) for kind in kinds)})")
            for fact, kinds in criteria.SUPPORTED_FACTS.items()
        ]
        self.kind.choices = [(kind, kind_label(kind)) for kind in KINDS]

    def current_kind(self) -> str:
        return self.kind.data if self.kind.data in KINDS else "flag"

    def validate_code(self, field) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", field.data or ""):
            raise ValidationError(_("Lower-case letters, digits and _, for example logement_indigne"))

    def validate_fact(self, field) -> None:
        if field.data not in criteria.SUPPORTED_FACTS:
            raise ValidationError(_("Choose a fact of the list"))

    def validate_kind(self, field) -> None:
        if field.data not in criteria.SUPPORTED_FACTS.get(self.fact.data, ()):
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
