"""``esncoach export-archive`` / ``esncoach import-archive``: move a workspace or one exec, encrypted.

The archive is encrypted with its own passphrase (read from a file, never from the command line), so
it can travel by USB stick or e-mail and be opened by the receiving CM with that passphrase only.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from esncoach.cli.common import add_db_options, open_from_args, print_json
from esncoach.store.keys import read_passphrase_file


def register(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser(
        "export-archive", help="write the workspace (or one exec) to a passphrase-encrypted archive"
    )
    add_db_options(export)
    export.add_argument("--out", metavar="FILE", required=True, help="archive to write (must not exist)")
    export.add_argument(
        "--archive-passphrase-file", metavar="FILE", required=True, help="passphrase protecting the archive"
    )
    export.add_argument("--exec", dest="exec_id", type=int, metavar="ID", help="only this executive")
    export.set_defaults(handler=_export)

    imp = sub.add_parser(
        "import-archive",
        help="fill an empty (or new) workspace from an archive, or merge one exec from it",
        description="Without --exec the target must be empty or not exist yet; with --exec the exec and "
        "everything about it is added under new ids. A backup of the target is taken first.",
    )
    add_db_options(imp)
    imp.add_argument("--archive", metavar="FILE", required=True, help="the archive to read")
    imp.add_argument("--archive-passphrase-file", metavar="FILE", required=True, help="the archive's passphrase")
    imp.add_argument("--exec", dest="exec_id", type=int, metavar="ID", help="merge only this exec (id in the archive)")
    imp.add_argument("--list", action="store_true", help="only describe the archive")
    imp.set_defaults(handler=_import)


def _export(args: argparse.Namespace) -> int:
    from esncoach.store.archive import export_archive

    phrase = read_passphrase_file(args.archive_passphrase_file)
    with open_from_args(args) as ws:
        info = export_archive(ws, Path(args.out), phrase, exec_id=args.exec_id)
    print(f"wrote {args.out}: {len(info.execs)} executive(s), schema {info.schema}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from esncoach.store.archive import import_whole, merge_exec, read_archive_info

    phrase = read_passphrase_file(args.archive_passphrase_file)
    archive = Path(args.archive).expanduser()
    info = read_archive_info(archive, phrase)
    if args.list:
        print_json({"kind": info.kind, "created_at": info.created_at, "app_version": info.app_version,
                    "schema": info.schema, "execs": [{"id": i, "name": n} for i, n in info.execs]})
        return 0
    with open_from_args(args, create=args.exec_id is None) as ws:
        if args.exec_id is None:
            result = import_whole(ws, archive, phrase)
        else:
            result = merge_exec(ws, archive, phrase, args.exec_id)
    print(f"imported {result.rows} rows ({len(result.exec_ids)} executive(s)); backup before import: {result.backup}")
    return 0
