"""This workstation's ticket kiosk: which paper its tickets go on and which printer, and a ticket's slip.

The paper and printer belong to the machine the kiosk runs on (a receipt printer on the hall PC, the
laser printer elsewhere), so they are kept in this database's local app_meta, never replicated; an
administrator sets them from the main window. The slip is the plain data ticket_pdf prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.actor import Actor
from app.database import Database
from app.models import AppMeta
from app.printing.ticket_pdf import DEFAULT_PAPER, PAPERS, TicketSlip
from app.services.errors import ValidationError
from app.services.node import load_identity
from app.services.people.permissions import EDIT_SETTINGS, require
from app.services.queue.model import Ticket
from app.services.settings import load_settings

PAPER_KEY = "kiosk_paper"
PRINTER_KEY = "kiosk_printer"
PRINTER_MAX = 120  # app_meta holds 200 characters; printer names are far shorter


@dataclass(frozen=True)
class KioskSettings:
    paper: str = DEFAULT_PAPER  # a key of app.printing.ticket_pdf.PAPERS
    printer: str = ""  # "": the system's default printer

    @property
    def paper_label(self) -> str:
        return PAPERS.get(self.paper, PAPERS[DEFAULT_PAPER])


def load_kiosk_settings(db: Database) -> KioskSettings:
    with db.session() as s:
        stored = dict(s.execute(select(AppMeta.key, AppMeta.value).where(AppMeta.key.in_((PAPER_KEY, PRINTER_KEY)))).all())
    paper = stored.get(PAPER_KEY, DEFAULT_PAPER)
    return KioskSettings(paper if paper in PAPERS else DEFAULT_PAPER, stored.get(PRINTER_KEY, "")[:PRINTER_MAX])


def save_kiosk_settings(db: Database, actor: Actor, settings: KioskSettings) -> None:
    """Administrators and the director set the kiosk of this machine; bad values change nothing."""
    require(actor, EDIT_SETTINGS)
    printer = settings.printer.strip()
    errors = []
    if settings.paper not in PAPERS:
        errors.append("取号小票的纸张应为 " + "、".join(PAPERS.values()) + " 之一")
    if len(printer) > PRINTER_MAX or any(not ch.isprintable() for ch in printer):
        errors.append(f"打印机名称应为不超过{PRINTER_MAX}个可显示字符")
    if errors:
        raise ValidationError("取号机设置有误，未保存", errors)
    with db.session(actor) as s:
        for key, value in ((PAPER_KEY, settings.paper), (PRINTER_KEY, printer)):
            row = s.get(AppMeta, key)
            if row is None:
                s.add(AppMeta(key=key, value=value))
            else:
                row.value = value


def ticket_link(db: Database, number: str) -> str:
    """What the ticket's QR code carries: today's ticket on the centre's public page (/t/<number>, served by
    app.center.public) when the centre has a public address, else the number."""
    return load_settings(db).ticket_link(number) or number


def ticket_slip(db: Database, ticket: Ticket) -> TicketSlip:
    identity = load_identity(db)
    return TicketSlip(
        center_name=identity.center_name if identity else "",
        number=ticket.number,
        category=ticket.category,
        ahead=ticket.ahead,
        taken_at=f"{ticket.taken_at.astimezone():%Y-%m-%d %H:%M}",
        qr=ticket_link(db, ticket.number),
        priority=ticket.priority,
        training=bool(identity and identity.training),
    )
