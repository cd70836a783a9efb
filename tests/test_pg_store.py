"""The PostgreSQL backend against a real server: opening, refusals with one sentence, schema at head."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from esncoach.cli import main
from esncoach.models import Base
from esncoach.store import migrations_filter, schema
from esncoach.store.errors import NewerSchemaError, NotEsncoachError, StoreError
from esncoach.store.server import ServerAddress, open_server, transport_warning
from esncoach.store.workspace import Workspace
from tests.pg_server import SUPERUSER_PASSWORD, PgServer, socket_url


def _tables(server: PgServer, db: str) -> set[str]:
    with server.admin(db) as conn:
        return {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


def test_new_team_database_is_at_head(any_ws: Workspace) -> None:
    with any_ws.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == schema.HEAD_REVISION


def test_autogenerate_finds_no_difference_on_both(any_ws: Workspace) -> None:
    with any_ws.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda name, type_, _parents: migrations_filter.include_name(name, type_),
            },
        )
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_wrong_password_is_one_sentence_without_the_password(pg_server: PgServer, pg_db: str) -> None:
    url = pg_server.url(pg_db)
    with pytest.raises(StoreError) as err:
        open_server(url, password="not-" + SUPERUSER_PASSWORD)
    text = str(err.value)
    assert "refused the login" in text and "not-" not in text and SUPERUSER_PASSWORD not in text
    assert text.count(". ") <= 2
    ws = open_server(url, password=SUPERUSER_PASSWORD)  # the right one over TCP works
    assert ws.role == "postgres"
    ws.close()


def test_unknown_database_and_server_down_are_one_sentence(pg_server: PgServer) -> None:
    with pytest.raises(StoreError, match="There is no database “nope_db”"):
        open_server(socket_url(pg_server, "nope_db"), create=True)
    with pytest.raises(StoreError, match="Cannot reach the PostgreSQL server"):
        open_server(f"postgresql://postgres@127.0.0.1:{_closed_port()}/x", password="x", create=True)
    with pg_server.admin() as conn:
        assert not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'nope_db'").fetchall()


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_newer_schema_is_refused_and_nothing_written(pg_server: PgServer, pg_db: str, pg_url: str) -> None:
    with pg_server.admin(pg_db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = _tables(pg_server, pg_db)
    with pytest.raises(NewerSchemaError, match="newer version of esncoach"):
        Workspace.open(pg_url, None)  # type: ignore[arg-type]
    assert _tables(pg_server, pg_db) == before


def test_empty_database_is_set_up_only_on_request(pg_server: PgServer) -> None:
    name = pg_server.fresh_name("empty")
    pg_server.create_database(name)
    with pytest.raises(NotEsncoachError, match="team init"):
        open_server(socket_url(pg_server, name))
    assert _tables(pg_server, name) == set()


def test_foreign_database_is_refused(pg_server: PgServer) -> None:
    name = pg_server.fresh_name("foreign")
    pg_server.create_database(name)
    with pg_server.admin(name) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    with pytest.raises(NotEsncoachError):
        open_server(socket_url(pg_server, name), create=True)
    assert _tables(pg_server, name) == {"invoices"}


def test_address_parsing_refuses_passwords_and_hides_nothing_secret() -> None:
    with pytest.raises(StoreError, match="Do not put the password"):
        ServerAddress.parse("postgresql://ann:s3cret@db.example.com/team")
    address = ServerAddress.parse("postgresql://ann@db.example.com:5433/team?sslmode=require")
    assert (address.role, address.host, address.port, address.dbname) == ("ann", "db.example.com", 5433, "team")
    assert transport_warning(address) is None
    plain = ServerAddress.parse("postgresql://ann@db.example.com/team")
    assert "sslmode=require" in (transport_warning(plain) or "")
    assert transport_warning(ServerAddress.parse("postgresql://ann@127.0.0.1/team")) is None


def test_cli_commands_run_on_the_server(pg_server: PgServer, pg_url: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db", pg_url]) == 0
    capsys.readouterr()
    assert main(["execs", "list", "--db", pg_url, "--json"]) == 0
    assert "Amelia Hart" in capsys.readouterr().out
    assert main(["check", "--db", pg_url]) == 0
    assert schema.HEAD_REVISION in capsys.readouterr().out
    pw = tmp_path / "pw"
    pw.write_text(SUPERUSER_PASSWORD + "\n")
    assert main(["execs", "list", "--db", pg_server.url(pg_url.split("/")[3].split("?")[0]),
                 "--password-file", str(pw)]) == 0
    assert "Amelia Hart" in capsys.readouterr().out
    pw.write_text("wrong\n")
    assert main(["execs", "list", "--db", pg_server.url("whatever"), "--password-file", str(pw)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "wrong" not in err.replace("password is wrong", "")
    with psycopg.connect(pg_server.admin_dsn()) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
