"""The weekly hours as partners type them: what is read, what is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.desks.operations import parse_hours


def t(hours: int, minutes: int = 0) -> dt.time:
    return dt.time(hours, minutes)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("", []),
        ("09:00-12:00", [(t(9), t(12))]),
        ("9h-12h, 13:30-17:00", [(t(9), t(12)), (t(13, 30), t(17))]),
        ("13h30 à 17h, 9.00-12.00", [(t(9), t(12)), (t(13, 30), t(17))]),
        ("9-12", [(t(9), t(12))]),
    ],
)
def test_hours_are_read_in_the_usual_ways(text, spans):
    assert parse_hours(text) == spans


@pytest.mark.parametrize(
    "text", ["lundi", "12:00-09:00", "09:00-09:00", "25:00-26:00", "09:60-10:00", "9-12, 11-13"]
)
def test_impossible_hours_are_refused(text):
    with pytest.raises(ValueError):
        parse_hours(text)
