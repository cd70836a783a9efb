"""Input checks shared by services, each failing with a sentence that names the field.

Text hygiene: everything stored is NFC-normalised (so "é" typed two ways is one spelling for search and
redaction). Single-line fields (names, titles, handles, e-mails, community names) refuse control
characters, line breaks, bidi overrides/isolates and zero-width characters, which can hide or disguise
text on a screen, in a PDF or in a terminal; multi-line fields keep newlines and tabs but refuse the rest.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from esncoach.store.errors import ValidationError

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EARLIEST_DATE = dt.date(1990, 1, 1)


# Controls allowed in no field (C0 except tab and newline, DEL, C1) and those a single line refuses too.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")
_UNDECODED = re.compile("[\ud800-\udfff]")


def _label(field: str) -> str:
    return field[:1].upper() + field[1:]


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


def hygiene(value: str, field: str, *, single_line: bool) -> str:
    """``value`` NFC-normalised with CR/CRLF turned into LF; a ValidationError names the first character a
    field of this kind may not hold."""
    if _UNDECODED.search(value):
        raise ValidationError(field, f"{_label(field)} holds bytes that are not UTF-8 text; type it again in UTF-8.")
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    found = (_LINE_CONTROL if single_line else _CONTROL).search(value)
    if found:
        char = found.group()
        if single_line and char in "\n\t\u2028\u2029":
            what = "a line break" if char != "\t" else "a tab"
            raise ValidationError(field, f"{_label(field)} must be one line; it contains {what}.")
        raise ValidationError(
            field, f"{_label(field)} contains an invisible control character ({_code(char)}); remove it."
        )
    found = _BIDI.search(value)
    if found:
        raise ValidationError(
            field,
            f"{_label(field)} contains an invisible bidirectional-text control ({_code(found.group())}), which can "
            "disguise text; remove it.",
        )
    if single_line:
        found = _ZERO_WIDTH.search(value)
        if found:
            raise ValidationError(
                field, f"{_label(field)} contains an invisible zero-width character ({_code(found.group())}); remove it."
            )
    return value


def line(value: str | None, field: str, *, max_len: int, required: bool = False) -> str:
    """A single-line field (name, title, handle, community): ``text`` plus the single-line rules."""
    return text(value, field, max_len=max_len, required=required, single_line=True)


def multiline(value: str | None, field: str) -> str:
    """Free text kept exactly as typed (no trimming; notes autosave), apart from hygiene and NFC."""
    return hygiene(value or "", field, single_line=False)


def text(value: str | None, field: str, *, max_len: int, required: bool = False, single_line: bool = False) -> str:
    """Trimmed, NFC-normalised text within a length limit; required fields must not be blank.

    Multi-line by default (newlines and tabs kept); ``single_line`` for names, titles and the like.
    """
    # Only ordinary blanks are trimmed before the check: a hidden character at either end is refused too.
    cleaned = hygiene((value or "").strip(" \t\r\n"), field, single_line=single_line).strip()
    if required and not cleaned:
        raise ValidationError(field, f"{field.capitalize()} is required.")
    if len(cleaned) > max_len:
        raise ValidationError(field, f"{field.capitalize()} is {len(cleaned):,} characters; the limit is {max_len:,}.")
    return cleaned


def email(value: str | None, field: str = "email") -> str | None:
    """A plausible email address, lower-cased for matching imports, or None when blank."""
    cleaned = hygiene((value or "").strip(" \t\r\n"), field, single_line=True).strip().lower()
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
