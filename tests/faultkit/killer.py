"""Drive ``writer.py``: start a writer, wait for some reported commits, SIGKILL it, collect what it said."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

WRITER = Path(__file__).with_name("writer.py")
LINE_TIMEOUT_S = 20.0


class WriterDied(AssertionError):
    """The writer reported an error instead of committing (the test fails with its message)."""


class ForkServer:
    """One long-lived ``writer.py`` process that forks a fresh writer for every kill."""

    def __init__(self, mode: str, db: Path, key_hex: str, extra: str = "") -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), mode, str(db), key_hex, extra],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._fd = self.proc.stdout.fileno()
        self._buffer = b""
        self.kills = 0
        first = self._line()
        if first != "ready":
            raise WriterDied(f"writer did not start: {first!r}")

    def _line(self) -> str:
        deadline = time.monotonic() + LINE_TIMEOUT_S
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WriterDied("the writer went silent (hung?)")
            ready, _, _ = select.select([self._fd], [], [], remaining)
            if ready:
                chunk = os.read(self._fd, 65536)
                if not chunk:
                    raise WriterDied("the writer's server exited")
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode()

    def run_and_kill(self, seed: int, reports_before_kill: int, jitter_us: int) -> list[str]:
        """Start a writer, let it report ``reports_before_kill`` commits, wait ``jitter_us`` (busy, so
        the kill lands at varied points of the next transaction), SIGKILL it; return every token it
        reported, including those written just before it died."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"go {seed}\n".encode())
        start = self._line()
        if not start.startswith("start "):
            raise WriterDied(start)
        pid = int(start.split()[1])
        tokens: list[str] = []
        while len(tokens) < reports_before_kill:
            line = self._line()
            if not line.startswith("c "):
                raise WriterDied(line)
            tokens.append(line[2:])
        until = time.perf_counter() + jitter_us / 1e6
        while time.perf_counter() < until:
            pass
        os.kill(pid, signal.SIGKILL)
        self.kills += 1
        while True:
            line = self._line()
            if line == f"dead {pid}":
                return tokens
            if not line.startswith("c "):
                raise WriterDied(line)
            tokens.append(line[2:])

    def close(self) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(b"quit\n")
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
