"""The workspace file as a file: one name, one writer, owner-only, read-only when the disk says so.

Everything here runs before SQLite touches the file, so a refusal leaves the folder as it was. SQLite
keys its locks and its ``-wal``/``-shm`` files by *name*, so two names of one file (hard links) would let
two writers in at once; we refuse such files and lock by the file's identity (device + inode) instead.
SQLite creates ``-wal``/``-shm`` with the database file's own permissions, so an owner-only workspace
gets owner-only sidecars.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from esncoach import paths
from esncoach.store.errors import StoreError, WorkspaceInUseError

FILE_MODE = 0o600
FOLDER_MODE = 0o700
SIDECARS = ("-wal", "-shm", "-journal")


def describe(path: Path) -> str:
    """How messages name a workspace file."""
    return f"“{path.name}”"


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _loop(path: Path | str) -> StoreError:
    return StoreError(
        f"{path} is a symbolic link that leads back to itself (a loop); point it at a workspace file or remove it."
    )


def resolve(path: str | os.PathLike[str]) -> Path:
    """The absolute, link-free path; a symlink loop or an unreachable folder is one StoreError sentence."""
    raw = Path(path).expanduser()
    try:
        return raw.resolve()
    except RuntimeError:  # Python 3.11 reports a loop this way; 3.13 raises OSError(ELOOP)
        raise _loop(raw) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _loop(raw) from None
        raise StoreError(f"Cannot reach {raw}: {_why(exc)}.") from None


def _euid() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None


def may(st: os.stat_result, path: Path, what: str) -> bool:
    """Whether we may read ('r') or write ('w') ``path``.

    The owner's own permission bits count even for root (who bypasses them): a user who made a file
    read-only (``chmod 400``) means it, so esncoach honours it the same way for everyone.
    """
    bit, mode = (stat.S_IRUSR, os.R_OK) if what == "r" else (stat.S_IWUSR, os.W_OK)
    if not st.st_mode & bit:
        return False
    return os.access(path, mode)


@dataclass
class FileState:
    """What ``inspect`` found: the resolved path, whether a workspace is there, and whether we may write."""

    path: Path
    exists: bool
    read_only: bool = False
    identity: tuple[int, int] | None = None
    created: list[Path] = field(default_factory=list)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _loop(path) from None
        if exc.errno == errno.ENOTDIR:
            raise StoreError(f"{path.parent} is a file, not a folder; choose another place for the workspace.") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise StoreError(f"{describe(path)} cannot be reached: you may not open the folder {path.parent}.") from None
        raise StoreError(f"Cannot reach {path}: {_why(exc)}.") from None


def _check_existing(path: Path, st: os.stat_result) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise StoreError(f"{path} is a folder, not a workspace file; choose the workspace file itself.")
    if not stat.S_ISREG(st.st_mode):
        raise StoreError(f"{describe(path)} is not a regular file (a device, pipe or socket); choose a workspace file.")
    if st.st_nlink > 1:
        raise StoreError(
            f"{describe(path)} has {st.st_nlink} names (hard links), so two programs could write it at once "
            "and damage it; make a copy with cp, open the copy, and delete the other names."
        )
    if not may(st, path, "r"):
        raise StoreError(
            f"{describe(path)} cannot be read: its permissions do not allow it (chmod u+r to allow it). "
            "Nothing was changed."
        )
    if st.st_size == 0:
        raise StoreError(
            f"There is no workspace in {describe(path)}: it is an empty file. Nothing was changed; delete it or "
            "choose another name for a new workspace."
        )


def folder_writable(folder: Path) -> bool:
    """Whether new files (SQLite's -wal and -shm) can be made in ``folder``."""
    try:
        return may(os.stat(folder), folder, "w")
    except OSError:
        return False


def is_read_only(path: Path) -> bool:
    """True for an existing file we may not write, or whose folder we may not write (no room for sidecars)."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and (not may(st, path, "w") or not folder_writable(Path(path).parent))


def inspect(path: Path, *, create: bool) -> FileState:
    """Check ``path`` (already resolved) without changing anything; raise a StoreError if it cannot be used."""
    st = _stat(path)
    if st is None:
        if not create:
            raise StoreError(f"There is no workspace at {path}.")
        parent = path.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir():
            raise StoreError(f"{parent} is a file, not a folder; choose another place for the workspace.")
        return FileState(path, exists=False)
    _check_existing(path, st)
    read_only = not may(st, path, "w") or not folder_writable(path.parent)
    return FileState(path, exists=True, read_only=read_only, identity=(st.st_dev, st.st_ino))


def create_file(state: FileState) -> None:
    """Make the new (empty, owner-only) workspace file and any missing folders (0700), noting each in
    ``state.created`` so a refused command can take them away again."""
    missing: list[Path] = []
    folder = state.path.parent
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    try:
        for folder in reversed(missing):
            folder.mkdir(mode=FOLDER_MODE)
            state.created.append(folder)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(state.path, flags, FILE_MODE)
    except FileExistsError:
        discard(state)
        raise WorkspaceInUseError(f"{describe(state.path)} was just created by another program; try again.") from None
    except OSError as exc:
        discard(state)
        raise StoreError(f"Cannot create {state.path}: {_why(exc)}.") from None
    state.created.append(state.path)
    try:
        st = os.fstat(fd)
    finally:
        os.close(fd)
    state.identity = (st.st_dev, st.st_ino)


def discard(state: FileState) -> None:
    """Remove what ``create_file`` made (the file, its sidecars, then the folders), newest first."""
    for made in reversed(state.created):
        with contextlib.suppress(OSError):
            if made.is_dir():
                made.rmdir()
            else:
                for side in SIDECARS:
                    made.with_name(made.name + side).unlink(missing_ok=True)
                made.unlink(missing_ok=True)
    state.created.clear()


def tighten(path: Path, *, repair_only: bool = False) -> None:
    """Take group/other permissions off the workspace and its sidecars we own (0644 → 0600, 0444 → 0400);
    a sidecar left read-only by an older esncoach is made writable again when the workspace is.

    ``repair_only`` does just the latter (needed before SQLite can open the file); the rest waits until
    the file is known to be a workspace, so a file opened by mistake keeps its permissions.
    """
    euid = _euid()
    try:
        base = os.stat(path)
    except OSError:
        return
    for name in (path, *(path.with_name(path.name + side) for side in SIDECARS)):
        try:
            st = os.lstat(name)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or (euid is not None and st.st_uid != euid):
            continue
        if repair_only and name == path:
            continue
        mode = stat.S_IMODE(st.st_mode) & (0o777 if repair_only else 0o700)
        if name != path and base.st_mode & stat.S_IWUSR:
            mode |= stat.S_IRUSR | stat.S_IWUSR
        if mode != stat.S_IMODE(st.st_mode):
            with contextlib.suppress(OSError):
                os.chmod(name, mode)


def stale_wal(path: Path) -> bool:
    """True when a -wal file beside ``path`` still holds committed changes not yet in the file itself."""
    try:
        return os.stat(path.with_name(path.name + "-wal")).st_size > 0
    except OSError:
        return False


def private_folder(folder: Path) -> Path:
    """Create ``folder`` owner-only if missing; refuse one that is a link or that someone else could use."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
        st = os.lstat(folder)
    except OSError as exc:
        raise StoreError(f"Cannot create the folder {folder}: {_why(exc)}.") from None
    euid = _euid()
    if not stat.S_ISDIR(st.st_mode) or (euid is not None and st.st_uid != euid):
        raise StoreError(f"The folder {folder} is not esncoach's own; remove it or set ESNCOACH_RUNTIME_DIR.")
    if stat.S_IMODE(st.st_mode) & 0o077:
        with contextlib.suppress(OSError):
            os.chmod(folder, FOLDER_MODE)
    return folder


class InstanceLock:
    """Keeps a second esncoach process off a file this one has open, whatever name either uses.

    The lock file lives in a private runtime folder and is named after the workspace's device and inode,
    so two hard links or a symlink lead to the same lock. The OS releases it on a crash. Before the file
    exists (a new workspace) the lock is named after the path.
    """

    def __init__(self, path: Path, identity: tuple[int, int] | None = None) -> None:
        if identity is None:
            with contextlib.suppress(OSError):
                st = os.stat(path)
                identity = (st.st_dev, st.st_ino)
        if identity is not None:
            name = f"{identity[0]:x}-{identity[1]:x}.lock"
        else:
            name = "path-" + hashlib.sha256(os.fsencode(str(path))).hexdigest()[:32] + ".lock"
        self.lock_path = paths.runtime_dir() / "locks" / name
        self._fd: int | None = None
        self._fallback = None

    def acquire(self, path: Path) -> None:
        """Take the lock now or raise WorkspaceInUseError (never waits)."""
        busy = WorkspaceInUseError(
            f"{describe(path)} is already open in another esncoach window or process. Close it there first."
        )
        private_folder(self.lock_path.parent)
        if os.name != "posix":
            from filelock import FileLock, Timeout

            self._fallback = FileLock(str(self.lock_path), timeout=0, mode=FILE_MODE)
            try:
                self._fallback.acquire()
            except Timeout:
                raise busy from None
            return
        import fcntl

        for _attempt in range(10):
            try:
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, FILE_MODE)
            except OSError as exc:
                raise StoreError(f"Cannot lock {describe(path)}: {_why(exc)}.") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise busy from None
            except OSError as exc:
                os.close(fd)
                raise StoreError(f"Cannot lock {describe(path)}: {_why(exc)}.") from None
            # The previous holder unlinks the file as it lets go; a lock on an unlinked file guards nothing.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.lock_path))
            except OSError:
                same = False
            if same:
                self._fd = fd
                return
            os.close(fd)
        raise busy

    def release(self) -> None:
        """Let go (idempotent); the lock file goes too, so the runtime folder does not fill up."""
        if self._fallback is not None:
            self._fallback.release()
            return
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.lock_path)
        os.close(self._fd)
        self._fd = None
