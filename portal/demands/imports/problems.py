"""The reasons given for refused import rows: English on the command line, translated in the workspace.

The imports run without a request or an application locale (the command line, tests, the workspace's
dry run), so a reason is not translated where it is made. `N_` marks its msgid for extraction (the
Makefile's `pybabel extract -k N_`) and keeps the variable parts beside it, as named placeholders:

    N_("is longer than %(count)s characters", count=MAX_LANDLORD)

The result is a `Reason`: a `str` holding the English with the values filled, so the command line, logs
and `ImportRefused`'s message read it as before, and also its `msgid` and `params`, so the workspace's
report translates the msgid in the partner's language and then fills the values (see `reason_text`).
Values are file identifiers (codes, dates, limits): they are never translated.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache


class Reason(str):
    """A reason's English text (the `str` itself) and what translating it needs: `msgid`, `params`."""

    msgid: str
    params: dict[str, object]

    def __new__(cls, msgid: str, params: dict[str, object] | None = None) -> Reason:
        params = dict(params or {})
        reason = super().__new__(cls, msgid % params if params else msgid)
        reason.msgid, reason.params = msgid, params
        return reason

    def __getnewargs__(self) -> tuple[str, dict[str, object]]:
        return self.msgid, self.params


def N_(msgid: str, /, **params: object) -> Reason:
    """Mark `msgid` for extraction without translating it now; `params` fill its %(name)s placeholders.
    A reason without values is made once (the imports name their reasons for every field of every row)."""
    return Reason(msgid, params) if params else _plain(msgid)


@lru_cache(maxsize=512)
def _plain(msgid: str) -> Reason:
    return Reason(msgid)


def translated(reason: str, translate: Callable[[str], str]) -> tuple[str, bool]:
    """(text, translated): the reason in the language of `translate` (a gettext) with its values filled,
    and whether that is a translation, not the English.

    gettext gives back a msgid its catalog lacks, so a reason not translated yet says so, and the page can
    mark it as English. A plain string (not a Reason) and a translation whose placeholders do not match
    the msgid's give the English rather than failing the page.
    """
    msgid = getattr(reason, "msgid", None)
    if msgid is None:
        return str(reason), False
    text = translate(msgid)
    if text == msgid:
        return str(reason), False
    if reason.params:
        try:
            text = text % reason.params
        except (KeyError, ValueError, TypeError):
            return str(reason), False
    return text, True


def reason_text(reason: str, translate: Callable[[str], str]) -> str:
    """The reason in the language of `translate`, its values filled (see `translated`)."""
    return translated(reason, translate)[0]
