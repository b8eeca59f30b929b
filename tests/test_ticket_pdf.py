"""The queue ticket's paper and the hall's announcement choice (both Qt-free)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.actor import Actor
from app.database import Database
from app.printing.ticket_pdf import PAPERS, TicketSlip, ticket_pdf
from app.services.errors import UserError
from app.services.queue.announce import BEEP, CHIME, SPEECH, announcement_text, chime_wav, choose_announcer
from app.services.queue.kiosk_settings import KioskSettings, load_kiosk_settings, save_kiosk_settings, ticket_slip
from app.services.queue.model import Ticket
from app.services.settings import CenterSettings, save_settings
from tests.pdf_helpers import barcodes, flat, pdf_text, render, unembedded_fonts

SLIP = TicketSlip("镇赉镇民生服务中心", "A012", "社保医保", 3, "2026-11-30 09:12", "https://zx.example.gov.cn/t/A012")


@pytest.mark.parametrize("paper, width_mm", [("58", 58), ("80", 80), ("a6", 105)])
def test_a_ticket_on_each_paper_has_its_number_large_and_a_readable_qr(paper: str, width_mm: int) -> None:
    data = ticket_pdf(SLIP, paper)
    assert data == ticket_pdf(SLIP, paper)  # byte for byte, for the same data
    assert unembedded_fonts(data) == []
    text = flat(pdf_text(data))
    for part in ("A012", "社保医保", "您前面还有3人等候", "2026-11-30", "09:12", "镇赉镇民生服务中心"):
        assert part in text
    assert ("QRCode", "https://zx.example.gov.cn/t/A012") in barcodes(data, dpi=200)
    page = render(data, dpi=72)[0]
    assert abs(page.width - width_mm / 25.4 * 72) < 2  # the roll's width (A6: 105 × 148 mm)
    if paper == "a6":
        assert abs(page.height - 148 / 25.4 * 72) < 2
    else:
        assert page.height < 130 / 25.4 * 72  # a roll ticket is as long as its content: no paper wasted


def test_the_number_is_the_largest_type_and_priority_is_marked() -> None:
    import io

    from pypdf import PdfReader

    sizes: dict[str, float] = {}

    def visit(text: str, _cm: object, tm: Sequence[float], _font: object, size: float) -> None:
        if text.strip():
            sizes[text.strip()] = max(sizes.get(text.strip(), 0.0), size * abs(tm[0]))

    data = ticket_pdf(replace(SLIP, priority=True), "58")
    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    assert max(sizes, key=lambda k: sizes[k]) == "A012"
    assert "预约优先" in flat(pdf_text(data))
    assert "预约优先" not in flat(pdf_text(ticket_pdf(SLIP, "58")))
    assert set(PAPERS) == {"58", "80", "a6"}


def test_the_slip_links_to_the_public_page_when_the_centre_has_an_address(db: Database, admin: Actor) -> None:
    ticket = Ticket("B007", "民政救助", datetime(2026, 11, 30, 1, 5, tzinfo=UTC), 2, False, "", "waiting", "", "",
                    None, 0, None)
    assert ticket_slip(db, ticket).qr == "B007"  # no address: the number itself
    save_settings(db, admin, CenterSettings(public_address="https://zx.example.gov.cn"))
    slip = ticket_slip(db, ticket)
    assert slip.qr == "https://zx.example.gov.cn/t/B007" and slip.center_name == "镇赉镇民生服务中心"
    assert slip.ahead == 2 and slip.category == "民政救助"


def test_the_kiosk_paper_and_printer_are_this_machines_and_checked(db: Database, admin: Actor) -> None:
    assert load_kiosk_settings(db) == KioskSettings("80", "")
    save_kiosk_settings(db, admin, KioskSettings("58", "POS-58 热敏"))
    assert load_kiosk_settings(db) == KioskSettings("58", "POS-58 热敏")
    for bad in (KioskSettings("a4", ""), KioskSettings("58", "x" * 121), KioskSettings("58", "a\nb")):
        with pytest.raises(UserError):
            save_kiosk_settings(db, admin, bad)
    assert load_kiosk_settings(db) == KioskSettings("58", "POS-58 热敏")  # bad input changed nothing


def test_the_announcement_says_number_and_window() -> None:
    assert announcement_text("A012", "3号窗口") == "请 A012 号到 3号窗口 办理"
    assert announcement_text("B003", "", "04") == "请 B003 号到 4号窗口 办理"  # no name: the node code
    assert len(announcement_text("A012", "窗" * 200)) <= 60


def _which(found: dict[str, str]):  # type: ignore[no-untyped-def]
    return lambda name: found.get(name)


def test_without_a_voice_the_chime_is_chosen_and_without_a_player_the_beep() -> None:
    played: list[tuple[list[str], dict[str, str] | None]] = []

    def run(command: Sequence[str], env: dict[str, str] | None) -> int:
        played.append((list(command), env))
        return 0

    chime = choose_announcer("linux", _which({"aplay": "/usr/bin/aplay"}), run=run)
    assert chime.kind == CHIME
    chime.announce("请 A012 号到 3号窗口 办理")
    chime.wait()
    assert len(played) == 1 and played[0][0][:2] == ["/usr/bin/aplay", "-q"]  # the chime only, no voice
    assert played[0][0][-1].endswith(".wav")
    beeps: list[int] = []
    nothing = choose_announcer("linux", _which({}), beep=lambda: beeps.append(1), run=run)
    assert nothing.kind == BEEP
    nothing.announce("请 A012 号到 3号窗口 办理")
    assert beeps == [1]
    # espeak-ng without a Mandarin voice is no voice at all: the chime
    no_mandarin = choose_announcer("linux", _which({"espeak-ng": "/usr/bin/espeak-ng", "paplay": "/usr/bin/paplay"}),
                                   run=run, run_text=lambda _c: "Pty Language Age/Gender VoiceName\n 5  en  M  english\n")
    assert no_mandarin.kind == CHIME


def test_with_a_mandarin_voice_the_call_is_spoken_after_the_chime() -> None:
    played: list[tuple[list[str], dict[str, str] | None]] = []

    def run(command: Sequence[str], env: dict[str, str] | None) -> int:
        played.append((list(command), env))
        return 0

    voices = "Pty Language Age/Gender VoiceName File\n 5  cmn  M  Chinese_(Mandarin) sit/cmn\n"
    linux = choose_announcer("linux", _which({"espeak-ng": "/usr/bin/espeak-ng", "paplay": "/usr/bin/paplay"}),
                             run=run, run_text=lambda _c: voices)
    assert linux.kind == SPEECH
    linux.announce("请 A012 号到 3号窗口 办理")
    linux.wait()
    assert played[0][0][0] == "/usr/bin/paplay"
    assert played[1][0] == ["/usr/bin/espeak-ng", "-v", "cmn", "-s", "140", "请 A012 号到 3号窗口 办理"]
    played.clear()
    windows = choose_announcer("win32", _which({"powershell": "C:/ps.exe"}), run=run)
    assert windows.kind == SPEECH and windows.speech[0] == "C:/ps.exe"
    windows._chime = lambda: None  # type: ignore[method-assign]  # winsound exists on Windows only
    windows.announce("请 A012 号到 3号窗口 办理")
    windows.wait()
    (command, env), = played
    assert env == {"MINSHENG_SAY": "请 A012 号到 3号窗口 办理"}  # the text never inside the script
    assert "请" not in " ".join(command)


def test_the_chime_is_a_short_wav() -> None:
    import io
    import wave

    data = chime_wav()
    assert data == chime_wav()
    with wave.open(io.BytesIO(data)) as w:
        assert w.getnchannels() == 1 and 0.5 < w.getnframes() / w.getframerate() < 1.5
