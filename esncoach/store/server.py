"""The PostgreSQL backend: a team workspace on a server, opened from a ``postgresql://`` URL.

What differs from the SQLite file lives here and in the ``pg_*`` modules: libpq connection settings and
passwords, one-sentence errors for the ways a server connection fails, and a ``Workspace`` whose
sessions map a lost connection or a concurrent edit to a user-facing sentence. SQLCipher keys, WAL,
the instance lock and file backups do not apply; access rules are the server's (row-level security
created by the migrations, see ``esncoach.store.pg_team``).

Passwords never appear in a URL we accept, show or store: they come from ``--password-file``, the
keyring (GUI), or libpq's own look-up (``PGPASSWORD``, ``~/.pgpass``, ``PGPASSFILE``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from esncoach.store.errors import NewerSchemaError, NotEsncoachError, StoreError
from esncoach.store.schema import HEAD_REVISION, KNOWN_REVISIONS
from esncoach.store.workspace import Workspace

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SCHEMES = ("postgresql://", "postgres://")
CONNECT_TIMEOUT_S = 10
APPLICATION_NAME = "esncoach"


class ConflictError(StoreError):
    """A row was saved by someone else since it was read; nothing was overwritten.

    ``theirs`` is the stored text now, ``yours`` the text that was not saved, so a view can show both.
    """

    def __init__(self, message: str, *, theirs: str = "", yours: str = "", version: int | None = None) -> None:
        super().__init__(message)
        self.theirs, self.yours, self.version = theirs, yours, version


class ConnectionLostError(StoreError):
    """The server went away during a transaction; nothing of it was stored."""


def is_server_url(target: object) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) URL rather than a workspace file path."""
    return isinstance(target, str) and target.lower().startswith(SCHEMES)


@dataclass(frozen=True)
class ServerAddress:
    """Where a team workspace lives: role, host, port, database and libpq options; never a password."""

    role: str | None
    host: str | None
    port: int | None
    dbname: str
    options: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, url: str) -> ServerAddress:
        """Read ``postgresql://ROLE@HOST:PORT/DBNAME[?sslmode=…]``; a password in it is refused."""
        if not is_server_url(url):
            raise StoreError("A team server address starts with postgresql://.")
        parts = urlsplit(url)
        if parts.password is not None:
            raise StoreError(
                "Do not put the password in the server address: use --password-file, PGPASSWORD or ~/.pgpass."
            )
        dbname = unquote(parts.path.lstrip("/"))
        if not dbname or "/" in dbname:
            raise StoreError("The server address names no database: use postgresql://ROLE@HOST:PORT/DBNAME.")
        try:
            port = parts.port
        except ValueError:
            raise StoreError("The port in the server address is not a number between 1 and 65535.") from None
        options = dict(parse_qsl(parts.query, keep_blank_values=True))
        if "password" in options:
            raise StoreError(
                "Do not put the password in the server address: use --password-file, PGPASSWORD or ~/.pgpass."
            )
        host = unquote(parts.hostname) if parts.hostname else options.pop("host", None)
        options.pop("host", None)
        role = unquote(parts.username) if parts.username else options.pop("user", None)
        return cls(role=role, host=host, port=port, dbname=dbname, options=options)

    def connect_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``psycopg.connect`` (libpq fills in what is missing, password included)."""
        kwargs: dict[str, Any] = {"dbname": self.dbname, **self.options}
        if self.role:
            kwargs["user"] = self.role
        if self.host:
            kwargs["host"] = self.host
        if self.port:
            kwargs["port"] = self.port
        kwargs.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
        kwargs.setdefault("application_name", APPLICATION_NAME)
        return kwargs

    @property
    def host_label(self) -> str:
        """The host as people say it (a socket folder shows as "this computer")."""
        if not self.host or self.host.startswith("/"):
            return "this computer"
        return self.host

    @property
    def is_local(self) -> bool:
        """A Unix socket or a loopback address: traffic never leaves this machine."""
        if not self.host or self.host.startswith("/") or self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    @property
    def uses_tls(self) -> bool:
        """Whether sslmode insists on TLS (libpq's default "prefer" silently falls back to plain text)."""
        return self.options.get("sslmode", "prefer") in ("require", "verify-ca", "verify-full")

    def url(self) -> str:
        """The address as a URL without any secret, fit for the recent list and logs."""
        from urllib.parse import quote, urlencode

        who = f"{quote(self.role, safe='')}@" if self.role else ""
        where = self.host if self.host and not self.host.startswith("/") else ""
        if where and ":" in where:
            where = f"[{where}]"
        port = f":{self.port}" if self.port else ""
        options = dict(self.options)
        if self.host and self.host.startswith("/"):
            options["host"] = self.host
        query = f"?{urlencode(options)}" if options else ""
        return f"postgresql://{who}{where}{port}/{quote(self.dbname, safe='')}{query}"


def transport_warning(address: ServerAddress) -> str | None:
    """A sentence when passwords and notes would cross the network unencrypted, else None."""
    if address.is_local or address.uses_tls:
        return None
    return (
        f"The connection to {address.host_label} is not required to be encrypted: add ?sslmode=require "
        "(or verify-full) to the address so notes and passwords do not cross the network in clear text."
    )


def describe_connect_error(exc: BaseException, address: ServerAddress) -> str:
    """One sentence for a failed login; libpq's text never holds the password, but we say less anyway."""
    text = str(exc).lower()
    where = f"{address.host_label}" + (f":{address.port}" if address.port else "")
    role = address.role or "your user name"
    if "password authentication failed" in text or "no password supplied" in text or "authentication failed" in text:
        return (f"The server at {where} refused the login of {role}: the password is wrong or missing "
                "(give it with --password-file, PGPASSWORD or ~/.pgpass). Nothing was changed.")
    if "database" in text and "does not exist" in text:
        return f"There is no database “{address.dbname}” on the server at {where}. Nothing was changed."
    if "role" in text and "does not exist" in text:
        return f"The server at {where} has no role “{role}”. Nothing was changed."
    if "permission denied for database" in text or "not permitted to log in" in text:
        return f"{role} may not connect to “{address.dbname}” on {where}. Nothing was changed."
    if "ssl" in text or "tls" in text:
        return f"The encrypted connection to {where} could not be set up (sslmode). Nothing was changed."
    if "timeout" in text or "timed out" in text:
        return f"The server at {where} did not answer within {CONNECT_TIMEOUT_S} s. Nothing was changed."
    return f"Cannot reach the PostgreSQL server at {where}: is it running? Nothing was changed."


def connect(address: ServerAddress, password: str | None = None) -> Any:
    """A psycopg connection (not autocommit); raise a StoreError with one sentence if the login fails."""
    import psycopg

    kwargs = address.connect_kwargs()
    if password is not None:
        kwargs["password"] = password
    try:
        return psycopg.connect(**kwargs)
    except psycopg.OperationalError as exc:
        raise StoreError(describe_connect_error(exc, address)) from None


def probe(conn: Any, address: ServerAddress) -> str | None:
    """The schema revision of the database, None when it is empty; raise when it is foreign or newer."""
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('alembic_version') IS NOT NULL")
        has_version = cur.fetchone()[0]
        if not has_version:
            cur.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'p')"
            )
            if cur.fetchone()[0]:
                raise NotEsncoachError(
                    f"The database “{address.dbname}” holds tables that are not an esncoach team workspace. "
                    "Nothing was changed."
                )
            return None
        cur.execute("SELECT version_num FROM alembic_version")
        row = cur.fetchone()
    conn.rollback()
    revision = row[0] if row else None
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerSchemaError(
            f"The team workspace “{address.dbname}” was set up by a newer version of esncoach (schema {revision}). "
            "Install the newer esncoach to open it. Nothing was changed."
        )
    return revision


def make_engine(address: ServerAddress, password: str | None, first: Any | None = None) -> Any:
    """A SQLAlchemy engine whose connections come from ``connect``; the URL holds no secret.

    A connection the server dropped (a restart, a terminated backend) is replaced when it is taken from
    the pool, so the next unit of work reconnects by itself: see ``_replace_if_dropped``.
    """
    from sqlalchemy import create_engine, event

    spare = [first] if first is not None else []

    def creator() -> Any:
        return spare.pop() if spare else connect(address, password)

    engine = create_engine("postgresql+psycopg://", creator=creator, pool_size=2, max_overflow=6)
    event.listen(engine, "checkout", lambda conn, _record, _proxy: _replace_if_dropped(engine.dialect, conn))
    return engine


def _replace_if_dropped(dialect: Any, conn: Any) -> None:
    """Ping a pooled connection only when the server has said something to it while it sat idle.

    A server that ends a connection (stopping, restarting, ``pg_terminate_backend``) sends a last message
    and closes the socket, so the socket of a dropped connection is readable; an idle healthy one has
    nothing to read (pooled connections LISTEN to nothing). Pinging only then saves a round trip per unit
    of work over ``pool_pre_ping`` (a page opening makes three). A readable socket may also be harmless (a
    notice, a TLS record): then the ping succeeds and the connection stays. A failed ping raises
    DisconnectionError, and the pool connects anew.
    """
    import select

    from sqlalchemy.exc import DisconnectionError

    if conn.closed:
        raise DisconnectionError("the connection to the team server is closed")
    try:
        readable = bool(select.select([conn.fileno()], [], [], 0)[0])
    except (OSError, ValueError):
        readable = True
    if readable:
        try:
            dialect.do_ping(conn)
        except Exception as exc:  # noqa: BLE001 - whatever broke, a fresh connection is the answer
            raise DisconnectionError(str(exc)) from exc


SERVER_SESSION = "esncoach.server"
NOTE_MARK = " "
"""What ``exec.private_notes`` holds on a server (migration 0004): the text lives in team_private_note."""
_NOTES_CACHE = "esncoach.private_notes"
_watching: list[bool] = []


def _watch_private_notes() -> None:
    """Show each user their own private note in ``Exec.private_notes`` (one query per unit of work).

    On a server the column holds a mark and each author's note lives in ``team_private_note``, which only
    its author can read; writing the attribute is moved there by a trigger.
    """
    if _watching:
        return
    from sqlalchemy import event
    from sqlalchemy.orm.attributes import set_committed_value

    from esncoach.models import Exec

    def fill(target: Any, context: Any, *_: Any) -> None:
        session = context.session
        if session is None or not session.info.get(SERVER_SESSION):
            return
        notes = session.info.get(_NOTES_CACHE)
        if notes is None:
            rows = session.connection().exec_driver_sql(
                "SELECT exec_id, text FROM team_private_note WHERE author = current_user").all()
            notes = session.info[_NOTES_CACHE] = dict(rows)
        set_committed_value(target, "private_notes", notes.get(target.id, ""))

    def forget(session: Any, *_: Any) -> None:
        session.info.pop(_NOTES_CACHE, None)

    event.listen(Exec, "load", fill)
    event.listen(Exec, "refresh", fill)
    from sqlalchemy.orm import Session as _Session

    event.listen(_Session, "after_commit", forget)
    event.listen(_Session, "after_rollback", forget)
    _watching.append(True)


class ServerWorkspace(Workspace):
    """A team workspace on a PostgreSQL server; services use it exactly like a file workspace."""

    is_server = True

    def __init__(self, address: ServerAddress, engine: Any, role: str, password: str | None = None) -> None:
        super().__init__(None, engine, None, None)  # type: ignore[arg-type]
        self.password = password
        """The login password when one was given (else libpq finds it): for the listening connection."""
        self._sessions.configure(info={SERVER_SESSION: True})
        _watch_private_notes()
        self.address = address
        self.role = role
        """The role the server knows us as (``current_user``): what the access rules are about."""

    @property
    def title(self) -> str:
        """How the window title and status bar name this workspace."""
        return f"team: {self.address.dbname} on {self.address.host_label} as {self.role}"

    @property
    def key(self) -> Any:
        return None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work; a lost connection or someone else's newer save becomes one sentence."""
        from sqlalchemy import exc as sa_exc
        from sqlalchemy.orm.exc import StaleDataError

        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException as exc:
            try:
                session.rollback()
            except Exception:  # noqa: BLE001 - the connection may be gone; the first error matters
                session.invalidate()
            if isinstance(exc, StaleDataError):
                raise ConflictError(
                    "Someone else saved this since you opened it; your change was not saved over theirs."
                ) from exc
            if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
                raise ConnectionLostError(
                    "The connection to the team server was lost: that change was not saved "
                    "(everything saved before it is intact). Try again once the server is back."
                ) from exc
            sentence = describe_server_error(exc)
            if sentence is not None:
                raise StoreError(sentence) from exc
            raise
        finally:
            session.close()

    def close(self) -> None:
        """Return every connection to the server."""
        self.closed = True
        self.engine.dispose()


def describe_server_error(exc: BaseException) -> str | None:
    """A user-facing sentence for a refusal by the server's access rules, else None."""
    import psycopg

    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlstate", None) == "ESNLK":  # an exec taken offline by someone else (migration 0007)
        return str(orig.diag.message_primary)
    if isinstance(orig, psycopg.errors.InsufficientPrivilege):
        return "The team server's access rules do not allow this change for your role; nothing was saved."
    if isinstance(orig, psycopg.errors.CheckViolation) and "row-level security" in str(orig):
        return "The team server's access rules do not allow this change for your role; nothing was saved."
    if isinstance(orig, psycopg.OperationalError):
        return ("The connection to the team server failed: that change was not saved "
                "(everything saved before it is intact).")
    return None


def open_server(url: str, *, password: str | None = None, create: bool = False) -> ServerWorkspace:
    """Connect to the team workspace at ``url``; bring its schema to head when ``create`` (owner only).

    An empty database is set up only with ``create`` (``esncoach team init``); a database from a newer
    esncoach, or one holding other tables, is refused before anything is written.
    """
    address = ServerAddress.parse(url)
    conn = connect(address, password)
    try:
        revision = probe(conn, address)
        with conn.cursor() as cur:
            cur.execute("SELECT current_user")
            role = cur.fetchone()[0]
        conn.rollback()
        if revision is None and not create:
            raise NotEsncoachError(
                f"The database “{address.dbname}” is not set up as an esncoach team workspace yet: "
                "its owner runs “esncoach team init” first."
            )
    except BaseException:
        conn.close()
        raise
    engine = make_engine(address, password, first=conn)
    try:
        if revision != HEAD_REVISION:
            from esncoach.store.migrate import upgrade_to_head

            try:
                with engine.begin() as sa_conn:
                    upgrade_to_head(sa_conn)
            except Exception as exc:  # noqa: BLE001 - one sentence; the transaction rolled back
                orig = getattr(exc, "orig", exc)
                raise StoreError(
                    f"The team workspace “{address.dbname}” could not be set up or upgraded "
                    f"({str(orig).splitlines()[0] if str(orig) else type(orig).__name__}); nothing was changed. "
                    "Its owner runs “esncoach team init”."
                ) from None
    except BaseException:
        engine.dispose()
        raise
    return ServerWorkspace(address, engine, role, password)


def display_target(target: str | Path) -> str:
    """A workspace path or server address as it may be shown or logged (no secret)."""
    if is_server_url(str(target)):
        try:
            return ServerAddress.parse(str(target)).url()
        except StoreError:
            return "postgresql://…"
    return str(target)


def read_password_file(path: str | Path) -> str:
    """A login password from a file (one trailing newline dropped); errors never echo its content."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"Cannot read the password file {path}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise StoreError(f"The password file {path} is not UTF-8 text.") from None
    text = text[:-2] if text.endswith("\r\n") else text[:-1] if text.endswith("\n") else text
    if not text:
        raise StoreError(f"The password file {path} is empty.")
    return text


def password_key(password: str | None) -> Any:
    """The password wrapped the way ``Workspace.open`` takes a key (its repr hides it); None stays None."""
    from esncoach.store.keys import KeyMaterial

    return None if password is None else KeyMaterial("passphrase", password)
