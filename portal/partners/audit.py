"""The audit log: who changed what, when, written in the same transaction as the change, with the
meaning of each action in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session

from portal.partners.models import AuditEntry, User


def record(
    session: Session,
    user: User | None,
    organisation_id: int | None,
    action: str,
    target: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Record a change in the caller's transaction: it is kept if and only if the change is."""
    entry = AuditEntry(
        user_id=user.id if user is not None else None,
        organisation_id=organisation_id,
        action=action,
        target=target[:200],
        before=before or {},
        after=after or {},
    )
    session.add(entry)
    return entry


def differences(before: dict, after: dict) -> tuple[dict, dict]:
    """The fields that changed, before and after (a field missing on one side counts as changed)."""
    names = [name for name in {**before, **after} if before.get(name) != after.get(name)]
    return {name: before.get(name) for name in names}, {name: after.get(name) for name in names}


def record_change(
    session: Session,
    user: User | None,
    organisation_id: int | None,
    action: str,
    target: str,
    before: dict,
    after: dict,
) -> bool:
    """Record only the fields that changed between two snapshots of a thing; nothing when none did.
    True when something was recorded."""
    old, new = differences(before, after)
    if not old and not new:
        return False
    record(session, user, organisation_id, action, target, before=old, after=new)
    return True


# What each audit action means, in the reader's language (the code stays in the CSV). Each area adds its
# own with register(...) where it declares them.
LABELS: dict[str, LazyString] = {
    "account.signed_in": _l("Signed in"),
    "account.locked": _l("Sign-in slowed down after repeated wrong passwords"),
    "account.codes_blocked": _l("Second-factor codes slowed down after repeated wrong codes"),
    "account.role_invitation_accepted": _l("Role invitation accepted"),
    "account.role_invitation_declined": _l("Role invitation declined"),
    "member.role_offered": _l("Role offered (waiting for the person's answer)"),
    "member.role_offer_withdrawn": _l("Role offer withdrawn"),
    "account.second_factor_enabled": _l("Two-step sign-in activated"),
    "account.signed_out_everywhere": _l("Signed out on every device"),
    "account.password_set_by_invitation": _l("Password chosen after an invitation"),
    "account.password_set_by_reset": _l("Password changed after a reset"),
    "user.created": _l("Account created"),
    "organisation.created": _l("Organisation added"),
    "member.role_given": _l("Role given"),
    "member.role_taken": _l("Role taken away"),
    "desk.hours_confirmed": _l("Desk hours confirmed"),
    "desk.updated": _l("Desk changed"),
    "desk.closure_added": _l("Desk closure added"),
    "desk.closure_removed": _l("Desk closure taken away"),
    "desk.notice_added": _l("Desk notice added"),
    "desk.notice_removed": _l("Desk notice taken away"),
    "demand.looked_up_at_desk": _l("Demand looked up at a desk"),
}


def register(labels: dict[str, LazyString]) -> None:
    LABELS.update(labels)


def label(action: str) -> str:
    return str(LABELS.get(action, action))
