"""Bulk add executives from the list HR hands a CM (CSV): plan first, show the plan, then write it in one go.

Columns (any order, case-insensitive, common aliases accepted): name, title, department, email, handle,
joined, stage. Only ``name`` is required. The dialect (comma, semicolon, tab) is found with
``csv.Sniffer``; a UTF-8 byte-order mark (Excel) is dropped and Windows-1252 files are read too.

Matching: a row belongs to an existing exec with the same email, else (row without email) to the one
exec with the same name. An existing exec is *updated* only where the file has a non-empty value that
differs; blank cells never erase data, so re-importing the same file changes nothing. The stage is set
for new execs only: on an existing exec it moves through the ladder (which keeps its history).
Planning reads the workspace and writes nothing; ``apply_plan`` writes every add and update in one
transaction, so a failure leaves the workspace as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from esncoach.models import Exec, LadderStage, StageChange
from esncoach.services import execs as exec_service
from esncoach.services.progress import ProgressSink, no_progress
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

COLUMNS = ("name", "title", "department", "email", "handle", "joined", "stage")
ALIASES = {
    "full name": "name", "full_name": "name", "employee": "name", "employee name": "name", "display name": "name",
    "job title": "title", "position": "title", "role": "title", "job_title": "title",
    "dept": "department", "division": "department", "team": "department",
    "e-mail": "email", "mail": "email", "email address": "email", "e-mail address": "email", "work email": "email",
    "network handle": "handle", "username": "handle", "user name": "handle",
    "joined network": "joined", "joined_network": "joined", "join date": "joined", "start date": "joined",
    "ladder stage": "stage",
}
MAX_BYTES = 5_000_000
MAX_ROWS = 5_000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
UPDATABLE = ("name", "title", "department", "email", "handle", "joined_network")


@dataclass(frozen=True)
class PlannedRow:
    """What importing one line of the file would do: "add", "update", "unchanged" or "refuse"."""

    line: int
    action: str
    name: str
    reason: str = ""
    exec_id: int | None = None
    values: dict[str, object] = field(default_factory=dict)
    changes: tuple[str, ...] = ()
    stage: LadderStage = LadderStage.LISTEN

    def as_json(self) -> dict[str, object]:
        """The public JSON shape of one row of ``esncoach execs import --json``."""
        return {"line": self.line, "action": self.action, "name": self.name, "reason": self.reason,
                "exec_id": self.exec_id, "changes": list(self.changes)}


@dataclass(frozen=True)
class ImportPlan:
    """Every line of the file and what it would do; nothing has been written."""

    path: Path
    rows: tuple[PlannedRow, ...]

    def of(self, action: str) -> list[PlannedRow]:
        """The rows with one action."""
        return [r for r in self.rows if r.action == action]

    def counts(self) -> dict[str, int]:
        """How many rows would be added, updated, left unchanged and refused."""
        return {a: len(self.of(a)) for a in ("add", "update", "unchanged", "refuse")}

    @property
    def writes(self) -> bool:
        """Whether applying the plan would change the workspace at all."""
        return any(r.action in ("add", "update") for r in self.rows)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_table(path: Path | str) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for each data row; a ValidationError if the file is not a usable list."""
    path = Path(path)
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise ValidationError("file", f"{path.name} is larger than 5 MB; that is not a list of executives.")
    text = _decode(data)
    if not text.strip():
        raise ValidationError("file", f"{path.name} is empty.")
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel  # one column, or too little text to tell: a plain comma file
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError("file", f"{path.name} is empty.") from None
    names = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    if "name" not in names:
        raise ValidationError("file", f"{path.name} has no “name” column; the first line must name the columns "
                                      f"({', '.join(COLUMNS)}).")
    rows: list[tuple[int, dict[str, str]]] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError("file", f"{path.name} has more than {MAX_ROWS:,} rows; split it.")
        rows.append((reader.line_num, {n: c.strip() for n, c in zip(names, cells, strict=False) if n in COLUMNS}))
    return rows


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError("joined", f"Joined “{text}” is not a date (use YYYY-MM-DD or DD/MM/YYYY).")


def _clean(cells: dict[str, str]) -> tuple[dict[str, object], LadderStage]:
    joined = _date(cells.get("joined", ""))
    values = exec_service._clean_fields(  # noqa: SLF001 - the very rules the Add executive form applies
        name=cells.get("name", ""), title=cells.get("title", ""), department=cells.get("department", ""),
        email=cells.get("email") or None, handle=cells.get("handle") or None, joined=joined, private_notes="",
    )
    values.pop("private_notes")
    stage_text = cells.get("stage", "")
    try:
        stage = LadderStage.parse(stage_text) if stage_text else LadderStage.LISTEN
    except ValueError as exc:
        raise ValidationError("stage", str(exc).capitalize() + ".") from None
    return values, stage


def plan_import(ws: Workspace, path: Path | str, *, progress: ProgressSink = no_progress) -> ImportPlan:
    """Read ``path`` and decide, line by line, what importing it would do. Writes nothing."""
    table = read_table(path)
    with ws.session() as s:
        existing = s.scalars(select(Exec)).all()
        by_email = {e.email.lower(): e for e in existing if e.email}
        by_name: dict[str, list[Exec]] = {}
        for e in existing:
            by_name.setdefault(e.name.casefold(), []).append(e)
        current = {e.id: {k: getattr(e, k) for k in UPDATABLE} | {"stage": e.stage} for e in existing}
    seen_emails: dict[str, int] = {}
    seen_ids: dict[int, int] = {}
    planned: list[PlannedRow] = []
    for n, (line, cells) in enumerate(table):
        progress(n, len(table), "Checking the list")
        name = cells.get("name", "")
        try:
            values, stage = _clean(cells)
        except ValidationError as exc:
            planned.append(PlannedRow(line, "refuse", name, str(exc)))
            continue
        email = values["email"]
        if email and email in seen_emails:
            planned.append(PlannedRow(line, "refuse", name, f"The email {email} is already on line "
                                                            f"{seen_emails[email]}."))
            continue
        match = by_email.get(str(email)) if email else None
        if match is None and not email:
            same = by_name.get(str(values["name"]).casefold(), [])
            if len(same) > 1:
                planned.append(PlannedRow(line, "refuse", name, "Several executives have this name; add their email."))
                continue
            match = same[0] if same else None
        if match is None:
            if email:
                seen_emails[str(email)] = line
            namesake = by_name.get(str(values["name"]).casefold())
            note = (f"Another executive is called {values['name']} (a different email); check it is not them."
                    if namesake else "")
            planned.append(PlannedRow(line, "add", str(values["name"]), note, values=values, stage=stage))
            continue
        if match.id in seen_ids:
            planned.append(PlannedRow(line, "refuse", name, f"Same executive as line {seen_ids[match.id]}."))
            continue
        seen_ids[match.id] = line
        if email:
            seen_emails[str(email)] = line
        old = current[match.id]
        changed = {k: v for k, v in values.items() if v not in (None, "") and v != old[k]}
        note = ""
        if cells.get("stage") and stage != old["stage"]:
            note = f"Stage left at “{old['stage'].label}”: move on the ladder to change it."
        action = "update" if changed else "unchanged"
        planned.append(PlannedRow(line, action, str(values["name"]), note, match.id, changed,
                                  tuple(k.replace("_network", "") for k in changed), stage))
    progress(len(table), len(table), "Checked")
    return ImportPlan(Path(path), tuple(planned))


def apply_plan(ws: Workspace, plan: ImportPlan, *, today: dt.date | None = None,
               progress: ProgressSink = no_progress, before_write: Callable[[], object] | None = None) -> dict[str, int]:
    """Write the plan's adds and updates in one transaction; returns the counts. Refused rows are skipped.

    ``before_write`` runs once, only when there is something to write (the app and the CLI take a
    "before-import" backup there; tests and scripts may leave it out)."""
    today = today or dt.date.today()
    todo = [r for r in plan.rows if r.action in ("add", "update")]
    if todo and before_write is not None:
        before_write()
    try:
        _write(ws, todo, today, progress)
    except IntegrityError:
        raise ValidationError("email", "Another executive took one of these email addresses meanwhile; "
                                       "nothing was imported. Check the list again.") from None
    progress(len(todo), len(todo), "Imported")
    return plan.counts()


def _write(ws: Workspace, todo: list[PlannedRow], today: dt.date, progress: ProgressSink) -> None:
    with ws.session() as s:
        for n, row in enumerate(todo):
            progress(n, len(todo), "Importing")
            if row.action == "add":
                ex = Exec(stage=row.stage, **row.values)
                s.add(ex)
                s.flush()
                s.add(StageChange(exec_id=ex.id, from_stage=None, stage=row.stage, changed_on=today,
                                  reason="Coaching started (imported list)"))
            else:
                ex = s.get(Exec, row.exec_id)
                if ex is None:
                    raise ValidationError("exec", f"Line {row.line}: {row.name} was deleted meanwhile; "
                                                  "nothing was imported.")
                for key, value in row.values.items():
                    setattr(ex, key, value)
        s.flush()
