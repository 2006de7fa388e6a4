"""The grid editor at /partenaires/grilles (issue 7, "cotation"): the EPCI's reviewers draft a new version
of a grid, change its criteria, see its impact on the current demands and activate it on a date. The
EPCI's editors may read the versions. Changes live in grid_operations, the impact in grid_impact."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal import clock, db
from portal.backoffice.grids.forms import (
    ActivateForm,
    CriterionForm,
    LockForm,
    NewCriterionForm,
    kind_label,
    verification_choices,
)
from portal.backoffice.permissions import current_user, epci_role
from portal.cotation import criteria, operations
from portal.cotation.grids import SOURCE_LOCALE
from portal.cotation.presenting import rule
from portal.demands import jobs as grid_jobs
from portal.demands.impact import TOP_SEGMENTS, impact_from_dict
from portal.demands.imports.jobs import DATA_LOCK
from portal.demands.models import Demand
from portal.jobs import records as job_records
from portal.jobs.models import JobRecord
from portal.partners import audit

READERS = ("reviewer", "editor")

audit.register(
    {
        "grid.draft_created": _l("Grid draft created"),
        "grid.criterion_changed": _l("Grid criterion changed"),
        "grid.criterion_added": _l("Grid criterion added"),
        "grid.criterion_removed": _l("Grid criterion taken away"),
        "grid.activated": _l("Grid version activated"),
        "grid.retired": _l("Grid version retired"),
        "grid.took_effect": _l("Grid version took effect"),
        "grid.rescored": _l("Demands rescored with the new grid"),
    }
)


def acting_organisation_id() -> int | None:
    """The EPCI the change is made for (the audit log's organisation)."""
    organisation = current_user().organisation_with("reviewer", epci=True)
    return organisation.id if organisation is not None else None


def version_or_404(code: str, version: int):
    record = operations.find_version(db.session(), code, version)
    if record is None:
        abort(404)
    return record


def refusal_text(exc: operations.GridRefused) -> str:
    return {
        "not_draft": _("Only a draft can be changed: this version is in use. Create a new draft version."),
        "draft_exists": _("This grid already has a draft: change it rather than start another one."),
        "unknown": _("This criterion or grid does not exist."),
        "fact": _("This kind of criterion cannot read this fact"),
        "past": _("The date cannot be in the past."),
        "planned": _("Another version of this grid is planned on or after this date."),
        "rules": _("This change breaks a rule of the grids: %(detail)s", detail=exc.detail),
    }[exc.reason]


def is_stale(record, form: LockForm) -> bool:
    """The page was shown before someone else changed the draft."""
    return form.lock.data != operations.fingerprint(record)


@epci_role(*READERS)
def index():
    dbs = db.session()
    records = operations.versions(dbs)
    today = clock.today()
    current = {kind: operations.in_force(records, kind, today) for kind in {r.kind for r in records}}
    by_code: dict = {}
    for record in records:
        by_code.setdefault(record.code, []).append(record)
    return render_template(
        "backoffice/grid_list.html",
        by_code=by_code,
        in_force={record.id for record in current.values() if record is not None},
        today=today,
        reviewer=_is_reviewer(),
    )


def _is_reviewer() -> bool:
    return current_user().has_role("reviewer", epci=True)


@epci_role("reviewer")
def new_draft(code: str):
    dbs = db.session()
    try:
        draft = operations.create_draft(dbs, current_user(), acting_organisation_id(), code, clock.today())
    except operations.GridRefused as exc:
        dbs.rollback()
        flash(refusal_text(exc))
        return redirect(url_for("backoffice_grids.index"))
    dbs.commit()
    flash(
        _(
            "Draft version %(version)s created: change its criteria, then see its impact.",
            version=draft.version,
        )
    )
    return redirect(url_for("backoffice_grids.version", code=code, version=draft.version))


@epci_role(*READERS)
def version(code: str, version: int):
    return _version_page(version_or_404(code, version))


def _version_page(record, activate_form=None, status=200, notice=None):
    dbs = db.session()
    if activate_form is None:
        activate_form = ActivateForm(formdata=None, effective_from=max(record.effective_from, clock.today()))
        activate_form.lock.data = operations.fingerprint(record)
    base = operations.base_version(dbs, record) if record.status == "draft" else None
    return render_template(
        "backoffice/grid_version.html",
        record=record,
        grid=operations.grid_file(record),
        base=base,
        stale_texts=operations.needs_translation(record, base),
        activate_form=activate_form,
        error_form=activate_form,
        lock=operations.fingerprint(record),
        reviewer=_is_reviewer(),
        kind_label=kind_label,
        rule=rule,
        verification_label=dict(verification_choices()),
        notice=notice,
        today=clock.today(),
    ), status


@epci_role("reviewer")
def edit_criterion(code: str, version: int, criterion: str):
    record = version_or_404(code, version)
    item = next((item for item in record.criteria if item.code == criterion), None)
    if item is None:
        abort(404)
    if record.status != "draft":
        return _version_page(record, status=409, notice=refusal_text(operations.GridRefused("not_draft")))
    form = CriterionForm(kind=item.kind, groups=record.groups)
    if request.method == "GET":
        form = CriterionForm(formdata=None, kind=item.kind, groups=record.groups)
        form.points.data, form.cap.data = item.points, item.cap
        form.bands.data = criteria.format_bands(item.bands)
        options = item.options or {}
        form.steps.data = criteria.format_steps(options.get("steps", []))
        form.months.data, form.fade.data = options.get("months"), options.get("fade")
        form.when.data = options.get("when", "")
        form.scope_communes.data = " ".join((options.get("scope") or {}).get("communes", []))
        form.scope_dwellings.data = " ".join((options.get("scope") or {}).get("dwelling_types", []))
        form.group.data = item.group_code or ""
        form.verification.data = item.verification
        form.label.data = item.label.get(SOURCE_LOCALE, "")
        form.explanation.data = item.explanation.get(SOURCE_LOCALE, "")
        form.lock.data = operations.fingerprint(record)
        return _criterion_page(record, form, item)
    if not form.validate_on_submit():
        return _criterion_page(record, form, item, status=400)
    if is_stale(record, form):
        return _criterion_page(record, form, item, status=409, conflict=True)
    dbs = db.session()
    try:
        changed = operations.change_criterion(
            dbs, current_user(), acting_organisation_id(), record, criterion, form.values()
        )
    except operations.GridRefused as exc:
        dbs.rollback()
        record = version_or_404(code, version)
        return _criterion_page(record, form, item, status=400, refused=refusal_text(exc))
    dbs.commit()
    flash(_("The criterion %(code)s is saved.", code=criterion) if changed else _("Nothing was changed."))
    return redirect(url_for("backoffice_grids.version", code=code, version=version))


def _criterion_page(record, form, item=None, status=200, conflict=False, refused=None):
    return render_template(
        "backoffice/grid_criterion.html",
        record=record,
        item=item,
        form=form,
        conflict=conflict,
        refused=refused,
        kind=form.current_kind(),
        kind_label=kind_label,
    ), status


@epci_role("reviewer")
def add_criterion(code: str, version: int):
    record = version_or_404(code, version)
    if record.status != "draft":
        return _version_page(record, status=409, notice=refusal_text(operations.GridRefused("not_draft")))
    facts = dict(operations.grid_file(record).grid.types)
    form = NewCriterionForm(groups=record.groups, facts=facts)
    if request.method == "GET":
        form = NewCriterionForm(formdata=None, groups=record.groups, facts=facts, verification="declared")
        form.lock.data = operations.fingerprint(record)
        return _criterion_page(record, form)
    if not form.validate_on_submit():
        return _criterion_page(record, form, status=400)
    if is_stale(record, form):
        return _criterion_page(record, form, status=409, conflict=True)
    dbs = db.session()
    try:
        operations.add_criterion(dbs, current_user(), acting_organisation_id(), record, form.values())
    except operations.GridRefused as exc:
        dbs.rollback()
        return _criterion_page(version_or_404(code, version), form, status=400, refused=refusal_text(exc))
    dbs.commit()
    flash(_("The criterion %(code)s is saved.", code=form.code.data))
    return redirect(url_for("backoffice_grids.version", code=code, version=version))


@epci_role("reviewer")
def remove_criterion(code: str, version: int, criterion: str):
    record = version_or_404(code, version)
    form = LockForm()
    dbs = db.session()
    if record.status != "draft":
        return _version_page(record, status=409, notice=refusal_text(operations.GridRefused("not_draft")))
    if is_stale(record, form):
        return _version_page(
            record, status=409, notice=_("Someone changed this draft meanwhile: check it again.")
        )
    try:
        operations.remove_criterion(dbs, current_user(), acting_organisation_id(), record, criterion)
    except operations.GridRefused as exc:
        dbs.rollback()
        return _version_page(version_or_404(code, version), status=400, notice=refusal_text(exc))
    dbs.commit()
    flash(_("The criterion %(code)s was taken away.", code=criterion))
    return redirect(url_for("backoffice_grids.version", code=code, version=version))


def demands_stamp() -> list[int]:
    """The stored demands as an import leaves them (their count and highest id)."""
    return list(
        db.session().execute(select(func.count(Demand.id), func.coalesce(func.max(Demand.id), 0))).one()
    )


def latest_impact(record) -> JobRecord | None:
    """The newest impact job of this draft as it is now (its fingerprint), on today's demands."""
    fingerprint = operations.fingerprint(record)
    stamp = demands_stamp()
    candidates = db.session().scalars(
        select(JobRecord)
        .where(JobRecord.kind == "grid.impact")
        .order_by(JobRecord.created_at.desc(), JobRecord.id.desc())
        .limit(20)
    )
    today = clock.today().isoformat()
    for candidate in candidates:
        params = candidate.params
        seen = (params.get("code"), params.get("version"), params.get("fingerprint"), params.get("day"))
        if seen == (record.code, record.version, fingerprint, today) and params.get("demands") == stamp:
            return candidate
    return None


@epci_role("reviewer")
def impact(code: str, version: int):
    """The draft's impact as computed today by the job consumer; a button starts the computation when
    there is none yet (it takes about half a minute on a million demands), the job page follows it."""
    record = version_or_404(code, version)
    job = latest_impact(record)
    if request.method == "POST":
        if job is None or job.state == "failed":
            dbs = db.session()
            params = {
                "code": code,
                "version": version,
                "fingerprint": operations.fingerprint(record),
                "day": clock.today().isoformat(),
                "demands": demands_stamp(),
            }
            job = job_records.create(
                dbs,
                grid_jobs.compute_impact,
                "grid.impact",
                params,
                current_user().id,
                acting_organisation_id(),
            )
            dbs.commit()
        return redirect(url_for("jobs.job", job_id=job.id))
    result = impact_from_dict(job.result["impact"]) if job is not None and job.state == "done" else None
    return render_template(
        "backoffice/grid_impact.html",
        record=record,
        impact=result,
        job=job,
        today=clock.today(),
        top=result.segments[:TOP_SEGMENTS] if result else [],
        form=LockForm(formdata=None, lock=operations.fingerprint(record)),
    )


@epci_role("reviewer")
def activate(code: str, version: int):
    """A later date is set at once; today, the version is put in force and every demand scored again by
    the job consumer (the territory's data lock: not while an import runs), followed on the job's page."""
    record = version_or_404(code, version)
    form = ActivateForm()
    if record.status != "draft":
        return _version_page(record, status=409, notice=refusal_text(operations.GridRefused("not_draft")))
    if not form.validate_on_submit():
        return _version_page(record, activate_form=form, status=400)
    if is_stale(record, form):
        return _version_page(
            record,
            activate_form=form,
            status=409,
            notice=_("Someone changed this draft meanwhile: check it again."),
        )
    dbs = db.session()
    today = clock.today()
    savepoint = dbs.begin_nested()  # every rule checked here; today's activation itself is the job's
    try:
        now = operations.activate(
            dbs, current_user(), acting_organisation_id(), record, form.effective_from.data, today
        )
    except operations.GridRefused as exc:
        savepoint.rollback()
        dbs.rollback()
        record = version_or_404(code, version)
        form.effective_from.errors = [refusal_text(exc)]
        return _version_page(record, activate_form=form, status=400)
    if not now:
        savepoint.commit()
        dbs.commit()
        flash(
            _(
                "Version %(version)s will be in force from %(day)s; the scores are recomputed that day.",
                version=version,
                day=form.effective_from.data.isoformat(),
            )
        )
        return redirect(url_for("backoffice_grids.version", code=code, version=version))
    savepoint.rollback()
    params = {"code": code, "version": version, "fingerprint": operations.fingerprint(record)}
    try:
        job = job_records.create(
            dbs,
            grid_jobs.activate_today,
            "grid.activate",
            params,
            current_user().id,
            acting_organisation_id(),
            lock=DATA_LOCK,
        )
    except job_records.Busy:
        dbs.rollback()
        return _version_page(
            version_or_404(code, version),
            status=409,
            notice=_("A data import or another activation is under way: wait until it ends, then try again."),
        )
    dbs.commit()
    return redirect(url_for("jobs.job", job_id=job.id))


def reviews_grids(user) -> bool:
    """The dashboard's link: for the EPCI's reviewers."""
    return user is not None and user.has_role("reviewer", epci=True)
