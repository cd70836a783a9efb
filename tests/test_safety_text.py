"""Text hygiene on the way in, escaping on the way out, and one passphrase rule for file and dialog."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esncoach.cli.output import escape
from esncoach.services import execs, validation
from esncoach.store.database import connect
from esncoach.store.errors import StoreError, ValidationError
from esncoach.store.keys import normalise_passphrase, passphrase_key, read_passphrase_file
from esncoach.store.workspace import Workspace
from tests.safety_helpers import phrase_file, run

FORBIDDEN_EVERYWHERE = ["\x00", "\x07", "\x08", "\x1b", "\x7f", "\x85", "\x9b", "\u202a", "\u202e", "\u2066", "\u2069"]
FORBIDDEN_ON_ONE_LINE = ["\n", "\r", "\t", "\u200b", "\u200d", "\u2060", "\ufeff", "\u2028"]


@pytest.mark.parametrize("char", FORBIDDEN_EVERYWHERE + FORBIDDEN_ON_ONE_LINE)
def test_single_line_fields_refuse_hidden_characters(ws: Workspace, char: str) -> None:
    with pytest.raises(ValidationError) as caught:
        execs.add_exec(ws, name=f"Bruno{char}Castillo")
    assert caught.value.field == "name"
    assert char not in str(caught.value)  # the message names it (U+XXXX), never prints it
    assert execs.list_execs(ws) == []


@pytest.mark.parametrize("char", FORBIDDEN_EVERYWHERE)
def test_multi_line_fields_refuse_controls_but_keep_newlines_and_tabs(ws: Workspace, char: str) -> None:
    with pytest.raises(ValidationError):
        execs.add_exec(ws, name="Ada", private_notes=f"line one{char}\nline two")
    ex = execs.add_exec(ws, name="Ada", private_notes="line one\r\n\tline two\rthree")
    assert execs.get_exec(ws, ex).private_notes == "line one\n\tline two\nthree"


def test_text_is_stored_nfc(ws: Workspace) -> None:
    decomposed = unicodedata.normalize("NFD", "Élodie Marchand")
    assert decomposed != "Élodie Marchand"
    ex = execs.add_exec(ws, name=decomposed, title=unicodedata.normalize("NFD", "Directrice générale"))
    row = execs.get_exec(ws, ex)
    assert row.name == "Élodie Marchand" and row.title == "Directrice générale"
    assert execs.find_exec(ws, "Élodie").id == ex


@given(st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")), min_size=1, max_size=40)
       .filter(lambda s: s.strip()))
def test_ordinary_text_passes_and_comes_back_nfc(value: str) -> None:
    assert validation.line(value, "name", max_len=200) == unicodedata.normalize("NFC", value.strip()).strip()


@given(st.text(max_size=20), st.sampled_from(FORBIDDEN_EVERYWHERE + FORBIDDEN_ON_ONE_LINE), st.text(max_size=20))
def test_a_hidden_character_anywhere_is_refused_on_one_line(before: str, char: str, after: str) -> None:
    value = before + char + after
    if char not in value.strip(" \t\r\n"):
        return  # an ordinary blank at either end is trimmed, not refused
    with pytest.raises(ValidationError):
        validation.line(value, "name", max_len=200)


def test_escape_makes_every_control_visible_and_keeps_json_valid() -> None:
    nasty = "A\x1b]0;pwned\x07B\u202eC\u200bD\x85E\udce9"
    shown = escape(nasty)
    assert all(not unicodedata.category(c).startswith("C") for c in shown)
    assert "\\u001b" in shown and "\\u202e" in shown and "\\xe9" in shown
    text = json.dumps({"name": "A\x1bB\u202eC\x85"}, ensure_ascii=False)
    assert json.loads(escape(text)) == {"name": "A\x1bB\u202eC\x85"}
    assert escape("tab\tand\nnewline stay") == "tab\tand\nnewline stay"


def test_the_cli_never_prints_raw_control_characters(tmp_path: Path) -> None:
    """A name stored raw by an older version (written here straight into the file) is printed escaped."""
    pf = phrase_file(tmp_path)
    db = tmp_path / "w.db"
    assert run("execs", "add", "--db", str(db), "--passphrase-file", str(pf), "--name", "Placeholder").returncode == 0
    conn = connect(db, read_passphrase_file(pf))
    raw = "Evil\x1b]0;owned\x07 \u202eName\x9b"
    conn.execute("UPDATE exec SET name = ?", (raw,))
    conn.commit()
    conn.close()
    listed = run("execs", "list", "--db", str(db), "--passphrase-file", str(pf))
    assert listed.returncode == 0, listed.stderr
    for char in "\x1b\x07\u202e\x9b":
        assert char not in listed.stdout
    assert "Evil\\u001b]0;owned\\u0007" in listed.stdout
    as_json = run("execs", "list", "--db", str(db), "--passphrase-file", str(pf), "--json")
    assert "\x1b" not in as_json.stdout and "\u202e" not in as_json.stdout
    assert json.loads(as_json.stdout)[0]["name"] == raw  # still exact data for scripts
    missing = run("sessions", "list", "--db", str(db), "--passphrase-file", str(pf), "--exec", "x\x1b[2Jy")
    assert missing.returncode == 2 and "\x1b" not in missing.stderr and "\\u001b[2J" in missing.stderr


# --- passphrases ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "meant"), [
    ("\ufeffcorrect horse\r\n", "correct horse"),
    ("\ufeffcorrect horse", "correct horse"),
    ("correct horse\n", "correct horse"),
    ("correct horse\n\n", "correct horse\n"),
    ("correct horse\r\n\r\n", "correct horse\r\n"),
    (" correct horse ", " correct horse "),
])
def test_one_passphrase_rule(raw: str, meant: str, tmp_path: Path) -> None:
    assert normalise_passphrase(raw) == meant
    path = tmp_path / "p.txt"
    path.write_bytes(raw.encode("utf-8"))
    assert read_passphrase_file(path) == passphrase_key(meant)


def test_a_notepad_passphrase_file_opens_with_the_typed_passphrase(tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from esncoach.views.workspace.passphrase_dialog import PassphraseDialog

    notepad = tmp_path / "notepad.txt"
    notepad.write_bytes("\ufeffmy long passphrase\r\n".encode())
    db = tmp_path / "w.db"
    assert run("execs", "add", "--db", str(db), "--passphrase-file", str(notepad), "--name", "Ada").returncode == 0
    dialog = PassphraseDialog(db.name, new=False)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.passphrase.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.passphrase)
    qtbot.keyClicks(QApplication.focusWidget(), "my long passphrase")
    dialog.accept()
    assert dialog.key is not None
    with Workspace.open(db, dialog.key) as ws:
        assert [r.name for r in execs.list_execs(ws)] == ["Ada"]


def test_the_dialog_and_the_cli_share_the_minimum_length(tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from esncoach.store.keys import MIN_NEW_PASSPHRASE
    from esncoach.views.workspace.passphrase_dialog import PassphraseDialog

    assert MIN_NEW_PASSPHRASE == 8
    dialog = PassphraseDialog("new.db", new=True)
    qtbot.addWidget(dialog)
    dialog.show()
    for field in (dialog.passphrase, dialog.repeat):
        field.setFocus()
        qtbot.waitUntil(lambda field=field: QApplication.focusWidget() is field)
        qtbot.keyClicks(QApplication.focusWidget(), "seven77")
    dialog.accept()
    assert dialog.key is None and "at least 8" in dialog.error.text()
    short = phrase_file(tmp_path, "seven77\n", name="short.txt")
    result = run("execs", "add", "--db", str(tmp_path / "n.db"), "--passphrase-file", str(short), "--name", "A")
    assert result.returncode == 2 and "at least 8" in result.stderr
    # An existing workspace's passphrase is never judged by length: it is just tried.
    with pytest.raises(StoreError):
        Workspace.open(tmp_path / "n.db", passphrase_key("seven77"), create=False)


def test_a_terminal_that_cannot_show_a_name_gets_escapes_not_a_traceback(tmp_path: Path) -> None:
    pf = phrase_file(tmp_path)
    db = tmp_path / "w.db"
    ascii_only = {"PYTHONIOENCODING": "ascii"}
    added = run("execs", "add", "--db", str(db), "--passphrase-file", str(pf), "--name", "Zoë Ådler", env=ascii_only)
    assert added.returncode == 0, added.stderr
    listed = run("execs", "list", "--db", str(db), "--passphrase-file", str(pf), env=ascii_only)
    assert listed.returncode == 0, listed.stderr
    assert "Zo\\xeb \\xc5dler" in listed.stdout


def test_a_progress_line_may_return_the_carriage_but_data_may_not() -> None:
    import io

    from esncoach.cli.output import EscapingStream

    target = io.StringIO()
    stream = EscapingStream(target)
    print("\rExporting 3 of 12", end="", file=stream)
    print("Name\rSpoof\x1b[2K", file=stream)
    assert target.getvalue() == "\rExporting 3 of 12Name\\u000dSpoof\\u001b[2K\n"
