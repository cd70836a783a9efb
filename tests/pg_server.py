"""A throwaway PostgreSQL server for the test run: one per session, on a Unix socket and 127.0.0.1.

``initdb`` goes into a temporary folder owned by the ``postgres`` user (CI runs as root and the server
refuses to run as root); the server listens on a socket in that folder and on a free TCP port, and is
stopped (immediate mode) and removed at the end of the run, also when tests fail or the run is
interrupted (fixture finaliser plus ``atexit``). Local socket connections are trusted (the fixtures
connect as the superuser); TCP connections need a password (``scram-sha-256``), so tests can try a
wrong one. A server that cannot start fails the tests that need it loudly: they are never skipped.

Each test gets its own database copied from a migrated template (``CREATE DATABASE … TEMPLATE``), which
costs a few milliseconds instead of running the migrations again.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "postgres"
SUPERUSER_PASSWORD = "test-superuser-secret"


def _bindir() -> Path:
    """Debian keeps the server binaries out of PATH, under /usr/lib/postgresql/N/bin."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise RuntimeError(
        "PostgreSQL's initdb was not found: install Debian's postgresql-15 (bash scripts/setup.sh does, as root)."
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgServer:
    """One running cluster; ``dsn(db, user, password)`` gives libpq connection strings into it."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="esncoach-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self.port = _free_port()
        self.host = "127.0.0.1"
        self._running = False
        self._names = itertools.count(1)
        self._as_root = os.geteuid() == 0

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = list(argv)
        if self._as_root:
            cmd = ["runuser", "-u", SUPERUSER, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=120, stdin=subprocess.DEVNULL)

    def start(self) -> PgServer:
        """initdb, configure, start and wait until it accepts connections; raise RuntimeError if not."""
        bindir = _bindir()
        if self._as_root:
            shutil.chown(self.root, user=SUPERUSER)
        pwfile = self.root / "pw"
        pwfile.write_text(SUPERUSER_PASSWORD + "\n")
        if self._as_root:
            shutil.chown(pwfile, user=SUPERUSER)
        try:
            self._run(
                str(bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--pwfile", str(pwfile),
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
                "--no-sync", "--no-instructions",
            )
        except subprocess.CalledProcessError as exc:
            raise RuntimeError(f"initdb failed: {exc.stderr.strip()}") from None
        finally:
            pwfile.unlink(missing_ok=True)
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '127.0.0.1'\nport = {self.port}\nunix_socket_directories = '{self.socket_dir}'\n"
                # A throwaway cluster: durability is not wanted, speed is.
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "max_connections = 200\nshared_buffers = 64MB\nlog_min_messages = warning\n"
            )
        self._running = True
        atexit.register(self.stop)
        log = self.root / "server.log"
        result = self._run(str(bindir / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-w", "-t", "60", "start",
                           check=False)
        if result.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else result.stderr
            self.stop()
            raise RuntimeError(f"PostgreSQL did not start: {tail.strip()}")
        self._watch_for_our_death(bindir)
        return self

    def _watch_for_our_death(self, bindir: Path) -> None:
        """Stop the server when this test process dies without running atexit (SIGKILL, a timeout's os._exit)."""
        stop = [str(bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
        if self._as_root:
            stop = ["runuser", "-u", SUPERUSER, "--", *stop]
        script = (f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 2; done; "
                  f"[ -d {shlex.quote(str(self.data))} ] && {shlex.join(stop)}; rm -rf {shlex.quote(str(self.root))}")
        subprocess.Popen(["sh", "-c", script], start_new_session=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def restart(self) -> None:
        """Stop (fast) and start again on the same port: for tests of a server going away mid-work."""
        bindir = _bindir()
        self._run(str(bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "restart",
                  "-l", str(self.root / "server.log"))

    def stop(self) -> None:
        """Stop the server and remove its folder; safe to call twice."""
        if self._running:
            self._running = False
            try:
                self._run(str(_bindir() / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
            except Exception:  # noqa: BLE001 - the folder goes anyway
                pass
        shutil.rmtree(self.root, ignore_errors=True)

    # ------------------------------------------------------------------ connecting

    def admin_dsn(self, db: str = "postgres") -> str:
        """The superuser over the Unix socket (trusted: no password)."""
        return f"host={self.socket_dir} port={self.port} dbname={db} user={SUPERUSER}"

    def url(self, db: str, user: str = SUPERUSER) -> str:
        """An esncoach ``--db`` URL over TCP (a password is then needed: PGPASSWORD or --password-file)."""
        return f"postgresql://{user}@{self.host}:{self.port}/{db}"

    def admin(self, db: str = "postgres"):  # type: ignore[no-untyped-def]
        """An autocommit psycopg connection as the superuser."""
        import psycopg

        return psycopg.connect(self.admin_dsn(db), autocommit=True)

    def fresh_name(self, prefix: str = "t") -> str:
        """A database or role name not used before in this run."""
        return f"{prefix}_{os.getpid()}_{next(self._names)}"

    def create_database(self, name: str, template: str | None = None) -> None:
        from psycopg import sql

        with self.admin() as conn:
            if template:
                conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))
            else:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_at(server: PgServer, prefix: str, revision: str, *rows_sql: str) -> str:
    """A new database migrated only up to ``revision`` (with ``rows_sql`` run as its owner): an upgrade test's start."""
    from alembic import command

    from esncoach.store.migrate import alembic_config
    from esncoach.store.server import ServerAddress, make_engine

    name = server.fresh_name(prefix)
    server.create_database(name)
    url = socket_url(server, name)
    engine = make_engine(ServerAddress.parse(url), None)
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        for statement in rows_sql:
            conn.exec_driver_sql(statement)
    engine.dispose()
    return url


# ---------------------------------------------------------------------- fixtures (imported by conftest)

import pytest  # noqa: E402

TEMPLATE_DB = "esncoach_template"


@pytest.fixture(scope="session")
def pg_server() -> PgServer:
    """The run's PostgreSQL server, started on first use; failing to start fails the test (never a skip)."""
    server = PgServer()
    try:
        server.start()
    except Exception as exc:  # noqa: BLE001
        server.stop()
        pytest.fail(f"The test PostgreSQL server could not start: {exc}", pytrace=False)
    yield server
    server.stop()


def socket_url(server: PgServer, db: str, user: str = SUPERUSER) -> str:
    """An esncoach URL over the trusted Unix socket (no password needed)."""
    return f"postgresql://{user}@/{db}?host={server.socket_dir}&port={server.port}"


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> str:
    """A database migrated to head once per run; tests copy it with CREATE DATABASE … TEMPLATE."""
    from esncoach.store.server import open_server

    pg_server.create_database(TEMPLATE_DB)
    open_server(socket_url(pg_server, TEMPLATE_DB), create=True).close()
    return TEMPLATE_DB


@pytest.fixture
def pg_db(pg_server: PgServer, pg_template: str):  # type: ignore[no-untyped-def]
    """The name of a private database at head, dropped after the test."""
    from psycopg import sql

    name = pg_server.fresh_name("ws")
    pg_server.create_database(name, template=pg_template)
    yield name
    with pg_server.admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def pg_url(pg_server: PgServer, pg_db: str) -> str:
    """The owner's (superuser's) URL of the test's private database."""
    return socket_url(pg_server, pg_db)


@pytest.fixture
def pg_ws(pg_url: str):  # type: ignore[no-untyped-def]
    """An open team workspace on the test's private database, as its owner."""
    from esncoach.store.workspace import Workspace

    workspace = Workspace.open(pg_url, None)  # type: ignore[arg-type]
    yield workspace
    workspace.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_ws(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """An empty workspace on each backend in turn: an encrypted file, then a team database."""
    from esncoach.store.keys import KeyMaterial
    from esncoach.store.workspace import Workspace

    if request.param == "sqlite":
        workspace = Workspace.open(tmp_path / "empty.db", KeyMaterial("raw", "0123456789abcdef" * 4))
    else:
        workspace = Workspace.open(request.getfixturevalue("pg_url"), None)  # type: ignore[arg-type]
    yield workspace
    workspace.close()


@pytest.fixture(scope="session")
def pg_demo_template(pg_server: PgServer, pg_template: str) -> str:
    """The demo workspace on the server, built once per run (copied per test like ``pg_template``)."""
    from esncoach.demo import build_demo
    from esncoach.store.server import open_server

    name = "esncoach_demo_template"
    pg_server.create_database(name, template=pg_template)
    ws = open_server(socket_url(pg_server, name))
    try:
        build_demo(ws)
    finally:
        ws.close()
    return name


@pytest.fixture
def pg_demo_url(pg_server: PgServer, pg_demo_template: str):  # type: ignore[no-untyped-def]
    """The owner's URL of a private copy of the demo team workspace, dropped after the test."""
    from psycopg import sql

    name = pg_server.fresh_name("demo")
    pg_server.create_database(name, template=pg_demo_template)
    yield socket_url(pg_server, name)
    with pg_server.admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def pg_demo_ws(pg_demo_url: str):  # type: ignore[no-untyped-def]
    """An open private copy of the demo team workspace, as its owner."""
    from esncoach.store.workspace import Workspace

    workspace = Workspace.open(pg_demo_url, None)  # type: ignore[arg-type]
    yield workspace
    workspace.close()
