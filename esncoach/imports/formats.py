"""The export formats we read, and recognising one from its header (by column names, never positions)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from esncoach.imports import (
    generic,
    slack_members,
    teams_activity,
    viva_activity,
    viva_admin_user_detail,
    viva_groups_activity,
    viva_user_detail,
    yammer_messages,
)
from esncoach.imports.csvstream import CsvTable
from esncoach.imports.errors import ImportFailed
from esncoach.imports.records import Reader


@dataclass(frozen=True)
class Format:
    """One export format: its short name (``--format``), a label for people, and how to read it."""

    name: str
    label: str
    required: tuple[str, ...]
    reader: Reader
    per_user_totals: bool
    """Rows are per-person totals over a period (so the wizard shows the period), not daily figures."""
    undated: bool = False
    """Rows carry no dates: the period comes from ``--from``/``--to``, the wizard, or is assumed (with a warning)."""

    def matches(self, keys: list[str]) -> bool:
        """Whether a normalised header has every column this format needs."""
        if self.name == generic.NAME:
            return generic.looks_generic(keys)
        present = set(keys)
        return all(col in present for col in self.required)

    def missing(self, keys: list[str]) -> list[str]:
        """The required columns a normalised header lacks, to tell the user what is wrong."""
        present = set(keys)
        return [col for col in self.required if col not in present]


def _fmt(module: ModuleType, per_user: bool, *, undated: bool = False) -> Format:
    return Format(module.NAME, module.LABEL, tuple(module.REQUIRED) if hasattr(module, "REQUIRED") else ("date",),
                  module.read, per_user, undated)


# Most specific first: a file matching several is the one with the most required columns.
FORMATS: tuple[Format, ...] = (
    _fmt(viva_user_detail, True),
    _fmt(viva_groups_activity, False),
    _fmt(teams_activity, True),
    _fmt(viva_admin_user_detail, True, undated=True),
    _fmt(viva_activity, False),
    _fmt(yammer_messages, False),
    _fmt(slack_members, True, undated=True),
    _fmt(generic, False),
)
BY_NAME = {f.name: f for f in FORMATS}


def format_named(name: str) -> Format:
    """The format for ``--format NAME``; an ImportFailed listing the names when unknown."""
    key = name.strip().lower().replace("-", "_")
    if key not in BY_NAME:
        raise ImportFailed(f"Unknown format “{name}”; known formats: {', '.join(BY_NAME)}.")
    return BY_NAME[key]


def is_known_header(keys: list[str]) -> bool:
    """Whether a row looks like the header of any format (used to skip title lines above it)."""
    return any(f.matches(keys) for f in FORMATS)


def detect(keys: list[str]) -> Format | None:
    """The format whose columns the header has; None when it matches none."""
    for fmt in FORMATS:
        if fmt.matches(keys):
            return fmt
    return None


def open_table(path: str | Path, fmt: Format | None, *,
               like: CsvTable | None = None) -> tuple[CsvTable, Format | None]:
    """Open the file at its header: the chosen format's header, or any known one when detecting.

    ``like`` is an earlier table of the same file, whose encoding and dialect are then reused.
    """
    if fmt is None:
        table = CsvTable(path, is_header=is_known_header, like=like)
        return table, detect(table.keys)
    predicate = generic.looks_generic if fmt.name == generic.NAME else fmt.matches
    table = CsvTable(path, is_header=predicate, like=like)
    return table, fmt
