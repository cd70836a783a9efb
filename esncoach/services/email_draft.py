"""E-mail drafts: an ``.eml`` file with a report attached, addressed to the exec or their assistant.

esncoach never sends mail. It writes a standard RFC 5322 message (Python's ``email`` package) with
``X-Unsent: 1``, which Outlook (and Thunderbird, Apple Mail) opens as an editable draft; the view then
hands the file to the system's mail program. Drafts and their attachments are written owner-only
(0600) in a private folder (0700): they name executives and carry their progress.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from pathlib import Path

from sqlalchemy import select

from esncoach.models import Exec, ExecSupport, Person, SupportRole
from esncoach.services import settings
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

RECIPIENTS = ("exec", "assistant")
MAX_ATTACHMENT_BYTES = 25_000_000  # what common mail servers accept
CM_NAME_KEY = "report.cm_name"


@dataclass(frozen=True)
class Recipient:
    """Someone a draft is addressed to."""

    name: str
    email: str


def recipients(ws: Workspace, *, exec_id: int, to: str) -> list[Recipient]:
    """The exec's address (``to="exec"``) or their assistants' (``"assistant"``); a sentence if there is none."""
    if to not in RECIPIENTS:
        raise ValidationError("to", f"Unknown recipient {to!r}; use one of: {', '.join(RECIPIENTS)}.")
    with ws.session() as s:
        ex = s.get(Exec, exec_id)
        if ex is None:
            raise ValidationError("exec", "That executive no longer exists.")
        if to == "exec":
            if not ex.email:
                raise ValidationError("email", f"{ex.name} has no e-mail address; add one with Edit executive "
                                               "(Ctrl+E).")
            return [Recipient(ex.name, ex.email)]
        people = s.execute(
            select(Person.name, Person.email).join(ExecSupport, ExecSupport.person_id == Person.id)
            .where(ExecSupport.exec_id == exec_id, ExecSupport.role == SupportRole.ASSISTANT)
            .order_by(Person.name)
        ).all()
        found = [Recipient(n, e) for n, e in people if e]
        if not found:
            why = "no assistant" if not people else "an assistant without an e-mail address"
            raise ValidationError("email", f"{ex.name} has {why}; add one under Tools ▸ Mentors and assistants.")
        return found


def _first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def _cm_name(ws: Workspace) -> str:
    try:
        return str(settings.get(ws, CM_NAME_KEY) or "")
    except KeyError:  # the report module that declares it was not imported
        return ""


def compose(*, to: Sequence[Recipient], subject: str, body: str, attachments: Sequence[Path] = (),
            now: dt.datetime | None = None) -> EmailMessage:
    """An unsent message: To, Subject, a plain-text body and the files attached (MIME type from the name)."""
    msg = EmailMessage()
    if to:
        msg["To"] = ", ".join(formataddr((r.name, r.email)) for r in to)
    msg["Subject"] = subject
    msg["Date"] = formatdate((now or dt.datetime.now().astimezone()).timestamp(), localtime=True)
    msg["X-Unsent"] = "1"
    msg.set_content(body)
    for path in attachments:
        data = Path(path).read_bytes()
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise ValidationError("attachment", f"{Path(path).name} is larger than 25 MB; mail servers refuse it.")
        mime = mimetypes.guess_type(str(path))[0] or "application/octet-stream"
        main, sub = mime.split("/", 1)
        msg.add_attachment(data, maintype=main, subtype=sub, filename=Path(path).name)
    return msg


def private_folder(folder: Path) -> Path:
    """Create ``folder`` (0700) if needed and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, 0o700)
    return folder


def safe_stem(text: str) -> str:
    """A file-name stem from a title: accents folded, anything unusual replaced by a dash."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "-", folded).strip("-.")[:80] or "draft"


def write_draft(message: EmailMessage, folder: Path, stem: str) -> Path:
    """Write ``message`` as ``folder/stem.eml`` (0600, a new name if that one exists); returns the path."""
    private_folder(folder)
    base = safe_stem(stem)
    for n in range(1, 1000):
        target = folder / (f"{base}.eml" if n == 1 else f"{base}-{n}.eml")
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(message.as_bytes())
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target
    raise ValidationError("file", f"Too many drafts called {base} in {folder}; tidy the folder.")


def report_email(ws: Workspace, *, exec_id: int | None, to: str | None, pdf: Path, report_title: str,
                 folder: Path, now: dt.datetime | None = None) -> Path:
    """The draft that goes with a saved report: addressed, greeted, the PDF attached; returns the .eml path."""
    people = recipients(ws, exec_id=exec_id, to=to) if exec_id is not None and to else []
    exec_name = ""
    if exec_id is not None:
        with ws.session() as s:
            ex = s.get(Exec, exec_id)
            exec_name = ex.name if ex else ""
    greeting = "Hello " + " and ".join(_first_name(p.name) for p in people) + "," if people else "Hello,"
    about = f" for {exec_name}" if exec_name and to == "assistant" else ""
    body = (f"{greeting}\n\nPlease find attached the {report_title.lower()}{about}.\n\n"
            "I look forward to our next conversation.\n\n" + (_cm_name(ws) or "") + "\n")
    subject = f"{report_title} — {exec_name}" if exec_name else report_title
    if os.name == "posix":
        os.chmod(pdf, 0o600)
    message = compose(to=people, subject=subject, body=body, attachments=[pdf], now=now)
    return write_draft(message, folder, pdf.stem)
