"""Importing an export file: read it once (streaming), match people to execs, store in one transaction.

Privacy by default: a row about someone who is not a tracked exec only ever adds to the network total;
no per-person figure of theirs is stored, and their names are only kept (in memory) to offer the review
step a chance to link one to an exec. The whole file is read and checked before the transaction opens,
so a failure or a cancel part-way leaves stored data exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import logging
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from esncoach.imports.analytics import NetworkAnalytics
from esncoach.imports.csvstream import CsvTable
from esncoach.imports.errors import ImportFailed, RowError
from esncoach.imports.formats import Format, format_named, open_table
from esncoach.imports.records import ReadContext, Sums, Who
from esncoach.models import Exec
from esncoach.services import metrics as metrics_service
from esncoach.services.progress import Cancelled, ProgressSink, no_progress
from esncoach.store.workspace import Workspace

log = logging.getLogger(__name__)

BeforeWrite = Callable[[ProgressSink], object]
"""Called with the progress sink after reading and before writing; returns what to report (a backup path)."""

MAX_REPORTED_REJECTIONS = 1_000
MAX_TRACKED_UNMATCHED = 5_000
MAX_REVIEW_NAMES = 200
PREVIEW_ROWS = 20
PROGRESS_EVERY = 2_000
SUGGEST_RATIO = 0.85


@dataclass(frozen=True)
class ExecRef:
    """An exec as the matcher knows them."""

    id: int
    name: str
    email: str
    handle: str


@dataclass(frozen=True)
class UnmatchedName:
    """A person in the file matching no exec by email or handle, but resembling one (for the review step)."""

    key: str
    label: str
    rows: int
    suggestion_id: int
    suggestion_name: str
    exact: bool
    """The display name equals the exec's name (ignoring case and accents): pre-selected in the review."""


@dataclass(frozen=True)
class MatchedExec:
    """A tracked exec the file has rows about."""

    id: int
    name: str
    rows: int


@dataclass(frozen=True)
class ImportResult:
    """What an import recognised, stored, replaced and rejected (``stored`` False for a dry analysis)."""

    file_name: str
    format: str
    format_label: str
    header: tuple[str, ...]
    preview: tuple[tuple[str, ...], ...]
    period: tuple[dt.date, dt.date] | None
    rows_read: int
    rows_imported: int
    rows_rejected: int
    rejections: tuple[RowError, ...]
    matched: tuple[MatchedExec, ...]
    people_folded: int
    review: tuple[UnmatchedName, ...]
    warnings: tuple[str, ...]
    stored: bool = False
    batch_id: int | None = None
    samples_written: int = 0
    samples_replaced: int = 0
    batches_replaced: int = 0
    backup: str | None = None
    """The backup taken just before writing, when the caller asked for one."""

    def as_json(self) -> dict[str, object]:
        """The JSON ``esncoach import --json`` prints."""
        return {
            "file": self.file_name,
            "recognised": {"format": self.format, "label": self.format_label, "columns": list(self.header),
                           "period": [self.period[0].isoformat(), self.period[1].isoformat()] if self.period else None},
            "imported": {"rows": self.rows_imported, "samples": self.samples_written, "batch_id": self.batch_id,
                         "execs": [{"id": m.id, "name": m.name, "rows": m.rows} for m in self.matched],
                         "people_folded_into_network": self.people_folded},
            "replaced": {"samples": self.samples_replaced, "batches": self.batches_replaced},
            "rejected": {"rows": self.rows_rejected, "details": [r.as_json() for r in self.rejections]},
            "unmatched_names_resembling_execs": [
                {"name": u.label, "rows": u.rows, "exec": u.suggestion_name} for u in self.review],
            "warnings": list(self.warnings),
            "backup": self.backup,
        }


@dataclass
class _Collected:
    samples: dict[metrics_service.SeriesKey, float] = field(default_factory=dict)
    explicit_network: dict[metrics_service.SeriesKey, float] = field(default_factory=dict)
    rows_read: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    rejections: list[RowError] = field(default_factory=list)
    matched_rows: dict[int, int] = field(default_factory=dict)
    unmatched: dict[str, list] = field(default_factory=dict)
    unmatched_capped: bool = False
    analytics: NetworkAnalytics | None = None


class Matcher:
    """Resolves a row's person to a tracked exec: by email, by handle, or by the review step's mapping."""

    def __init__(self, execs: list[ExecRef], mapping: Mapping[str, int | None] | None = None) -> None:
        self.execs = {e.id: e for e in execs}
        self._email = {e.email: e.id for e in execs if e.email}
        self._handle = {e.handle: e.id for e in execs if e.handle}
        self._mapping = {k.strip().lower(): v for k, v in (mapping or {}).items()}
        self._cache: dict[Who, int | None] = {}

    @staticmethod
    def handle_key(text: str) -> str:
        return text.strip().lower().lstrip("@")

    def __call__(self, who: Who) -> int | None:
        cached = self._cache.get(who, -1)
        if cached != -1:
            return cached
        found: int | None = None
        if who.email and who.email in self._email:
            found = self._email[who.email]
        elif who.handle and self.handle_key(who.handle) in self._handle:
            found = self._handle[self.handle_key(who.handle)]
        elif who.name and self.handle_key(who.name) in self._handle and not who.email:
            found = self._handle[self.handle_key(who.name)]  # a bare "person" cell holding a handle
        elif who.key in self._mapping:
            found = self._mapping[who.key]
            if found is not None and found not in self.execs:
                found = None
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[who] = found
        return found


def load_execs(ws: Workspace) -> list[ExecRef]:
    """Every exec (archived ones too: their history still matters) with their matching keys."""
    with ws.session() as s:
        rows = s.execute(select(Exec.id, Exec.name, Exec.email, Exec.handle)).all()
    return [ExecRef(i, n, (e or "").lower(), Matcher.handle_key(h or "")) for i, n, e, h in rows]


def file_sha256(path: Path) -> str:
    """Fingerprint of the file, so importing the same file again replaces the first import."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _resolve_format(path: Path, fmt: str | Format | None) -> tuple[CsvTable, Format]:
    chosen = format_named(fmt) if isinstance(fmt, str) else fmt
    table, found = open_table(path, chosen)
    if found is None:
        table.close()
        from esncoach.imports.formats import FORMATS

        raise ImportFailed(
            f"“{path.name}” is not an export esncoach recognises (its columns are: {', '.join(table.header[:12])}). "
            f"Known formats: {', '.join(f.name for f in FORMATS)}; for another layout use the generic format "
            "with a date column.")
    if chosen is not None and chosen.name != "generic" and not chosen.matches(table.keys):
        table.close()
        raise ImportFailed(f"“{path.name}” does not look like {chosen.label}: missing columns "
                           f"{', '.join(chosen.missing(table.keys))}.")
    return table, found


def _preview(path: Path, fmt: Format, like: CsvTable) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    with open_table(path, fmt, like=like)[0] as table:
        rows = []
        for _line, cells, _problem in table.records():
            if cells is not None:
                rows.append(tuple(c[:200] for c in cells))
            if len(rows) >= PREVIEW_ROWS:
                break
        return tuple(table.header), tuple(rows)


@dataclass(frozen=True)
class FilePeek:
    """The first rows of a file and the format its header matches (None when it matches none)."""

    header: tuple[str, ...]
    preview: tuple[tuple[str, ...], ...]
    detected: Format | None


def peek_file(path: str | Path) -> FilePeek:
    """Read only the header and first rows, to show the wizard's preview and column mapping at once."""
    path = Path(path)
    if not path.is_file():
        raise ImportFailed(f"There is no file at {path}.")
    table, found = open_table(path, None)
    with table:
        rows = []
        for _line, cells, _problem in table.records():
            if cells is not None:
                rows.append(tuple(c[:200] for c in cells))
            if len(rows) >= PREVIEW_ROWS:
                break
        return FilePeek(tuple(table.header), tuple(rows), found)


def _collect(ws: Workspace, path: Path, fmt: Format, table: CsvTable, *, column_map: Mapping[str, str] | None,
             mapping: Mapping[str, int | None] | None, period: tuple[dt.date, dt.date] | None,
             progress: ProgressSink) -> tuple[_Collected, list[str], Matcher]:
    matcher = Matcher(load_execs(ws), mapping)
    acc = _Collected()
    active = {"table": table}

    def reopen() -> CsvTable:
        again = open_table(path, fmt, like=table)[0]  # the dialect was detected once, for the whole file
        active["table"] = again
        return again

    ctx = ReadContext(path=path, reopen=reopen, match=matcher, column_map=dict(column_map or {}), period=period)
    size = table.size
    progress(0, size, "Reading…")
    samples, explicit, matched_rows, unmatched = acc.samples, acc.explicit_network, acc.matched_rows, acc.unmatched
    for n, item in enumerate(fmt.reader(table, ctx), start=1):
        if n % PROGRESS_EVERY == 0:
            done = ctx.current_pass * size + active["table"].bytes_read
            progress(min(done, size * ctx.passes), size * ctx.passes, f"Reading line {item.line:,}…")
        if item.__class__ is Sums:
            acc.rows_read += item.rows
            acc.rows_imported += item.rows
            for key, value in item.samples.items():
                samples[key] = samples.get(key, 0.0) + value
            for key, value in item.network.items():
                explicit[key] = explicit.get(key, 0.0) + value
            for exec_id, rows in item.matched_rows.items():
                matched_rows[exec_id] = matched_rows.get(exec_id, 0) + rows
            for who, rows in item.people:
                _note_unmatched(acc, who, rows)
            done = ctx.current_pass * size + active["table"].bytes_read
            progress(min(done, size * ctx.passes), size * ctx.passes, f"Reading line {item.line:,}…")
            continue
        if item.__class__ is RowError:
            acc.rows_read += 1
            acc.rows_rejected += 1
            if len(acc.rejections) < MAX_REPORTED_REJECTIONS:
                acc.rejections.append(item)
            continue
        who, exec_id, fold = item.who, item.exec_id, item.fold
        if fold or exec_id is None:
            acc.rows_read += 1
            acc.rows_imported += 1
        start, end, values = item.start, item.end, item.values
        if who is None and exec_id is None:
            for metric, value in values.items():
                key = (None, metric, start, end)
                explicit[key] = explicit.get(key, 0.0) + value
            continue
        if exec_id is None and who is not None:
            exec_id = matcher(who)
            if exec_id is None and who.key:
                entry = unmatched.get(who.key)
                if entry is not None:
                    entry[1] += 1
                else:
                    _note_unmatched(acc, who)
        if exec_id is not None:
            if fold:
                matched_rows[exec_id] = matched_rows.get(exec_id, 0) + 1
            for metric, value in values.items():
                key = (exec_id, metric, start, end)
                samples[key] = samples.get(key, 0.0) + value
        if fold:
            for metric, value in values.items():
                key = (None, metric, start, end)
                samples[key] = samples.get(key, 0.0) + value
    # An explicit whole-network figure wins over the sum of per-person rows for the same series and period.
    acc.samples.update(acc.explicit_network)
    acc.analytics = ctx.analytics
    return acc, ctx.warnings, matcher


def _note_unmatched(acc: _Collected, who: Who, rows: int = 1) -> None:
    entry = acc.unmatched.get(who.key)
    if entry is not None:
        entry[1] += rows
    elif len(acc.unmatched) < MAX_TRACKED_UNMATCHED:
        acc.unmatched[who.key] = [who, rows]
    else:
        acc.unmatched_capped = True  # counting every distinct name would make memory grow with the file


_NAME_MARKS = str.maketrans("._-@'", "     ")


def _fold_name(text: str) -> str:
    text = text.casefold()
    if not text.isascii():  # ASCII has no decompositions or combining marks: NFKD would change nothing
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.translate(_NAME_MARKS).split())


def _review(acc: _Collected, matcher: Matcher) -> tuple[UnmatchedName, ...]:
    """Unmatched people whose name (or email's local part) resembles an exec's name."""
    # One SequenceMatcher per exec (difflib caches the analysis of the second sequence), and the cheap
    # upper bounds first: thousands of people times dozens of execs must stay well under a second.
    targets = []
    for ex in matcher.execs.values():
        folded = _fold_name(ex.name)
        targets.append((ex, folded, difflib.SequenceMatcher(None, "", folded, autojunk=False)))
    found: list[UnmatchedName] = []
    for key, (who, rows) in acc.unmatched.items():
        candidates = [_fold_name(who.name)] if who.name else []
        if who.email:
            candidates.append(_fold_name(who.email.split("@")[0]))
        best: tuple[float, ExecRef | None] = (0.0, None)
        for ex, folded, sm in targets:
            for cand in candidates:
                if cand == folded:
                    ratio = 1.0
                else:
                    total = len(cand) + len(folded)
                    if not total or 2 * min(len(cand), len(folded)) / total < SUGGEST_RATIO:
                        continue
                    sm.set_seq1(cand)
                    if sm.real_quick_ratio() < SUGGEST_RATIO or sm.quick_ratio() < SUGGEST_RATIO:
                        continue
                    ratio = sm.ratio()
                if ratio > best[0]:
                    best = (ratio, ex)
        if best[1] is not None and best[0] >= SUGGEST_RATIO:
            exact = bool(who.name) and _fold_name(who.name) == _fold_name(best[1].name)
            found.append(UnmatchedName(key, who.label, rows, best[1].id, best[1].name, exact))
    found.sort(key=lambda u: (not u.exact, -u.rows, u.label))
    return tuple(found[:MAX_REVIEW_NAMES])


def _run(ws: Workspace, path: str | Path, *, fmt: str | Format | None, column_map: Mapping[str, str] | None,
         mapping: Mapping[str, int | None] | None, period: tuple[dt.date, dt.date] | None, store: bool,
         progress: ProgressSink, before_write: BeforeWrite | None = None) -> ImportResult:
    path = Path(path)
    if not path.is_file():
        raise ImportFailed(f"There is no file at {path}.")
    table, found = _resolve_format(path, fmt)
    try:
        try:
            acc, warnings, matcher = _collect(ws, path, found, table, column_map=column_map, mapping=mapping,
                                              period=period, progress=progress)
        except (ImportFailed, Cancelled):
            raise
        except Exception as exc:  # a reader bug must not look like a crash to the user; it is logged
            log.exception("import of %s failed", path)
            raise ImportFailed(f"“{path.name}” could not be read ({type(exc).__name__}); nothing was imported.") from exc
    finally:
        table.close()
    if acc.rows_imported == 0:
        first = "; ".join(f"line {r.line}: {r.reason}" for r in acc.rejections[:3])
        raise ImportFailed(f"No row of “{path.name}” could be imported" + (f" ({first})." if first else " (it has no data rows)."))
    header, preview = _preview(path, found, table)
    keys = acc.samples.keys()
    span = (min(k[2] for k in keys), max(k[3] for k in keys)) if keys else None
    result = ImportResult(
        file_name=path.name, format=found.name, format_label=found.label, header=header, preview=preview,
        period=span, rows_read=acc.rows_read, rows_imported=acc.rows_imported, rows_rejected=acc.rows_rejected,
        rejections=tuple(acc.rejections),
        matched=tuple(sorted((MatchedExec(i, matcher.execs[i].name, n) for i, n in acc.matched_rows.items()),
                             key=lambda m: m.name)),
        people_folded=len(acc.unmatched), review=_review(acc, matcher),
        warnings=tuple(warnings
                       + ([f"{acc.rows_rejected - len(acc.rejections):,} more rejected rows are not listed."]
                          if acc.rows_rejected > len(acc.rejections) else [])
                       + ([f"More than {MAX_TRACKED_UNMATCHED:,} other people are in the file; only the first "
                           f"{MAX_TRACKED_UNMATCHED:,} were checked for names resembling an executive's."]
                          if acc.unmatched_capped else [])),
    )
    if not store:
        return result
    sha = file_sha256(path)
    backup = str(before_write(progress)) if before_write is not None else None
    with ws.session() as s:
        outcome = metrics_service.store_batch(
            s, source=found.name, file_name=path.name, file_sha256=sha, samples=acc.samples,
            rows_imported=acc.rows_imported, rows_rejected=acc.rows_rejected, progress=progress)
        if acc.analytics is not None:
            acc.analytics.store(s, batch_id=outcome.batch_id)
    from dataclasses import replace

    return replace(result, stored=True, batch_id=outcome.batch_id, samples_written=outcome.samples_written,
                   samples_replaced=outcome.samples_replaced, batches_replaced=outcome.batches_replaced,
                   backup=backup)


def analyse_file(ws: Workspace, path: str | Path, *, fmt: str | Format | None = None,
                 column_map: Mapping[str, str] | None = None, mapping: Mapping[str, int | None] | None = None,
                 period: tuple[dt.date, dt.date] | None = None, progress: ProgressSink = no_progress) -> ImportResult:
    """Read the whole file as an import would, without storing anything (the wizard's preview and review)."""
    return _run(ws, path, fmt=fmt, column_map=column_map, mapping=mapping, period=period, store=False,
                progress=progress)


def import_file(ws: Workspace, path: str | Path, *, fmt: str | Format | None = None,
                column_map: Mapping[str, str] | None = None, mapping: Mapping[str, int | None] | None = None,
                period: tuple[dt.date, dt.date] | None = None, progress: ProgressSink = no_progress,
                before_write: BeforeWrite | None = None) -> ImportResult:
    """Import an export file in one transaction; raises ImportFailed (nothing stored) or Cancelled.

    ``fmt`` forces a format (else it is recognised from the header); ``column_map`` maps the generic
    format's targets to the file's column names; ``mapping`` links unmatched people (by ``Who.key``) to
    an exec id, or keeps them network-only with None; ``period`` sets the window of a Slack export;
    ``before_write`` runs once the file has been read and checked, just before the transaction (the
    CLI and the wizard take a backup there, see ``backup_before_import``).
    """
    return _run(ws, path, fmt=fmt, column_map=column_map, mapping=mapping, period=period, store=True,
                progress=progress, before_write=before_write)


def backup_before_import(ws: Workspace) -> BeforeWrite:
    """A ``before_write`` hook taking a "before-import" backup of the workspace; returns its path."""

    def hook(progress: ProgressSink) -> Path:
        from esncoach.services import backup_policy

        return backup_policy.back_up_now(ws, reason="before-import", progress=progress).path

    return hook
