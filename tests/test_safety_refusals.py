"""Every refusal is one line on stderr with exit 2, leaves no new file and changes no old one (real CLI)."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from esncoach.cli import main
from esncoach.store.keys import KeyMaterial
from esncoach.store.workspace import Workspace
from tests.conftest import TEST_KEY
from tests.safety_helpers import assert_refused, phrase_file, run, snapshot


@pytest.fixture
def area(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A folder the test snapshots, and a passphrase file outside it."""
    folder = tmp_path / "area"
    folder.mkdir()
    yield folder, phrase_file(tmp_path)


def _refused_untouched(folder: Path, *args: str | bytes, needles: tuple[str, ...]) -> None:
    before = snapshot(folder)
    assert_refused(run(*args), *needles)
    assert snapshot(folder) == before


def test_symlink_loop_as_db(area: tuple[Path, Path]) -> None:
    folder, pf = area
    loop = folder / "loop.db"
    loop.symlink_to(loop)
    for command in (["execs", "list"], ["execs", "add", "--name", "A"], ["check"], ["demo"]):
        _refused_untouched(folder, command[0], *command[1:2] if command[0] == "execs" else (),
                           "--db", str(loop), "--passphrase-file", str(pf), *command[2:], needles=("loop",))
    # Commands that resolve --db themselves (restore) are covered by the central guard.
    _refused_untouched(folder, "restore", "--db", str(loop), "--passphrase-file", str(pf), "--latest",
                       needles=("loop",))
    a, b = folder / "a.db", folder / "b.db"
    a.symlink_to(b)
    b.symlink_to(a)
    _refused_untouched(folder, "execs", "add", "--db", str(a), "--passphrase-file", str(pf), "--name", "A",
                       needles=("loop",))


def test_a_folder_a_device_and_an_unreadable_file_as_db(area: tuple[Path, Path], key: KeyMaterial) -> None:
    folder, pf = area
    (folder / "sub").mkdir()
    _refused_untouched(folder, "execs", "add", "--db", str(folder / "sub"), "--passphrase-file", str(pf),
                       "--name", "A", needles=("is a folder",))
    _refused_untouched(folder, "check", "--db", "/dev/null", "--passphrase-file", str(pf),
                       needles=("not a regular file",))
    db = folder / "w.db"
    Workspace.open(db, key).close()
    os.chmod(db, 0o000)
    try:
        _refused_untouched(folder, "check", "--db", str(db), "--passphrase-file", str(pf), needles=("cannot be read",))
        _refused_untouched(folder, "execs", "add", "--db", str(db), "--passphrase-file", str(pf), "--name", "A",
                           needles=("cannot be read",))
    finally:
        os.chmod(db, 0o600)


def test_non_utf8_argument_bytes(area: tuple[Path, Path]) -> None:
    folder, pf = area
    db = folder / "w.db"
    _refused_untouched(folder, "execs", "add", "--db", str(db), "--passphrase-file", str(pf), "--name", b"Ren\xe9",
                       needles=("not UTF-8", "Ren\\xe9"))
    assert run("execs", "add", "--db", str(db), "--passphrase-file", str(pf), "--name", "René").returncode == 0
    _refused_untouched(folder, "execs", "edit", "--db", str(db), "--passphrase-file", str(pf), "--name", "René",
                       "--title", b"Chef \xff", needles=("--title", "not UTF-8"))
    # A file name may hold any bytes the OS allows.
    odd = folder / os.fsdecode(b"caf\xe9.db")
    result = run("execs", "add", "--db", os.fsencode(odd), "--passphrase-file", str(pf), "--name", "Ada")
    assert result.returncode == 0, result.stderr
    assert odd.exists()


@pytest.mark.parametrize("source", ["/dev/zero", "big"])
def test_endless_or_huge_passphrase_file(area: tuple[Path, Path], tmp_path: Path, source: str) -> None:
    folder, _pf = area
    if source == "big":
        big = tmp_path / "big.txt"
        big.write_bytes(b"x" * 5000)
        source = str(big)
    _refused_untouched(folder, "execs", "add", "--db", str(folder / "w.db"), "--passphrase-file", source,
                       "--name", "A", needles=("longer than 4 KiB",))


def test_bad_field_on_a_new_path_leaves_no_file_and_no_folder(area: tuple[Path, Path]) -> None:
    folder, pf = area
    db = folder / "new" / "deeper" / "w.db"
    for extra, needle in ((["--name", "A", "--email", "nope"], "not a valid email"),
                          (["--name", "Bad\x1b]0;pwned\x07"], "control character"),
                          (["--name", "A", "--joined", "2999-01-01"], "in the future")):
        _refused_untouched(folder, "execs", "add", "--db", str(db), "--passphrase-file", str(pf), *extra,
                           needles=(needle,))
    assert not (folder / "new").exists()


def test_a_short_passphrase_for_a_new_workspace_is_refused(area: tuple[Path, Path], tmp_path: Path) -> None:
    folder, _pf = area
    short = phrase_file(tmp_path, "seven77\n", name="short.txt")
    _refused_untouched(folder, "execs", "add", "--db", str(folder / "w.db"), "--passphrase-file", str(short),
                       "--name", "A", needles=("at least 8 characters",))
    eight = phrase_file(tmp_path, "eight888\n", name="eight.txt")
    assert run("execs", "add", "--db", str(folder / "w.db"), "--passphrase-file", str(eight), "--name", "A").returncode == 0


@pytest.mark.parametrize("content", [b"", b"just some notes\n", b"SQLite format 3\x00" + bytes(100)])
def test_an_existing_non_workspace_file_is_never_written_over(area: tuple[Path, Path], content: bytes) -> None:
    folder, pf = area
    target = folder / "w.db"
    target.write_bytes(content)
    for command in (["execs", "add", "--name", "A"], ["demo"]):
        _refused_untouched(folder, *command[:1], *command[1:2] if command[0] == "execs" else (), "--db", str(target),
                           "--passphrase-file", str(pf), *command[2:], needles=("esncoach: ",))
    assert target.read_bytes() == content


def test_demo_on_a_full_disk_leaves_nothing(tmp_path: Path) -> None:
    """A real tiny tmpfs (the tests run as root): the demo does not fit, and no workspace is left behind."""
    pf = phrase_file(tmp_path)
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=640k", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:  # no CAP_SYS_ADMIN (a container): the same refusal through fault injection
        _full_disk_by_injection(tmp_path)
        return
    try:
        result = run("demo", "--db", str(disk / "sub" / "demo.db"), "--passphrase-file", str(pf))
        assert_refused(result, "disk is full")
        assert list(disk.iterdir()) == []
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_demo_on_a_full_disk_by_fault_injection(tmp_path: Path) -> None:
    _full_disk_by_injection(tmp_path)


def _full_disk_by_injection(tmp_path: Path) -> None:
    """The same path without a mount: SQLite's writes fail with ENOSPC once the empty workspace exists."""
    import contextlib
    import io

    import keyring

    from tests.faultkit.vfs import FaultInjector

    probe_db = tmp_path / "probe" / "w.db"
    injector = FaultInjector()
    injector.install()
    try:
        with injector.counting() as counted:
            Workspace.open(probe_db, TEST_KEY).close()
        create_writes = counted.count
        target = tmp_path / "target"
        target.mkdir()
        keyring.set_password("esncoach", str((target / "demo.db").resolve()), TEST_KEY.secret)
        stderr = io.StringIO()
        with injector.failing(create_writes + 5, errno.ENOSPC, sticky=True), contextlib.redirect_stderr(stderr):
            code = main(["demo", "--db", str(target / "demo.db")])
    finally:
        injector.uninstall()
    err = stderr.getvalue()
    assert code == 2
    assert err.count("\n") == 1 and "disk is full" in err
    assert list(target.iterdir()) == []


def test_refusals_in_process_leave_the_keyring_clean(tmp_path: Path, memory_keyring, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "w.db"
    assert main(["execs", "add", "--db", str(db), "--name", "A", "--email", "bad"]) == 2
    assert "not a valid email" in capsys.readouterr().err
    assert not db.exists()
    assert memory_keyring.store == {}
