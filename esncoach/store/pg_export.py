"""Export archive from a team server: what the user may see, copied into a new encrypted file.

The file archive export works from a snapshot of the workspace file; on a server the snapshot is made
by copying, under the user's own access rules, every row they can read into a new SQLCipher file with
a throwaway key, with their own private notes put back where a file workspace keeps them. The export
then goes on exactly as for a file (one exec or all, re-encrypted with the archive passphrase).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from esncoach.store.keys import KeyMaterial


def snapshot_from_server(ws: Any, path: Path) -> KeyMaterial:
    """Write what ``ws`` (a ServerWorkspace) shows its user into a new file at ``path``; return its key."""
    from sqlalchemy import bindparam, update

    from esncoach.models import Base
    from esncoach.store.pg_copy import copy_all
    from esncoach.store.workspace import Workspace

    key = KeyMaterial("raw", secrets.token_hex(32))
    local = Workspace.open(path, key, create=True)
    try:
        with ws.engine.connect() as src, local.engine.begin() as dst:
            copy_all(src, dst)
            notes = src.exec_driver_sql(
                "SELECT exec_id, text FROM team_private_note WHERE author = current_user").all()
            exec_table = Base.metadata.tables["exec"]
            dst.execute(update(exec_table).values(private_notes=""))
            if notes:
                dst.execute(update(exec_table).where(exec_table.c.id == bindparam("_id"))
                            .values(private_notes=bindparam("_text")), [{"_id": i, "_text": t} for i, t in notes])
    finally:
        local.close()
        Path(str(path) + ".lock").unlink(missing_ok=True)
    return key
