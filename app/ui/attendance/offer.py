"""After logging in on a working day without having signed in, the workstation asks once: 现在签到吗？
Enter signs in (签到), Esc puts it off (稍后). Asked at most once a day per person on this workstation
run; the 考勤 area (Ctrl+Shift+K) signs in later."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.actor import Actor
from app.database import Database
from app.services.errors import UserError
from app.services.people.attendance import SignResult, Today, sign, today_of
from app.ui.messages import show_message, show_user_error
from app.ui.tasks import TaskRunner

OFFER_TITLE = "签到"
_asked: set[tuple[str, str, date]] = set()  # (database, 工号, day): the question is asked once a day


def offer_sign_in(parent: QWidget, db: Database, actor: Actor, runner: TaskRunner,
                  signed: Callable[[SignResult], None] | None = None) -> None:
    """Ask (without blocking) whether to sign in now, if today is a working day and the person has
    not signed in; `signed` hears the result of signing."""
    staff_no = actor.staff_no

    def arrived(today: Today) -> None:
        key = (str(db.path), staff_no, today.day)
        if not today.offer_sign_in or key in _asked:
            return
        _asked.add(key)
        _ask(parent, db, actor, runner, signed)

    runner.submit(lambda: today_of(db, staff_no), arrived, lambda exc: isinstance(exc, UserError))


def _ask(parent: QWidget, db: Database, actor: Actor, runner: TaskRunner,
         signed: Callable[[SignResult], None] | None) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Question, OFFER_TITLE,
                      f"{actor.name}，今天是工作日，您还没有签到。现在签到吗？", QMessageBox.StandardButton.NoButton,
                      parent)
    box.setObjectName("signInOffer")
    now = box.addButton("签到(&Q)", QMessageBox.ButtonRole.AcceptRole)
    later = box.addButton("稍后(&L)", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(now)  # Enter
    box.setEscapeButton(later)  # Esc
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def chosen(_result: int) -> None:
        if box.clickedButton() is not now:
            return

        def done(result: SignResult) -> None:
            show_message(parent, result.message, OFFER_TITLE)
            if signed is not None:
                signed(result)

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, UserError):
                show_user_error(parent, exc)
                return True
            return False

        runner.submit(lambda: sign(db, actor, actor.staff_no, "sign_in"), done, failed)

    box.finished.connect(chosen)
    box.open()
    return box
