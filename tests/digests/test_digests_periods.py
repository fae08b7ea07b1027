import datetime as dt

import pytest

from participatie.digests import periods


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_digests_period_week_ends_at_monday_midnight_in_amsterdam():
    # Sunday 23:30 UTC is already Monday 00:30 in Amsterdam (winter time, UTC+1)
    week = periods.last_completed("weekly", utc(2026, 11, 22, 23, 30))
    assert week.key == "2026-W47"
    assert week.start == utc(2026, 11, 15, 23) and week.end == utc(2026, 11, 22, 23)
    assert periods.last_completed("weekly", utc(2026, 11, 22, 22, 30)).key == "2026-W46"


def test_digests_period_week_across_the_clock_change_lasts_one_hour_longer():
    week = periods.parse("2026-W43")  # summer time ends on Sunday 25 October 2026
    assert week.start == utc(2026, 10, 18, 22) and week.end == utc(2026, 10, 25, 23)


@pytest.mark.parametrize(("now", "key"), [
    (utc(2027, 1, 4, 8), "2026-W53"),  # 2026 has 53 ISO weeks
    (utc(2026, 1, 5, 8), "2026-W01"),  # week 1 of 2026 starts on 29 December 2025
])
def test_digests_period_week_keys_at_the_turn_of_the_year(now, key):
    assert periods.last_completed("weekly", now).key == key


def test_digests_period_month_is_the_previous_calendar_month():
    month = periods.last_completed("monthly", utc(2026, 1, 1, 6))
    assert month.key == "2025-12"
    assert month.start == utc(2025, 11, 30, 23) and month.end == utc(2025, 12, 31, 23)
    assert periods.current("monthly", utc(2026, 3, 31, 22, 30)).key == "2026-04"  # CEST


@pytest.mark.parametrize("key", ["2026-W47", "2026-W01", "2026-W53", "2026-02", "2026-12"])
def test_digests_period_keys_parse_back_to_the_same_period(key):
    period = periods.parse(key)
    assert period.key == key
    assert periods.current(period.frequency, period.start) == period


@pytest.mark.parametrize("key", ["2026-47", "2026-W5", "november", "2026-13"])
def test_digests_period_rejects_unknown_keys(key):
    with pytest.raises(ValueError):
        periods.parse(key)
