"""The grid editor's page for what a draft says beside its criteria (/partenaires/grilles/<code>/v<n>/regles):
computed facts, floor and ceiling, the order among equal totals, the demands the grid does not score. Each
is written one a line, as people read it; the grid files' rules check the whole before anything is saved."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import Length, Optional

from portal import db
from portal.backoffice.grids.controllers import (
    acting_organisation_id,
    is_stale,
    refusal_text,
    version_or_404,
)
from portal.backoffice.grids.forms import LockForm
from portal.backoffice.permissions import current_user, epci_role
from portal.cotation import operations
from portal.cotation.grid_rules import change_grid_rules
from portal.cotation.grids import SOURCE_LOCALE
from portal.ui.forms import IntegerField, StringField, TextAreaField

_NAME = r"[a-z][a-z0-9_]*"
_COMPUTED = re.compile(rf"^({_NAME})\s*=\s*(.+?)\s*\|\s*(.+)$")
_EXCLUSION = re.compile(rf"^({_NAME})\s*:\s*(.+?)\s*\|\s*(.+)$")
_TIE = re.compile(r"^(filed_on|household_size)(?:\s+(asc|desc))?$")


class GridRulesForm(LockForm):
    computed = TextAreaField(
        _l("Computed facts"),
        validators=[Optional(), Length(max=5000)],
        hint=_l("One a line: name = expression | French label"),
    )
    floor = IntegerField(_l("Lowest total (optional)"), validators=[Optional()])
    ceiling = IntegerField(_l("Highest total (optional)"), validators=[Optional()])
    ties = StringField(
        _l("Order among equal totals"),
        validators=[Optional(), Length(max=100)],
        hint=_l("filed_on (oldest first), household_size; desc reverses: filed_on, household_size desc"),
    )
    exclusions = TextAreaField(
        _l("Demands not scored"),
        validators=[Optional(), Length(max=5000)],
        hint=_l("One a line: code: condition | French reason shown to the applicant"),
    )

    def _lines(self, field, pattern: re.Pattern, example: str) -> list[tuple] | None:
        found = []
        for line in (field.data or "").splitlines():
            if not line.strip():
                continue
            match = pattern.match(line.strip())
            if match is None:
                field.errors = [
                    *field.errors,
                    _(
                        "“%(line)s” does not follow the pattern %(example)s",
                        line=line.strip(),
                        example=example,
                    ),
                ]
                return None
            found.append(tuple(part.strip() for part in match.groups()))
        return found

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.parsed_computed = self._lines(self.computed, _COMPUTED, "name = expression | label")
        self.parsed_exclusions = self._lines(self.exclusions, _EXCLUSION, "code: condition | reason")
        self.parsed_ties = []
        for part in (self.ties.data or "filed_on").split(","):
            match = _TIE.match(part.strip())
            if match is None:
                self.ties.errors = [
                    *self.ties.errors,
                    _("Write filed_on or household_size, with desc to reverse"),
                ]
                break
            self.parsed_ties.append((match.group(1), match.group(2) == "desc"))
        return valid and None not in (self.parsed_computed, self.parsed_exclusions) and not self.ties.errors

    def values(self) -> dict:
        return {
            "computed": self.parsed_computed,
            "floor": self.floor.data,
            "ceiling": self.ceiling.data,
            "ties": self.parsed_ties,
            "exclusions": self.parsed_exclusions,
        }


def _filled(record) -> GridRulesForm:
    rules = record.rules or {}
    form = GridRulesForm(formdata=None)
    form.computed.data = "\n".join(
        f"{item['name']} = {item['expression']} | {item['label'].get(SOURCE_LOCALE, '')}"
        for item in rules.get("computed", [])
    )
    form.floor.data, form.ceiling.data = rules.get("floor"), rules.get("ceiling")
    form.ties.data = ", ".join(
        item["fact"] + (" desc" if item["order"] == "descending" else "")
        for item in rules.get("ties", [{"fact": "filed_on", "order": "ascending"}])
    )
    form.exclusions.data = "\n".join(
        f"{item['code']}: {item['when']} | {item['reason'].get(SOURCE_LOCALE, '')}"
        for item in rules.get("exclusions", [])
    )
    form.lock.data = operations.fingerprint(record)
    return form


def _page(record, form, status=200, refused=None, conflict=False):
    return render_template(
        "backoffice/grid_rules.html", record=record, form=form, refused=refused, conflict=conflict
    ), status


@epci_role("reviewer")
def edit_rules(code: str, version: int):
    record = version_or_404(code, version)
    if record.status != "draft":
        abort(409)
    if request.method == "GET":
        return _page(record, _filled(record))
    form = GridRulesForm()
    if not form.validate_on_submit():
        return _page(record, form, status=400)
    if is_stale(record, form):
        return _page(record, form, status=409, conflict=True)
    dbs = db.session()
    try:
        changed = change_grid_rules(dbs, current_user(), acting_organisation_id(), record, form.values())
    except operations.GridRefused as exc:
        dbs.rollback()
        return _page(version_or_404(code, version), form, status=400, refused=refusal_text(exc))
    dbs.commit()
    flash(_("The rules of the grid are saved.") if changed else _("Nothing changed."))
    return redirect(url_for("backoffice_grids.version", code=code, version=version))
