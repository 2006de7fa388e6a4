"""The priority follow-up's pages: the person's view (their referrals, the committee's work, the households
oriented to their organisation), referring a household, a referral's progress and the committee's steps
on it, the sessions and their agendas, and the resources. Every page: a partner with a working role, then
the rules of portal/priority/access.py (404 for a referral the person may not see)."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from portal import clock, db
from portal.backoffice.permissions import any_organisation_role, current_user
from portal.backoffice.priority import labels
from portal.backoffice.priority.forms import AgendaForm, CloseForm, DecisionForm, ReferralForm, SessionForm
from portal.library.services import documents_tagged
from portal.partners.models import RESERVATION_HOLDER_KINDS, Organisation
from portal.priority import access, referrals
from portal.priority.models import CLOSE_REASONS, CRITERIA, CommitteeSession, Referral

ROLES = ("admin", "editor", "reviewer", "desk_agent")
RESOURCES_TAG = "publics-prioritaires"


def _may(allowed: bool) -> None:
    if not allowed:
        abort(403)


def _referrals(condition=None, *states: str) -> list[Referral]:
    query = select(Referral).order_by(Referral.referred_on.desc(), Referral.id.desc())
    if condition is not None:
        query = query.where(condition)
    if states:
        query = query.where(Referral.state.in_(states))
    return list(db.session().scalars(query.limit(500)))


@any_organisation_role(*ROLES)
def index():
    user = current_user()
    _may(access.takes_part(user))
    session = db.session()
    committee = access.on_committee(user)
    held = access.held_organisations(user)
    return render_template(
        "priority/index.html",
        committee=committee,
        worker=bool(access.referring_organisations(user)),
        mine=_referrals(Referral.referred_by_id == user.id),
        waiting=_referrals(None, "submitted") if committee else [],
        followed=_referrals(None, "labelled") if committee else [],
        sessions=list(
            session.scalars(
                select(CommitteeSession)
                .where(CommitteeSession.held_on >= clock.today())
                .order_by(CommitteeSession.held_on)
            )
        )
        if committee
        else [],
        oriented=_referrals(Referral.holder_id.in_(held), "labelled") if held else [],
        organisations=_names(),
    )


def _upcoming() -> list[CommitteeSession]:
    query = select(CommitteeSession).where(CommitteeSession.held_on >= clock.today())
    return list(db.session().scalars(query.order_by(CommitteeSession.held_on)))


def _names() -> dict[int, str]:
    return dict(db.session().execute(select(Organisation.id, Organisation.name)).all())


@any_organisation_role(*ROLES)
def refer():
    user = current_user()
    mine = access.referring_organisations(user)
    _may(bool(mine))
    form = ReferralForm()
    form.organisation.choices = [SelectChoice(organisation.id, organisation.name) for organisation in mine]
    form.criteria.choices = [SelectChoice(code, labels.criterion_label(code)) for code in CRITERIA]
    if form.validate_on_submit():
        session = db.session()
        values = {
            "demand_number": form.demand_number.data,
            "criteria": form.criteria.data,
            "support_organisation": form.support_organisation.data.strip(),
            "comment": (form.comment.data or "").strip(),
        }
        try:
            referral = referrals.refer(session, user, form.organisation.data, values, clock.today())
        except referrals.Refused as refused:
            session.rollback()
            field = form.criteria if refused.code == "criteria" else form.demand_number
            field.errors.append(labels.refused_change(refused.code))
        else:
            session.commit()
            flash(_("The household is referred to the committee: you will see its progress here."))
            return redirect(url_for("priority.referral", referral_id=referral.id))
    status = 400 if form.is_submitted() else 200
    return render_template("priority/refer.html", form=form), status


def _referral(referral_id: int) -> Referral:
    session = db.session()
    found = session.get(Referral, referral_id)
    if found is None or not access.sees(session, current_user(), found):
        abort(404)
    return found


def _agenda_form(**kwargs) -> AgendaForm:
    form = AgendaForm(**kwargs)
    upcoming = db.session().scalars(
        select(CommitteeSession)
        .where(CommitteeSession.held_on >= clock.today())
        .order_by(CommitteeSession.held_on)
    )
    form.committee_session.choices = [SelectChoice(item.id, _session_name(item)) for item in upcoming]
    return form


def _session_name(item: CommitteeSession) -> str:
    name = format_date(item.held_on, "long")
    return f"{name} – {item.place}" if item.place else name


def _decision_form(referral: Referral, **kwargs) -> DecisionForm:
    form = DecisionForm(**kwargs)
    form.criterion.choices = [SelectChoice("", _("Choose"))] + [
        SelectChoice(code, labels.criterion_label(code)) for code in referral.criteria or CRITERIA
    ]
    holders = db.session().execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.kind.in_(RESERVATION_HOLDER_KINDS))
        .order_by(Organisation.name)
    )
    form.holder.choices = [SelectChoice("", _("Choose"))] + [
        SelectChoice(str(i), name) for i, name in holders
    ]
    if not form.decided_on.data and referral.committee_session is not None:
        form.decided_on.data = referral.committee_session.held_on
    return form


def _close_form(**kwargs) -> CloseForm:
    form = CloseForm(**kwargs)
    form.reason.choices = [SelectChoice("", _("Choose"))] + [
        SelectChoice(code, labels.close_reason_label(code)) for code in CLOSE_REASONS if code != "lapsed"
    ]
    return form


@any_organisation_role(*ROLES)
def referral(referral_id: int, forms: dict | None = None, code: int = 200):
    found = _referral(referral_id)
    user = current_user()
    forms = forms or {}
    return render_template(
        "priority/referral.html",
        referral=found,
        committee=access.on_committee(user),
        details=access.sees_details(user, found),
        may_close=access.on_committee(user) or found.referred_by_id == user.id,
        organisations=_names(),
        agenda_form=forms.get("agenda") or _agenda_form(formdata=None),
        decision_form=forms.get("decision") or _decision_form(found, formdata=None),
        close_form=forms.get("close") or _close_form(formdata=None),
    ), code


def _apply(found: Referral, change, message: str):
    """Run a change of the referral: committed and told, or refused (nothing kept) with the reason read out;
    back to the referral's page either way."""
    session = db.session()
    try:
        change(session)
    except referrals.Refused as refused:
        session.rollback()
        flash(labels.refused_change(refused.code), "error")
    else:
        session.commit()
        flash(message)
    return redirect(url_for("priority.referral", referral_id=found.id))


@any_organisation_role(*ROLES)
def put_on_agenda(referral_id: int):
    found = _referral(referral_id)
    _may(access.on_committee(current_user()))
    form = _agenda_form()
    if not form.validate_on_submit():
        return referral(referral_id, forms={"agenda": form}, code=400)
    session = db.session()
    committee = session.get(CommitteeSession, form.committee_session.data)
    if committee is None:
        abort(404)
    return _apply(
        found,
        lambda dbs: referrals.put_on_agenda(dbs, current_user(), found, committee, clock.today()),
        _("The referral is on the session's agenda."),
    )


@any_organisation_role(*ROLES)
def decide(referral_id: int):
    found = _referral(referral_id)
    _may(access.on_committee(current_user()))
    form = _decision_form(found)
    if not form.validate_on_submit():
        return referral(referral_id, forms={"decision": form}, code=400)
    labelled = form.decision.data == "labelled"
    holder = int(form.holder.data) if labelled and (form.holder.data or "").isdigit() else None
    criterion, reasons, on = form.criterion.data or "", form.reasons.data, form.decided_on.data
    return _apply(
        found,
        lambda dbs: referrals.decide(dbs, current_user(), found, labelled, criterion, reasons, holder, on),
        _("The committee's decision is recorded."),
    )


@any_organisation_role(*ROLES)
def close(referral_id: int):
    found = _referral(referral_id)
    user = current_user()
    _may(access.on_committee(user) or found.referred_by_id == user.id)
    form = _close_form()
    if not form.validate_on_submit():
        return referral(referral_id, forms={"close": form}, code=400)
    return _apply(
        found,
        lambda dbs: referrals.close(dbs, user, found, form.reason.data, form.closed_on.data),
        _("The follow-up is over."),
    )


@any_organisation_role(*ROLES)
def sessions():
    user = current_user()
    _may(access.on_committee(user))
    session = db.session()
    form = SessionForm()
    if form.validate_on_submit():
        if form.held_on.data < clock.today():
            form.held_on.errors.append(_("A session is planned for today or later"))
        else:
            created = referrals.create_session(
                session, user, form.held_on.data, (form.place.data or "").strip()
            )
            session.commit()
            flash(_("The session is planned: put referrals on its agenda."))
            return redirect(url_for("priority.committee_session", session_id=created.id))
    listed = session.scalars(
        select(CommitteeSession)
        .where(CommitteeSession.held_on >= clock.today() - dt.timedelta(days=365))
        .order_by(CommitteeSession.held_on.desc())
    )
    status = 400 if form.is_submitted() else 200
    return render_template(
        "priority/sessions.html", form=form, listed=list(listed), name_of=_session_name
    ), status


@any_organisation_role(*ROLES)
def committee_session(session_id: int):
    _may(access.on_committee(current_user()))
    found = db.session().get(CommitteeSession, session_id)
    if found is None:
        abort(404)
    return render_template("priority/session.html", committee_session=found, title=_session_name(found))


@any_organisation_role(*ROLES)
def resources():
    _may(access.takes_part(current_user()))
    return render_template(
        "priority/resources.html", documents=documents_tagged(RESOURCES_TAG), tag=RESOURCES_TAG
    )
