"""The grid editor's change of what a draft says beside its criteria: its computed facts, its floor and
ceiling, the order among equal totals and the demands it does not score. Checked with the grid files'
rules, audited, and the content revision bumped, as every change of a draft (portal.cotation.operations)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.cotation.criteria import GridRefused, check, file_rules, mapping
from portal.cotation.grids import SOURCE_LOCALE
from portal.cotation.models import GridRecord
from portal.cotation.services import current_dictionary, stored_rules
from portal.partners import audit
from portal.partners.models import User
from portal.revision import bump_revision


def _texts(before: dict, french: str) -> dict:
    """The French text, with the other locales kept while the French is unchanged."""
    if before.get(SOURCE_LOCALE) == french:
        return dict(before)
    return {SOURCE_LOCALE: french}


def change_grid_rules(
    session: Session, user: User, organisation_id: int | None, draft: GridRecord, values: dict
) -> bool:
    """Set the draft's computed facts [(name, expression, French label)], floor, ceiling, ties
    [(fact, descending)] and exclusions [(code, condition, French reason)]. False when nothing changed."""
    if draft.status != "draft":
        raise GridRefused("not_draft")
    before = dict(draft.rules or {})
    labels = {item["name"]: item["label"] for item in before.get("computed", [])}
    reasons = {item["code"]: item["reason"] for item in before.get("exclusions", [])}
    rules = {
        "computed": [
            {"name": name, "expression": expression, "label": _texts(labels.get(name, {}), label)}
            for name, expression, label in values["computed"]
        ],
        "floor": values["floor"],
        "ceiling": values["ceiling"],
        "ties": [
            {"fact": fact, "order": "descending" if descending else "ascending"}
            for fact, descending in values["ties"]
        ],
        "exclusions": [
            {"code": code, "when": when, "reason": _texts(reasons.get(code, {}), reason)}
            for code, when, reason in values["exclusions"]
        ],
    }
    raw = mapping(draft)
    for name in ("computed", "floor", "ceiling", "ties", "exclusions"):
        raw.pop(name, None)
    raw.update(file_rules(rules))
    grid_file = check(raw, current_dictionary())
    after = stored_rules(grid_file)
    if after == stored_rules(check(mapping(draft), current_dictionary())):
        return False
    draft.rules = after
    session.flush()
    audit.record(
        session,
        user,
        organisation_id,
        "grid.rules_changed",
        f"{draft.code} v{draft.version}",
        before=before,
        after=after,
    )
    bump_revision(session)
    return True
