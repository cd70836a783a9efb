"""Shared by the tests/test_safety_*.py files: the CLI in a real child process and a folder snapshot."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import TEST_PASSPHRASE


def run(*args: str | bytes, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m esncoach ARGS`` in a child with no usable keyring; arguments may be raw bytes."""
    full = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", **(env or {}))
    result = subprocess.run([sys.executable.encode(), b"-m", b"esncoach", *[os.fsencode(a) for a in args]],
                            capture_output=True, env=full, timeout=180)
    return subprocess.CompletedProcess(result.args, result.returncode,
                                       result.stdout.decode("utf-8", "backslashreplace"),
                                       result.stderr.decode("utf-8", "backslashreplace"))


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (links not followed) with a hash of its bytes: 'nothing changed' checks."""
    out: dict[str, str] = {}
    for root, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = Path(root) / name
            rel = str(path.relative_to(folder))
            if path.is_symlink():
                out[rel] = "link:" + os.readlink(path)
            elif path.is_dir():
                out[rel] = "dir"
            else:
                try:
                    out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError:
                    out[rel] = "unreadable"
    return out


def assert_refused(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    """One line on stderr, exit 2, no traceback, and each needle in that line."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("esncoach"), result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def phrase_file(folder: Path, text: str = TEST_PASSPHRASE + "\n", name: str = "phrase.txt") -> Path:
    """A passphrase file (kept outside the folders the tests snapshot)."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
