"""The reasons of refused import rows: English strings for the command line, msgids and values for the
workspace, translated with whatever gettext the caller gives (here fake catalogs, no app needed)."""

from __future__ import annotations

import pickle

from portal.demands.imports.problems import N_, Reason, reason_text, translated

BETWEEN = "must be between %(low)s and %(high)s"
FRENCH = {
    BETWEEN: "doit être entre %(low)s et %(high)s",
    "is empty": "est vide",
    # A translator's mistake: a placeholder the msgid does not have.
    "is longer than %(count)s characters": "dépasse %(nombre)s caractères",
}


def french(msgid: str) -> str:
    """A gettext over a small catalog: like gettext, it gives back a msgid it lacks."""
    return FRENCH.get(msgid, msgid)


def test_a_reason_is_its_english_with_the_values_filled_and_keeps_its_msgid():
    reason = N_(BETWEEN, low=1950, high=2026)
    assert isinstance(reason, str) and isinstance(reason, Reason)
    assert reason == "must be between 1950 and 2026" and str(reason) == "must be between 1950 and 2026"
    assert type(str(reason)) is str
    assert (reason.msgid, reason.params) == (BETWEEN, {"low": 1950, "high": 2026})
    assert "1950 and 2026" in reason and f"row 3, column year: {reason}" == (
        "row 3, column year: must be between 1950 and 2026"
    )


def test_a_reason_without_values_is_its_msgid():
    reason = N_("is empty")
    assert reason == reason.msgid == "is empty" and reason.params == {}


def test_a_reason_survives_pickling():
    reason = pickle.loads(pickle.dumps(N_(BETWEEN, low=1, high=20)))
    assert (reason, reason.msgid, reason.params) == (
        "must be between 1 and 20",
        BETWEEN,
        {"low": 1, "high": 20},
    )


def test_the_workspace_translates_the_msgid_then_fills_the_values():
    assert translated(N_(BETWEEN, low=1950, high=2026), french) == ("doit être entre 1950 et 2026", True)
    assert reason_text(N_("is empty"), french) == "est vide"
    assert reason_text(N_(BETWEEN, low=1, high=99), str.upper) == "must be between 1 and 99", (
        "placeholders a translation broke give the English, not an error"
    )


def test_the_translation_goes_through_the_msgid_not_the_filled_text():
    asked = []

    def spy(msgid: str) -> str:
        asked.append(msgid)
        return msgid

    reason_text(N_(BETWEEN, low=1950, high=2026), spy)
    assert asked == [BETWEEN]


def test_a_reason_not_translated_yet_is_the_english_and_says_so():
    assert translated(N_("must be a whole number"), french) == ("must be a whole number", False)
    too_long = N_("is longer than %(count)s characters", count=200)
    assert translated(too_long, french) == ("is longer than 200 characters", False), "a broken translation"
    assert translated("a plain string", french) == ("a plain string", False)
