"""Digest periods: ISO weeks ("2026-W47") and months ("2026-11") in Dutch local time."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Amsterdam")
FREQUENCIES = ("weekly", "monthly")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """A week or month: its key, and its bounds as aware UTC datetimes (start <= t < end)."""

    key: str
    frequency: str
    start: dt.datetime
    end: dt.datetime


def _midnight(day: dt.date) -> dt.datetime:
    # midnight in Amsterdam, so a week runs Monday to Sunday as people there live it
    return dt.datetime.combine(day, dt.time(0), LOCAL).astimezone(dt.UTC)


def _week(monday: dt.date) -> Period:
    year, week, _ = monday.isocalendar()
    end = monday + dt.timedelta(days=7)
    return Period(f"{year}-W{week:02d}", "weekly", _midnight(monday), _midnight(end))


def _month(first: dt.date) -> Period:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return Period(f"{first:%Y-%m}", "monthly", _midnight(first), _midnight(following))


def current(frequency: str, now: dt.datetime) -> Period:
    """Return the period that contains now."""
    today = now.astimezone(LOCAL).date()
    if frequency == "weekly":
        return _week(today - dt.timedelta(days=today.weekday()))
    if frequency == "monthly":
        return _month(today.replace(day=1))
    raise ValueError(f"unknown frequency {frequency!r}")


def last_completed(frequency: str, now: dt.datetime) -> Period:
    """Return the most recent period that has fully ended before now."""
    running = current(frequency, now)
    return current(frequency, running.start - dt.timedelta(seconds=1))


def parse(key: str) -> Period:
    """Turn a key like '2026-W47' or '2026-11' back into its period."""
    if match := _WEEK.match(key):
        return _week(dt.date.fromisocalendar(int(match[1]), int(match[2]), 1))
    if match := _MONTH.match(key):
        return _month(dt.date(int(match[1]), int(match[2]), 1))
    raise ValueError(f"not a period key: {key!r}")
