"""Saving a finished report safely: a private temporary file beside the target, then one rename.

A reader never sees half a PDF: the bytes go to ``.NAME.XXXX.part`` in the same folder (created
owner-only, 0600), are flushed to disk, and only then replace the target in one ``os.replace``. Any
failure removes the temporary file and raises ``ReportWriteError`` with a sentence saying why.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from esncoach.store.errors import StoreError

FILE_MODE = 0o600


class ReportWriteError(StoreError):
    """The report could not be saved; str() says why in words a user understands."""


def _why(exc: OSError, path: Path) -> str:
    folder = path.parent
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"There is not enough free disk space to save {path.name} in {folder}; nothing was written."
    if exc.errno == errno.EROFS:
        return f"The folder {folder} is on a read-only disk; choose another folder for {path.name}."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"You may not write in the folder {folder}; choose another folder for {path.name}."
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return f"The folder {folder} does not exist; choose another folder for {path.name}."
    if exc.errno == errno.EISDIR:
        return f"{path} is a folder; give the report a file name."
    return f"Could not save {path.name} in {folder}: {exc.strerror or exc}."


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` all or nothing, owner-only; returns the absolute path written."""
    target = Path(path).expanduser().absolute()
    if target.is_dir():
        raise ReportWriteError(_why(OSError(errno.EISDIR, "Is a directory"), target))
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), FILE_MODE)
            view = memoryview(data)
            while view:
                written = os.write(fh.fileno(), view)
                view = view[written:]
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        tmp = None
        _sync_folder(target.parent)
    except OSError as exc:
        raise ReportWriteError(_why(exc, target)) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return target


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where folders cannot be opened."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
