"""The one way a date is written on screen: "1 Oct 2026" (no zero padding, month names in the user's locale)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale

DATE_FORMAT = "d MMM yyyy"
DAY_MONTH_FORMAT = "d MMM"


def date_text(day: dt.date | dt.datetime, *, year: bool = True) -> str:
    """``day`` as every screen writes it; ``year=False`` for nearby dates in running text ("by 7 Dec")."""
    return QLocale().toString(QDate(day.year, day.month, day.day), DATE_FORMAT if year else DAY_MONTH_FORMAT)


def iso_date_text(text: str) -> str:
    """A service's "YYYY-MM-DD" (or longer ISO stamp) as every screen writes a date; "" stays ""."""
    if not text:
        return ""
    try:
        return date_text(dt.date.fromisoformat(text[:10]))
    except ValueError:
        return text


def short_weekday_date_time_text(moment: dt.datetime) -> str:
    """A nearby moment with its short weekday and time: "Tue 1 Dec 09:30"."""
    return (QLocale().dayName(moment.isoweekday(), QLocale.FormatType.ShortFormat) + " "
            + date_text(moment, year=False) + f" {moment:%H:%M}")


def weekday_date_text(day: dt.date | dt.datetime) -> str:
    """The date with its weekday, for a session's heading: "Tuesday 1 Dec 2026"."""
    return QLocale().dayName(day.isoweekday()) + " " + date_text(day)
