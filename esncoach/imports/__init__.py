"""Importing engagement figures from the networks' own exports (Qt-free).

``import_file`` reads a file (recognising its format from the header), matches people to execs and
stores the figures in one transaction; ``analyse_file`` does the same reading without storing, for the
wizard's preview and review steps. ``ImportFailed`` is the only error either raises for a bad file.
"""

from __future__ import annotations

from esncoach.imports.errors import ImportFailed, RowError
from esncoach.imports.formats import BY_NAME, FORMATS, Format, detect, format_named
from esncoach.imports.pipeline import (
    FilePeek,
    ImportResult,
    MatchedExec,
    UnmatchedName,
    analyse_file,
    import_file,
    peek_file,
)

__all__ = [
    "BY_NAME", "FORMATS", "FilePeek", "Format", "ImportFailed", "ImportResult", "MatchedExec", "RowError", "UnmatchedName",
    "analyse_file", "detect", "format_named", "import_file", "peek_file",
]
