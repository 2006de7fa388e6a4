"""The priority follow-up's codes in the reader's language: the L.441-1 criteria, the states, why a
follow-up ended, and why a change was refused."""

from __future__ import annotations

from flask_babel import gettext as _


def criterion_label(code: str) -> str:
    return {
        "dalo": _("Recognised as a priority by the DALO mediation commission"),
        "disability": _("Person with a disability, or household caring for one"),
        "badly_housed": _("Disadvantaged or badly housed, facing particular difficulties"),
        "temporary_housing": _("Living in temporary or transitional accommodation"),
        "back_to_work": _("Returning to work after long unemployment"),
        "substandard": _("Exposed to substandard or unfit housing"),
        "violence": _("Victim of domestic violence, or threatened with forced marriage"),
        "overcrowded_child": _("With a minor child, in overcrowded or indecent housing"),
        "exploitation": _("Leaving prostitution, or victim of human trafficking"),
        "no_housing": _("Without housing, or hosted by third parties"),
        "eviction": _("Threatened with eviction without rehousing"),
        "child_welfare": _("Young adult leaving child welfare"),
    }.get(code, code)


def state_label(code: str) -> str:
    return {
        "submitted": _("Waiting for a session"),
        "on_agenda": _("On a session's agenda"),
        "labelled": _("Priority household"),
        "not_labelled": _("Not labelled"),
        "housed": _("Housed"),
        "ended": _("Follow-up ended"),
    }[code]


def close_reason_label(code: str) -> str:
    return {
        "housed": _("Housed"),
        "lapsed": _("The label lapsed"),
        "withdrawn": _("Referral withdrawn"),
        "situation_changed": _("The situation changed"),
    }.get(code, code)


def refused_change(code: str) -> str:
    return {
        "number": _("A unique number has 18 characters: 13 digits, then the desk's code."),
        "criteria": _("Choose the situations from the list."),
        "already_open": _("This household is already referred: its follow-up is under way."),
        "decided": _("The committee has already decided on this referral."),
        "past_session": _("This session is over: choose a coming one."),
        "not_on_agenda": _("Put the referral on a session's agenda first."),
        "reasons": _("Give the reasons"),
        "holder": _("Choose a reservation holder."),
        "closed": _("This follow-up is over."),
    }.get(code, _("This cannot be done now."))


def period_label(code: str) -> str:
    return {
        "before_1949": _("Before 1949"),
        "1949_1974": _("1949 to 1974"),
        "1975_1989": _("1975 to 1989"),
        "1990_2004": _("1990 to 2004"),
        "2005_2014": _("2005 to 2014"),
        "since_2015": _("2015 and after"),
    }.get(code, _("not known"))


def flux_cell(dimension: str, value, communes: dict[str, str]) -> str:
    """A value of the flux report's dimension in words."""
    if dimension == "in_qpv":
        return _("In a QPV") if value else _("Outside QPV")
    if dimension == "period":
        return period_label(value)
    if dimension == "commune_insee":
        return communes.get(value, value)
    return value or _("not known")
