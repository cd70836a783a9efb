"""Make SQLite's own file writes fail on demand, inside this process, with a chosen errno.

SQLite's unix VFS routes every system call through a table that ``xSetSystemCall`` can override (it
exists for exactly this kind of test). sqlcipher3 links SQLite into its extension module and exports
its symbols, so ctypes can reach the default VFS and swap ``pwrite``/``write``/``pread`` for Python
wrappers that count calls and fail the Nth one with ENOSPC (disk full) or EIO (I/O error).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlcipher3 import _sqlite3

_RW = ctypes.CFUNCTYPE(ctypes.c_ssize_t, ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int64, use_errno=True)
_W = ctypes.CFUNCTYPE(ctypes.c_ssize_t, ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, use_errno=True)
SIGNATURES = {"pwrite": _RW, "pread": _RW, "write": _W}
WRITE_CALLS = ("pwrite", "write")


class _Vfs(ctypes.Structure):
    pass


_Vfs._fields_ = [
    ("iVersion", ctypes.c_int),
    ("szOsFile", ctypes.c_int),
    ("mxPathname", ctypes.c_int),
    ("pNext", ctypes.c_void_p),
    ("zName", ctypes.c_char_p),
    ("pAppData", ctypes.c_void_p),
    *[(name, ctypes.c_void_p) for name in (
        "xOpen", "xDelete", "xAccess", "xFullPathname", "xDlOpen", "xDlError", "xDlSym", "xDlClose",
        "xRandomness", "xSleep", "xCurrentTime", "xGetLastError", "xCurrentTimeInt64",
    )],
    ("xSetSystemCall", ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p)),
    ("xGetSystemCall", ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p)),
    ("xNextSystemCall", ctypes.CFUNCTYPE(ctypes.c_char_p, ctypes.c_void_p, ctypes.c_char_p)),
]


@dataclass
class FaultPlan:
    """Which calls fail: the ``fail_at``-th counted call (1-based) and, if ``sticky``, every one after."""

    calls: tuple[str, ...] = WRITE_CALLS
    fail_at: int = 0  # 0 = never
    errno: int = 0
    sticky: bool = False
    count: int = 0
    failed: int = 0
    by_name: dict[str, int] = field(default_factory=dict)

    def should_fail(self, name: str) -> bool:
        if name not in self.calls:
            return False
        self.count += 1
        self.by_name[name] = self.by_name.get(name, 0) + 1
        if self.fail_at and (self.count == self.fail_at or (self.sticky and self.count > self.fail_at)):
            self.failed += 1
            return True
        return False


class FaultInjector:
    """Installed once; ``plan`` decides per call. Restores SQLite's own system calls on ``uninstall``."""

    def __init__(self) -> None:
        lib = ctypes.CDLL(_sqlite3.__file__)
        lib.sqlite3_vfs_find.restype = ctypes.POINTER(_Vfs)
        lib.sqlite3_vfs_find.argtypes = [ctypes.c_char_p]
        self._vfs = lib.sqlite3_vfs_find(None)
        if not self._vfs or self._vfs.contents.iVersion < 3:
            raise RuntimeError("SQLite's default VFS does not support system-call overrides")
        self.plan = FaultPlan()
        self._originals: dict[str, int] = {}
        self._hooks: dict[str, object] = {}

    def install(self) -> None:
        vfs = self._vfs.contents
        for name, proto in SIGNATURES.items():
            address = vfs.xGetSystemCall(self._vfs, name.encode())
            if not address:
                continue
            original = proto(address)
            self._originals[name] = address

            def hook(*args: object, _name: str = name, _original: object = original) -> int:
                if self.plan.should_fail(_name):
                    ctypes.set_errno(self.plan.errno)
                    return -1
                return _original(*args)  # type: ignore[operator]

            self._hooks[name] = proto(hook)
            rc = vfs.xSetSystemCall(self._vfs, name.encode(), ctypes.cast(self._hooks[name], ctypes.c_void_p))
            if rc != 0:
                raise RuntimeError(f"cannot override {name}")

    def uninstall(self) -> None:
        vfs = self._vfs.contents
        for name, address in self._originals.items():
            vfs.xSetSystemCall(self._vfs, name.encode(), ctypes.c_void_p(address))
        self._originals.clear()
        self._hooks.clear()

    @contextmanager
    def counting(self, calls: tuple[str, ...] = WRITE_CALLS) -> Iterator[FaultPlan]:
        """Count the calls an operation makes without failing any."""
        self.plan = FaultPlan(calls=calls)
        try:
            yield self.plan
        finally:
            self.plan = FaultPlan(calls=())

    @contextmanager
    def failing(self, fail_at: int, errno: int, *, sticky: bool, calls: tuple[str, ...] = WRITE_CALLS) -> Iterator[FaultPlan]:
        """Fail the ``fail_at``-th call (and later ones if ``sticky``) with ``errno``."""
        self.plan = FaultPlan(calls=calls, fail_at=fail_at, errno=errno, sticky=sticky)
        try:
            yield self.plan
        finally:
            self.plan = FaultPlan(calls=())
