"""Opening status with fixed clocks: open, closing soon, closed and next opening, holidays, closures,
unconfirmed hours, and the change to summer time."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.desks.hours import PARIS, DateRange, Hours, Slot, State, next_opening, status

UTC = dt.UTC
WEEKDAYS_9_TO_12_AND_14_TO_17 = tuple(
    slot
    for day in range(5)
    for slot in (Slot(day, dt.time(9), dt.time(12)), Slot(day, dt.time(14), dt.time(17)))
)
HOURS = Hours(WEEKDAYS_9_TO_12_AND_14_TO_17, confirmed_on=dt.date(2026, 10, 1))


def paris(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


def test_open_during_a_slot():
    result = status(HOURS, paris(2026, 11, 30, 10, 0))  # a Monday
    assert result.state is State.OPEN
    assert result.closes_at == paris(2026, 11, 30, 12, 0)


@pytest.mark.parametrize(
    ("minute", "expected"), [(29, State.OPEN), (30, State.CLOSING_SOON), (59, State.CLOSING_SOON)]
)
def test_closing_soon_starts_thirty_minutes_before_the_end(minute, expected):
    assert status(HOURS, paris(2026, 11, 30, 11, minute)).state is expected


def test_the_end_of_a_slot_is_closed_and_the_next_slot_is_announced():
    result = status(HOURS, paris(2026, 11, 30, 12, 0))
    assert result.state is State.CLOSED
    assert result.next_opening == paris(2026, 11, 30, 14, 0)


def test_friday_evening_opens_next_on_monday():
    result = status(HOURS, paris(2026, 12, 4, 18, 0))
    assert result.state is State.CLOSED
    assert result.next_opening == paris(2026, 12, 7, 9, 0)


def test_a_public_holiday_closes_the_desk_and_is_skipped():
    christmas = paris(2026, 12, 25, 10, 0)  # a Friday
    result = status(HOURS, christmas)
    assert result.state is State.CLOSED
    assert result.next_opening == paris(2026, 12, 28, 9, 0)
    # Easter Monday 2026 is 6 April: closed at 10:00, opens on Tuesday.
    assert status(HOURS, paris(2026, 4, 6, 10, 0)).next_opening == paris(2026, 4, 7, 9, 0)


def test_a_dated_closure_gives_temporarily_closed_and_the_reopening():
    hours = Hours(
        HOURS.slots, (DateRange(dt.date(2026, 11, 23), dt.date(2026, 12, 4)),), dt.date(2026, 10, 1)
    )
    result = status(hours, paris(2026, 11, 30, 10, 0))
    assert result.state is State.TEMPORARILY_CLOSED
    assert result.reopens_on == dt.date(2026, 12, 7)  # the closure ends on a Friday: Monday
    assert result.next_opening == paris(2026, 12, 7, 9, 0)


def test_a_closure_ahead_is_skipped_by_the_next_opening():
    hours = Hours(HOURS.slots, (DateRange(dt.date(2026, 12, 1), dt.date(2026, 12, 2)),), dt.date(2026, 10, 1))
    assert next_opening(hours, paris(2026, 11, 30, 18, 0)) == paris(2026, 12, 3, 9, 0)


@pytest.mark.parametrize(
    ("confirmed_on", "expected"),
    [
        (None, State.UNKNOWN),
        (dt.date(2025, 11, 29), State.UNKNOWN),
        (dt.date(2025, 12, 1), State.OPEN),
    ],
)
def test_hours_not_confirmed_for_twelve_months_are_unknown(confirmed_on, expected):
    hours = Hours(HOURS.slots, confirmed_on=confirmed_on)
    assert status(hours, paris(2026, 11, 30, 10, 0)).state is expected


def test_the_clock_change_is_followed():
    """07:30 UTC is 08:30 in Paris in winter (closed) and 09:30 in summer (open)."""
    before = dt.datetime(2026, 3, 23, 7, 30, tzinfo=UTC)  # Monday before the change (UTC+1)
    after = dt.datetime(2026, 3, 30, 7, 30, tzinfo=UTC)  # Monday after the change of 29 March (UTC+2)
    assert status(HOURS, before).state is State.CLOSED
    assert status(HOURS, before).next_opening == paris(2026, 3, 23, 9, 0)
    assert status(HOURS, after).state is State.OPEN


def test_a_slot_on_the_night_of_the_change_keeps_its_local_hours():
    sunday = Hours((Slot(6, dt.time(1, 0), dt.time(4, 0)),), confirmed_on=dt.date(2026, 3, 1))
    # On 29 March 2026, 02:00 becomes 03:00: 00:30 UTC is 01:30 (open), 01:30 UTC is 03:30 (closing soon).
    assert status(sunday, dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC)).state is State.OPEN
    assert status(sunday, dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)).state is State.CLOSING_SOON


def test_a_desk_without_weekly_hours_is_unknown_not_closed():
    result = status(Hours((), confirmed_on=dt.date(2026, 10, 1)), paris(2026, 11, 30, 10, 0))
    assert result.state is State.UNKNOWN and result.next_opening is None


def test_periods_that_touch_are_one_period_for_closing_soon():
    hours = Hours(
        (Slot(0, dt.time(9), dt.time(12)), Slot(0, dt.time(12), dt.time(17))),
        confirmed_on=dt.date(2026, 10, 1),
    )
    result = status(hours, paris(2026, 11, 30, 11, 45))
    assert result.state is State.OPEN and result.closes_at == paris(2026, 11, 30, 17, 0)


def test_reopening_after_back_to_back_closures_is_the_real_next_opening():
    closures = (
        DateRange(dt.date(2026, 12, 1), dt.date(2026, 12, 4)),
        DateRange(dt.date(2026, 12, 5), dt.date(2026, 12, 13)),
    )
    result = status(Hours(HOURS.slots, closures, dt.date(2026, 10, 1)), paris(2026, 12, 2, 10, 0))
    assert result.state is State.TEMPORARILY_CLOSED
    assert result.reopens_on == dt.date(2026, 12, 14)


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        status(HOURS, dt.datetime(2026, 11, 30, 10, 0))
