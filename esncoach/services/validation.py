"""Input checks shared by services, each failing with a sentence that names the field."""

from __future__ import annotations

import datetime as dt
import re

from esncoach.store.errors import ValidationError

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EARLIEST_DATE = dt.date(1990, 1, 1)


def text(value: str | None, field: str, *, max_len: int, required: bool = False) -> str:
    """Trimmed text within a length limit; required fields must not be blank."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise ValidationError(field, f"{field.capitalize()} is required.")
    if len(cleaned) > max_len:
        raise ValidationError(field, f"{field.capitalize()} is {len(cleaned):,} characters; the limit is {max_len:,}.")
    return cleaned


def email(value: str | None, field: str = "email") -> str | None:
    """A plausible email address, lower-cased for matching imports, or None when blank."""
    cleaned = (value or "").strip().lower()
    if not cleaned:
        return None
    if len(cleaned) > 320 or not EMAIL_RE.match(cleaned):
        raise ValidationError(field, f"“{cleaned[:60]}” is not a valid email address.")
    return cleaned


def date(value: dt.date | str | None, field: str, *, allow_future: bool = True, today: dt.date | None = None) -> dt.date | None:
    """An ISO date (or date object) within a sane range, or None when blank."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(field, f"{field.capitalize()} “{value}” is not a date (use YYYY-MM-DD).") from None
    today = today or dt.date.today()
    if value < EARLIEST_DATE:
        raise ValidationError(field, f"{field.capitalize()} {value.isoformat()} is before {EARLIEST_DATE.year}.")
    if not allow_future and value > today:
        raise ValidationError(field, f"{field.capitalize()} {value.isoformat()} is in the future.")
    return value
