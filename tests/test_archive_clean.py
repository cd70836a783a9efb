"""An exec's archive holds that exec only: every page of the file, decrypted, is searched for another exec's words.

The pages are decrypted here by hand, as an attacker holding the archive passphrase would: SQLCipher 4
defaults (PBKDF2-HMAC-SHA512, 256,000 rounds, AES-256-CBC per 4096-byte page, an IV in each page's
80 reserved bytes). Reading the rows through SQL would miss free pages and the full-text index's segments.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from esncoach.services import execs
from esncoach.store import archive
from esncoach.store.keys import passphrase_key
from esncoach.store.workspace import Workspace
from tests.test_redaction_reports import CANARY, build

PHRASE = passphrase_key("only dana's things")
PAGE = 4096
RESERVE = 80
SALT = 16


def decrypted_pages(path: Path, passphrase: str) -> list[bytes]:
    """Every page of a SQLCipher 4 file, decrypted (page 1 without its salt), free pages included."""
    data = path.read_bytes()
    assert len(data) % PAGE == 0
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode(), data[:SALT], 256_000, 32)
    pages = []
    for n in range(len(data) // PAGE):
        page = data[n * PAGE:(n + 1) * PAGE]
        body = page[SALT:PAGE - RESERVE] if n == 0 else page[:PAGE - RESERVE]
        iv = page[PAGE - RESERVE:PAGE - RESERVE + 16]
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        pages.append(decryptor.update(body) + decryptor.finalize())
    # Page 1 decrypts to a SQLite header from byte 16 on: page size 4096 and the fixed 64/32/32 fractions.
    assert pages[0][0:2] == PAGE.to_bytes(2, "big") and pages[0][5:8] == bytes([64, 32, 32]), "wrong key"
    return pages


def _readable(pages: list[bytes], word: str) -> bool:
    """The word, or its tail (the full-text index stores a term after the prefix it shares with the one before)."""
    raw = b"".join(pages)
    return word.encode() in raw or (len(word) >= 10 and word[3:].encode() in raw)


def test_an_exec_archive_holds_no_word_of_another_exec(ws: Workspace, tmp_path: Path) -> None:
    sc = build(ws)
    # Bruno's private notes were edited a few times: old versions linger in the index's segments.
    for n in range(3):
        execs.update_exec(ws, sc.bruno, name="Bruno Castillo", email="bruno.castillo@example.com",
                          handle="@bruno.c", private_notes=f"Draft {n}: {CANARY} merger worries, version {n}.")
    # Network-wide listening data names which execs joined a thread: it belongs to no exec, so it stays home.
    import datetime as dt

    from esncoach.models import ImportBatch
    from esncoach.models.network import ListeningThread

    with ws.session() as s:
        batch = ImportBatch(source="viva_groups", file_name="groups.csv")
        s.add(batch)
        s.flush()
        s.add(ListeningThread(batch_id=batch.id, thread="t1", title="Bruno's quokkaforum thread",
                              last_activity=dt.date.today(), days_json="[]", joined_json=f"[{sc.bruno}]"))
    # Someone ran ANALYZE (a SQLite tool, say): sqlite_stat4 then samples indexed values, e-mails included.
    with ws.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    whole = tmp_path / "all.esnarchive"
    archive.export_archive(ws, whole, PHRASE)
    assert _readable(decrypted_pages(whole, PHRASE.secret), CANARY)  # the check can see it when it is there

    out = tmp_path / "dana.esnarchive"
    info = archive.export_archive(ws, out, PHRASE, exec_id=sc.dana)
    assert [name for _id, name in info.execs] == ["Dana Whitfield"]
    pages = decrypted_pages(out, PHRASE.secret)
    # Dana's own notes name others (they are hers to keep); these values live only in other people's rows.
    for word in (CANARY, "Draft 1", "elodie.marchand@example.com", "liam.oconnor@example.com", "quokkaforum",
                 "ines.duarte@example.com"):
        assert not _readable(pages, word), word
    assert _readable(pages, "Dana Whitfield")  # what the archive is for is still there
    # ... and the archive still works: it opens, searches and imports.
    info = archive.read_archive_info(out, PHRASE)
    assert info.kind == "exec"
    with Workspace.open(tmp_path / "new.db", passphrase_key("a brand new workspace")) as target:
        archive.import_whole(target, out, PHRASE)
        assert [e.name for e in execs.list_execs(target)] == ["Dana Whitfield"]
        from esncoach.services import search

        assert search.search(target, query="Whitfield").total >= 1
        assert search.search(target, query="Debrief").total >= 1  # the index was rebuilt from the kept rows
        assert search.search(target, query=CANARY).total == 0
