"""The grid editor's changes (issue 7, "cotation"): a new draft version copied from the grid in force, its
criteria changed, added or taken away, its activation on an effective date, and the versions another
replaced once its date has come (retired; the demands area scores the demands with the new one).

Every change is checked with the rules of the grid files (portal.cotation.grids.grid_from_mapping), audited
in the caller's transaction and bumps the content revision, so that every worker rereads the grids. Only a
draft changes: demands were scored with the other versions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portal.cotation.criteria import GridRefused, check, mapping, rules, texts
from portal.cotation.grids import SOURCE_LOCALE, GridFile
from portal.cotation.models import CriterionRecord, GridRecord
from portal.cotation.services import current_dictionary, grid_file_from_record
from portal.partners import audit
from portal.partners.models import User
from portal.revision import bump_revision

# What a criterion may carry beside its points (stored in its `options`, as the grid file writes them).
OPTION_FIELDS = ("when", "scope", "months", "fade")


def first_of_next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def find_version(session: Session, code: str, version: int) -> GridRecord | None:
    return session.scalar(
        select(GridRecord)
        .where(GridRecord.code == code, GridRecord.version == version)
        .options(selectinload(GridRecord.criteria))
    )


def versions(session: Session) -> list[GridRecord]:
    """Every version of every grid, by code then newest first."""
    return list(
        session.scalars(
            select(GridRecord)
            .options(selectinload(GridRecord.criteria))
            .order_by(GridRecord.code, GridRecord.version.desc())
        )
    )


def in_force(records: list[GridRecord], kind: str, day: dt.date) -> GridRecord | None:
    """The version in force on the day: as portal.cotation.grids.grid_in_force picks it."""
    candidates = [r for r in records if r.kind == kind and r.status == "active" and r.effective_from <= day]
    return max(candidates, key=lambda r: (r.effective_from, r.version), default=None)


def base_version(session: Session, draft: GridRecord) -> GridRecord | None:
    """The version a draft was copied from: the latest earlier version that is not a draft."""
    return session.scalar(
        select(GridRecord)
        .where(
            GridRecord.code == draft.code, GridRecord.version < draft.version, GridRecord.status != "draft"
        )
        .order_by(GridRecord.version.desc())
        .limit(1)
        .options(selectinload(GridRecord.criteria))
    )


def fingerprint(record: GridRecord) -> str:
    """What the editor saw of a draft, in 16 characters: a save made on an older copy is refused."""
    content = {
        "effective_from": record.effective_from.isoformat(),
        "rules": record.rules or {},
        "criteria": [{**rules(item), "texts": texts(item)} for item in record.criteria],
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _editable(record: GridRecord) -> None:
    if record.status != "draft":
        raise GridRefused("not_draft")


def create_draft(session: Session, user: User, organisation_id: int | None, code: str, today: dt.date):
    """Version max+1 of the grid, a draft copied from the version in force today (or the latest),
    effective on the first day of next month by default. One draft per grid at a time."""
    records = [record for record in versions(session) if record.code == code]
    if not records:
        raise GridRefused("unknown")
    if any(record.status == "draft" for record in records):
        raise GridRefused("draft_exists")
    current = in_force(records, records[0].kind, today)
    source = current if current is not None and current.code == code else records[0]
    draft = GridRecord(
        code=code,
        kind=source.kind,
        version=records[0].version + 1,
        effective_from=first_of_next_month(today),
        status="draft",
        name=dict(source.name),
        groups={group: dict(names) for group, names in source.groups.items()},
        rules=json.loads(json.dumps(source.rules or {})),
        source=f"editor, from v{source.version}",
    )
    draft.criteria = [
        CriterionRecord(
            position=item.position,
            code=item.code,
            family=item.family,
            kind=item.kind,
            fact=item.fact,
            points=item.points,
            cap=item.cap,
            bands=[dict(band) for band in item.bands],
            options=json.loads(json.dumps(item.options or {})),
            group_code=item.group_code,
            verification=item.verification,
            label=dict(item.label),
            explanation=dict(item.explanation),
            question=dict(item.question),
        )
        for item in source.criteria
    ]
    session.add(draft)
    session.flush()
    audit.record(
        session,
        user,
        organisation_id,
        "grid.draft_created",
        f"{code} v{draft.version}",
        before={"from_version": source.version},
        after={"version": draft.version, "effective_from": draft.effective_from.isoformat()},
    )
    bump_revision(session)
    return draft


def change_criterion(
    session: Session, user: User, organisation_id: int | None, draft: GridRecord, code: str, values: dict
) -> bool:
    """Set a criterion's points, cap, bands, group, verification, French label and explanation (other
    locales' texts are kept); checked with the files' rules first. False when nothing changed."""
    _editable(draft)
    item = next((item for item in draft.criteria if item.code == code), None)
    if item is None:
        raise GridRefused("unknown")
    raw = mapping(draft)
    index = draft.criteria.index(item)
    raw["criteria"][index] = _changed(raw["criteria"][index], values)
    check(raw, current_dictionary())
    before = rules(item)
    _apply(item, raw["criteria"][index])
    after = rules(item)
    changed = [name for name in after if before[name] != after[name]]
    if not changed:
        return False
    audit.record(
        session,
        user,
        organisation_id,
        "grid.criterion_changed",
        f"{draft.code} v{draft.version}: {code}",
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )
    session.flush()
    bump_revision(session)
    return True


def _changed(raw: dict, values: dict) -> dict:
    raw = dict(raw)
    for name in ("points", "cap", "bands", "steps", "verification", "family", *OPTION_FIELDS):
        if name in values:
            raw[name] = values[name]
    for name in ("cap", *OPTION_FIELDS):
        if raw.get(name) in (None, "", {}, []):
            raw.pop(name, None)
    if "group" in values:
        raw["group"] = values["group"] or None
    for name in ("label", "explanation"):
        if name in values:
            raw[name] = {**raw.get(name, {}), SOURCE_LOCALE: values[name]}
    if raw["kind"] in ("bands", "steps"):
        raw.pop("points", None)
        raw.pop("cap", None)
    if raw["kind"] != "bands":
        raw.pop("bands", None)
    if raw["kind"] != "steps":
        raw.pop("steps", None)
    return raw


def _apply(item: CriterionRecord, raw: dict) -> None:
    item.family = raw.get("family", "")
    item.points = raw.get("points") or 0
    item.cap = raw.get("cap")
    item.bands = list(raw.get("bands") or [])
    options = {name: raw[name] for name in ("steps", *OPTION_FIELDS) if raw.get(name) is not None}
    item.options = options
    item.group_code = raw.get("group")
    item.verification = raw["verification"]
    item.label = raw["label"]
    item.explanation = raw["explanation"]


def add_criterion(
    session: Session, user: User, organisation_id: int | None, draft: GridRecord, values: dict
) -> CriterionRecord:
    """A new criterion at the end of the draft, reading a supported fact with a kind that fits it."""
    _editable(draft)
    fact, kind = values["fact"], values["kind"]
    raw = mapping(draft)
    item = _changed(
        {"code": values["code"], "kind": kind, "fact": fact, "label": {}, "explanation": {}}, values
    )
    if kind == "condition":
        item.pop("fact", None)
    raw["criteria"].append(item)
    check(raw, current_dictionary())
    record = CriterionRecord(
        position=max((c.position for c in draft.criteria), default=-1) + 1,
        code=item["code"],
        kind=kind,
        fact=fact if kind != "condition" else "",
        question={},
    )
    _apply(record, item)
    draft.criteria.append(record)
    session.flush()
    audit.record(
        session,
        user,
        organisation_id,
        "grid.criterion_added",
        f"{draft.code} v{draft.version}: {record.code}",
        after=rules(record),
    )
    bump_revision(session)
    return record


def remove_criterion(
    session: Session, user: User, organisation_id: int | None, draft: GridRecord, code: str
) -> None:
    _editable(draft)
    item = next((item for item in draft.criteria if item.code == code), None)
    if item is None:
        raise GridRefused("unknown")
    raw = mapping(draft)
    raw["criteria"] = [c for c in raw["criteria"] if c["code"] != code]
    check(raw, current_dictionary())
    before = rules(item)
    draft.criteria.remove(item)
    session.flush()
    audit.record(
        session,
        user,
        organisation_id,
        "grid.criterion_removed",
        f"{draft.code} v{draft.version}: {code}",
        before=before,
    )
    bump_revision(session)


def activate(
    session: Session,
    user: User,
    organisation_id: int | None,
    draft: GridRecord,
    effective_from: dt.date,
    today: dt.date,
) -> bool:
    """The draft becomes active from that date (today or later). True when it is in force today: the
    version it replaces is retired and the caller recomputes the scores now; otherwise the daily
    `portal cotation activate-due` does it on that day."""
    _editable(draft)
    if effective_from < today:
        raise GridRefused("past")
    later = session.scalar(
        select(GridRecord.version).where(
            GridRecord.kind == draft.kind,
            GridRecord.status == "active",
            GridRecord.effective_from >= effective_from,
        )
    )
    if later is not None:
        raise GridRefused("planned")
    raw = mapping(draft)
    raw.update(status="active", effective_from=effective_from)
    check(raw, current_dictionary())
    before = {"status": draft.status, "effective_from": draft.effective_from.isoformat()}
    draft.status = "active"
    draft.effective_from = effective_from
    session.flush()
    audit.record(
        session,
        user,
        organisation_id,
        "grid.activated",
        f"{draft.code} v{draft.version}",
        before=before,
        after={"status": "active", "effective_from": effective_from.isoformat()},
    )
    now = effective_from == today
    if now:
        retire_superseded(session, today)
    bump_revision(session)
    return now


def retire_superseded(session: Session, day: dt.date) -> list[str]:
    """Active versions whose place a later one took on or before the day become history ("retired"):
    kept for the scores computed with them, never in force again. Audited (by nobody: the calendar)."""
    records = versions(session)
    retired = []
    for kind in {record.kind for record in records}:
        current = in_force(records, kind, day)
        for record in records:
            if (
                record.kind == kind
                and record.status == "active"
                and record.effective_from <= day
                and record is not current
            ):
                record.status = "retired"
                name = f"{record.code} v{record.version}"
                audit.record(
                    session,
                    None,
                    None,
                    "grid.retired",
                    name,
                    before={"status": "active"},
                    after={"status": "retired", "superseded_by": f"{current.code} v{current.version}"},
                )
                retired.append(name)
    if retired:
        session.flush()
    return retired


def criteria_count(session: Session) -> dict[int, int]:
    return dict(
        session.execute(select(CriterionRecord.grid_id, func.count()).group_by(CriterionRecord.grid_id)).all()
    )


def needs_translation(draft: GridRecord, base: GridRecord | None) -> dict[str, list[str]]:
    """Criterion code -> the locales whose label or explanation translate an older French text (the
    French changed in this draft since the version it was copied from)."""
    if base is None:
        return {}
    before = {item.code: item for item in base.criteria}
    flagged = {}
    for item in draft.criteria:
        old = before.get(item.code)
        stale = set()
        for name in ("label", "explanation"):
            now, then = getattr(item, name), getattr(old, name) if old else {}
            if now.get(SOURCE_LOCALE) != then.get(SOURCE_LOCALE):
                stale |= {locale for locale in now if locale != SOURCE_LOCALE}
        if stale:
            flagged[item.code] = sorted(stale)
    return flagged


def grid_file(record: GridRecord) -> GridFile:
    return grid_file_from_record(record)
