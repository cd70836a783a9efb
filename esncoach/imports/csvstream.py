"""Reading exported CSV files one record at a time, whatever quirks the exporting tool added.

Exports come from admin centres, Excel re-saves and scripts: a UTF-8 BOM (or UTF-16), a title line
above the header, ``"1,234"`` thousands separators, empty cells, ``null``, and dates written as
``2026-02-16``, ``2026-02-16 19:46:41 UTC`` or ``Feb 16, 2026``. Nothing here loads the whole file.

The dialect is decided once for the whole file from its first 64 KiB (``detect_dialect``): the
delimiter (``csv.Sniffer``, checked against how consistently each candidate splits the rows, and
Excel's ``sep=;`` line), then the decimal separator from the numbers themselves (``0,75``, ``1.234,5``
or ``1,5`` can only be decimal commas; ``1,234,567`` or ``2.25`` only decimal points). A file whose
numbers could be read either way is refused with a sentence saying how to fix it, and every cell is
then read strictly in the file's convention, so a stray ``1,5`` in a decimal-point file is a rejected
row, never a silent 15.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path

from esncoach.imports.errors import ImportFailed

SNIFF_BYTES = 64 * 1024
BLOCK_ROWS = 512
"""Records handed to a reader at once by ``CsvTable.blocks`` (bounded, so memory stays flat)."""
HEADER_SEARCH_ROWS = 10
MAX_FIELD_CHARS = 8 * 1024 * 1024  # a message body can be long; this still bounds one record's memory
MAX_LINE_CHARS = 2 * MAX_FIELD_CHARS  # a file without line breaks is read in pieces, never whole
MAX_COUNT = 1e12
NULLS = frozenset({"", "null", "none", "n/a", "na", "-", "--"})
MONTHS = {m.lower(): i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
MONTHS.update({name.lower(): i for i, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)})
MONTHS["sept"] = 9
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])")
_WORDY_MDY = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})(?:$|[\s,T])")
_WORDY_DMY = re.compile(r"^(\d{1,2})[\s-]([A-Za-z]{3,9})\.?[\s-](\d{4})(?:$|[\s,T])")
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:$|[\s,T])")

csv.field_size_limit(MAX_FIELD_CHARS)


class BadCell(ValueError):
    """A cell that cannot be read as what its column holds; the message names the value."""


def norm_header(name: str) -> str:
    """Header names compared loosely: no BOM or quotes, case, underscores or repeated spaces."""
    cleaned = name.replace("\ufeff", "").strip().strip('"').strip().lower().replace("_", " ")
    return " ".join(cleaned.split())


def is_null(text: str) -> bool:
    """Whether a cell means "no value" (empty, ``null``, ``n/a``...)."""
    return text.strip().lower() in NULLS


@dataclass(frozen=True)
class Dialect:
    """How one file writes its records and numbers, decided once for the whole file."""

    delimiter: str = ","
    decimal: str = "."
    """"." or ","; the thousands separator is the other one (spaces and apostrophes are always accepted)."""
    sep_line: bool = False
    """The file starts with Excel's ``sep=X`` line, which is not a record."""

    def describe(self) -> str:
        names = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}
        return f"columns separated by {names.get(self.delimiter, self.delimiter)}, decimal " + (
            "point" if self.decimal == "." else "comma")


DELIMITERS = ",;\t|"
_GROUP_POINT = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
_GROUP_COMMA = re.compile(r"^\d{1,3}(\.\d{3})+(,\d*)?$")
# What a number cell says about the decimal separator (the first match wins).
_NUMBER_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^-?\d{1,3}(\.\d{3})+,\d+$"), "comma"),          # 1.234,5
    (re.compile(r"^-?\d{1,3}(,\d{3})+\.\d+$"), "point"),          # 1,234.5
    (re.compile(r"^-?\d{1,3}(\.\d{3}){2,}$"), "comma"),            # 1.234.567: dots group thousands
    (re.compile(r"^-?\d{1,3}(,\d{3}){2,}$"), "point"),              # 1,234,567
    (re.compile(r"^-?\d{1,3}\.\d{3}$"), "ambiguous"),               # 1.234: 1234 or 1.234?
    (re.compile(r"^-?\d{1,3},\d{3}$"), "ambiguous"),                 # 1,234
    (re.compile(r"^-?\d+,\d+$"), "comma"),                          # 0,75  1,5  12,3456
    (re.compile(r"^-?\d+\.\d+$"), "point"),                        # 2.25
)
_NUMBER_CHARS = frozenset("0123456789.,-")
_SPACES = str.maketrans("", "", " \u00a0\u202f'_")


def make_count_parser(decimal: str) -> Callable[[str], float | None]:
    """A strict ``parse_count`` for files writing decimals with ``decimal`` ("." or ",")."""
    grouped, sep, other = (_GROUP_POINT, ",", "comma") if decimal == "." else (_GROUP_COMMA, ".", "point")

    def parse(text: str) -> float | None:
        try:
            number = int(text)  # the common case, fast; int() also accepts surrounding spaces
        except ValueError:
            pass
        else:
            if 0 <= number <= MAX_COUNT:
                return float(number)
        t = text.strip()
        if t.lower() in NULLS:
            return None
        t = t.translate(_SPACES)
        if sep in t:
            if not grouped.match(t):
                raise BadCell(f"“{_short(text)}” reads as a decimal {'comma' if sep == ',' else 'point'}, but this "
                              f"file writes decimals with a {other if decimal == ',' else 'point'}")
            t = t.replace(sep, "")
        if decimal == ",":
            t = t.replace(",", ".")
        try:
            value = float(t)
        except ValueError:
            raise BadCell(f"“{_short(text)}” is not a number") from None
        if not math.isfinite(value) or value < 0:
            raise BadCell(f"“{_short(text)}” is not a count (negative or not finite)")
        if value > MAX_COUNT:
            raise BadCell(f"“{_short(text)}” is too large to be a count")
        return value

    return parse


parse_count = make_count_parser(".")
parse_count.__doc__ = "A non-negative figure from ``1234``, ``\"1,234\"`` or ``12.5``; None when empty/null."
parse_count_decimal_comma = make_count_parser(",")


def detect_dialect(sample: str, file_name: str) -> Dialect:
    """The delimiter and decimal separator of a file, from its first records; ImportFailed when unsure."""
    sep_line = False
    first = sample.split("\n", 1)[0].strip().strip('"')
    if first.lower().startswith("sep=") and len(first) == 5:
        sep_line = True
        delimiter = first[4]
        sample = sample.split("\n", 1)[1] if "\n" in sample else ""
    else:
        delimiter = _delimiter(sample)
    records = _sample_records(sample, delimiter)
    decimal = _decimal(records, delimiter, file_name)
    return Dialect(delimiter, decimal, sep_line)


def _sample_records(sample: str, delimiter: str, limit: int = 200) -> list[list[str]]:
    cut = sample[: sample.rfind("\n") + 1] or sample  # the last line may be cut in half
    try:
        rows = list(islice(csv.reader(io.StringIO(cut), delimiter=delimiter), limit))
    except csv.Error:
        return []
    return [r for r in rows if any(c.strip() for c in r)]


def _delimiter(sample: str) -> str:
    """The delimiter splitting the sample's records most consistently into several columns."""
    scores: dict[str, tuple[float, int]] = {}
    for candidate in DELIMITERS:
        widths = [len(r) for r in _sample_records(sample, candidate, 60)]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if width >= 2:
            scores[candidate] = (count / len(widths), width)
    if not scores:
        return ","
    try:
        sniffed = csv.Sniffer().sniff(sample[:16_384], delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    best = max(scores, key=lambda d: (scores[d][0], d == ",", scores[d][1]))
    if sniffed in scores and scores[sniffed][0] >= scores[best][0] - 0.05:
        return sniffed
    return best


def _decimal(records: list[list[str]], delimiter: str, file_name: str) -> str:
    seen: dict[str, str] = {}
    for row in records:
        for text in row:
            t = text.strip().translate(_SPACES)
            if not t or not (set(t) <= _NUMBER_CHARS) or not any(ch in t for ch in ".,"):
                continue
            for pattern, kind in _NUMBER_SHAPES:
                if pattern.match(t):
                    seen.setdefault(kind, text.strip())
                    break
    if "comma" in seen and "point" in seen:
        raise ImportFailed(
            f"“{file_name}” writes some numbers with a decimal comma (“{seen['comma']}”) and others with a decimal "
            f"point (“{seen['point']}”): save it again with one convention (in Excel, one locale) and import it again.")
    if "comma" in seen:
        return ","
    if "point" in seen or delimiter == ",":
        return "."  # in a comma-separated file, "1,234" can only be a quoted thousands separator
    if "ambiguous" in seen:
        raise ImportFailed(
            f"“{file_name}” has numbers such as “{seen['ambiguous']}” that could mean a thousand-odd or a decimal, and "
            "nothing else in its first rows tells which: save it again with numbers formatted without thousands "
            "separators (in Excel: Format Cells, Number, untick “Use 1000 separator”) and import it again.")
    return "," if delimiter == ";" else "."


def parse_date(text: str) -> dt.date | None:
    """A calendar date from the spellings exports use; None when empty/null; BadCell when unreadable."""
    t = text.strip()
    if t.lower() in NULLS:
        return None
    y = m = d = None
    if match := _ISO.match(t):
        y, m, d = (int(g) for g in match.groups())
    elif match := _WORDY_MDY.match(t):
        m, d, y = MONTHS.get(match[1].lower()), int(match[2]), int(match[3])
    elif match := _WORDY_DMY.match(t):
        d, m, y = int(match[1]), MONTHS.get(match[2].lower()), int(match[3])
    elif match := _SLASHED.match(t):
        a, b, y = int(match[1]), int(match[2]), int(match[3])
        if a > 12 >= b:
            d, m = a, b
        elif b > 12 >= a or a == b:
            m, d = a, b
        else:
            raise BadCell(f"“{_short(text)}” is ambiguous (day/month or month/day?); use YYYY-MM-DD")
    if y is None or m is None:
        raise BadCell(f"“{_short(text)}” is not a date")
    if not EARLIEST_YEAR <= y <= LATEST_YEAR:
        raise BadCell(f"“{_short(text)}” is outside {EARLIEST_YEAR}–{LATEST_YEAR}")
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise BadCell(f"“{_short(text)}” is not a calendar date") from None


def _short(text: str, limit: int = 40) -> str:
    text = text.strip().replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _CountingRaw(io.RawIOBase):
    """A binary file that counts the bytes read, so progress can be reported while streaming text."""

    def __init__(self, fh: io.BufferedReader) -> None:
        super().__init__()
        self._fh = fh
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        n = self._fh.readinto(buffer)
        self.consumed += n or 0
        return n or 0

    def close(self) -> None:
        self._fh.close()
        super().close()


def sniff_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 when it has a BOM, else Windows-1252 (Excel's 'CSV' save)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


@dataclass(slots=True)
class Block:
    """Up to ``BLOCK_ROWS`` data records: their cells, the line each starts on, and records the parser refused."""

    rows: list[list[str]]
    lines: list[int]
    refused: list[tuple[int, str]]
    """(line, reason) for records the csv module could not read."""


class CsvTable:
    """One pass over a CSV file: the header (located and normalised) and then (line, cells) records.

    ``line`` is the physical line a record starts on, counting the header's line as its own number,
    so messages match what the user sees in a text editor.
    """

    def __init__(self, path: str | Path, *, is_header: Callable[[list[str]], bool] | None = None,
                 like: CsvTable | None = None) -> None:
        """Open ``path`` at its header; ``like``, an earlier table of the same file, spares detecting its dialect."""
        self.path = Path(path)
        try:
            fh = self.path.open("rb")
        except OSError as exc:
            raise ImportFailed(f"Cannot open “{self.path.name}”: {exc.strerror or exc}.") from None
        self.size = max(1, self.path.stat().st_size)
        head = fh.read(SNIFF_BYTES)
        fh.seek(0)
        if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            fh.close()
            raise ImportFailed(f"“{self.path.name}” is not a text CSV file (it contains binary data).")
        if like is not None:
            self.encoding, self.dialect = like.encoding, like.dialect
        else:
            self.encoding = sniff_encoding(head)
            try:
                self.dialect = detect_dialect(head.decode(self.encoding, errors="replace"), self.path.name)
            except ImportFailed:
                fh.close()
                raise
        self.parse_count = parse_count if self.dialect.decimal == "." else parse_count_decimal_comma
        """Reads a figure the way this file writes numbers."""
        self._raw = _CountingRaw(fh)
        self._text = io.TextIOWrapper(io.BufferedReader(self._raw), encoding=self.encoding, errors="replace",
                                      newline="")
        lines = _bounded_lines(self._text)
        self._line_offset = 0
        if self.dialect.sep_line:
            next(lines, None)
            self._line_offset = 1
        self._reader = csv.reader(lines, delimiter=self.dialect.delimiter)
        self._last_line = self._line_offset
        self.header: list[str] = []
        self.keys: list[str] = []
        self.header_line = 0
        self._pending: list[tuple[int, list[str]]] = []
        self._find_header(is_header)

    # -- header -----------------------------------------------------------------------------------
    def _find_header(self, is_header: Callable[[list[str]], bool] | None) -> None:
        seen: list[tuple[int, list[str]]] = []
        for _ in range(HEADER_SEARCH_ROWS):
            try:
                item = self._next_record()
            except csv.Error as exc:
                self.close()
                raise ImportFailed(
                    f"“{self.path.name}” cannot be read as CSV near line {self._last_line}: {exc}.") from None
            if item is None:
                break
            if not any(c.strip() for c in item[1]):
                continue
            seen.append(item)
            if is_header is None or is_header([norm_header(c) for c in item[1]]):
                self._set_header(*item)
                return
        if not seen:
            self.close()
            raise ImportFailed(f"“{self.path.name}” is empty.")
        # No known header among the first rows: take the first of the widest rows (a title line above
        # the header has fewer cells) and replay the rows after it.
        widest = max(len(cells) for _line, cells in seen)
        at = next(i for i, (_line, cells) in enumerate(seen) if len(cells) == widest)
        self._set_header(*seen[at])
        self._pending = seen[at + 1:]

    def _set_header(self, line: int, cells: list[str]) -> None:
        self.header = [c.replace("\ufeff", "").strip() for c in cells]
        self.keys = [norm_header(c) for c in cells]
        self.header_line = line
        twice = [self.header[self.keys.index(k)] for k, n in Counter(self.keys).items() if k and n > 1]
        if twice:
            self.close()
            names = ", ".join(f"“{name}”" for name in twice)
            raise ImportFailed(f"“{self.path.name}” has more than one column named {names}: rename or delete the "
                               "copies so each column name appears once, then import it again.")

    # -- records ----------------------------------------------------------------------------------
    def _next_record(self) -> tuple[int, list[str]] | None:
        start = self._last_line + 1
        try:
            cells = next(self._reader)
        except StopIteration:
            return None
        finally:
            self._last_line = self._reader.line_num + self._line_offset
        return start, cells

    def records(self) -> Iterator[tuple[int, list[str] | None, str]]:
        """(line, cells, "") for each data record; (line, None, reason) for one the CSV parser refused."""
        while self._pending:
            line, cells = self._pending.pop(0)
            yield line, cells, ""
        while True:
            try:
                item = self._next_record()
            except csv.Error as exc:
                yield self._last_line, None, f"cannot be read as CSV ({exc})"
                continue
            if item is None:
                return
            line, cells = item
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            yield line, cells, ""

    def blocks(self, size: int | None = None) -> Iterator[Block]:
        """The same records as ``records``, up to ``size`` at a time, for readers that work column by column.

        The csv module's C reader runs in a tight loop here; each block carries the line every record
        starts on, so a reader can still name the line of a row it rejects.
        """
        size = size or BLOCK_ROWS
        reader, offset = self._reader, self._line_offset
        pending, self._pending = self._pending, []
        exhausted = False
        while not exhausted:
            rows = [cells for _line, cells in pending]
            lines = [line for line, _cells in pending]
            refused: list[tuple[int, str]] = []
            pending = []
            while len(rows) < size:
                got, wanted, prev = len(rows), size - len(rows), self._last_line
                ends: list[int] = []
                keep, mark, error = rows.append, ends.append, ""
                try:
                    for cells in islice(reader, wanted):
                        keep(cells)
                        mark(reader.line_num)
                except csv.Error as exc:
                    error = f"cannot be read as CSV ({exc})"
                if ends:  # a record starts on the line after the one the previous record ended on
                    lines.append(prev + 1)
                    lines.extend(map((offset + 1).__add__, ends[:-1]))
                    self._last_line = ends[-1] + offset
                if error:
                    self._last_line = reader.line_num + offset
                    refused.append((self._last_line, error))
                elif len(rows) - got < wanted:
                    exhausted = True
                    break
            if rows and min(map(len, rows)) <= 1:  # drop blank records, as ``records`` does
                kept = [(line, cells) for line, cells in zip(lines, rows)
                        if cells and (len(cells) > 1 or cells[0].strip())]
                lines, rows = [line for line, _cells in kept], [cells for _line, cells in kept]
            if rows or refused:
                yield Block(rows, lines, refused)

    def index(self, *names: str) -> int | None:
        """Position of the first column whose normalised name is one of ``names`` (already normalised)."""
        for name in names:
            if name in self.keys:
                return self.keys.index(name)
        return None

    @property
    def bytes_read(self) -> int:
        """How far into the file the reader is, for progress (runs a buffer ahead of the parser)."""
        return self._raw.consumed

    def close(self) -> None:
        """Close the file; safe to call twice."""
        try:
            self._text.close()
        except Exception:  # noqa: BLE001 - closing a half-constructed reader must never mask the real error
            pass

    def __enter__(self) -> CsvTable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _bounded_lines(text: io.TextIOBase) -> Iterator[str]:
    """The file's lines, but never more than MAX_LINE_CHARS at once (such a line's rows are then rejected)."""
    return iter(partial(text.readline, MAX_LINE_CHARS), "")  # C all the way: no generator frame per line


def cell(cells: list[str], index: int | None) -> str:
    """The text at a column, or "" when the column is absent or the row is short."""
    if index is None or index >= len(cells):
        return ""
    return cells[index]
