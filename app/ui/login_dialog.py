"""Login: staff number and password, checked off the GUI thread (argon2 takes a moment)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.node_identity import NodeIdentity
from app.services.errors import AuthError
from app.ui.forms import status_label
from app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.database import Database

TRAINING_STYLE = "background:#fff3cd; color:#7a4b00; padding:6px; border:1px solid #e0b84f;"


class LoginDialog(QDialog):
    logged_in = Signal(object)
    shown = Signal()

    def __init__(
        self,
        db_source: Callable[[], Database],
        identity: NodeIdentity,
        runner: TaskRunner,
        training_hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db_source = db_source
        self.runner = runner
        self._prove: Callable[[Actor], str] | None = None
        title = "民生服务工作站 — 登录"
        if identity.training:
            title += "【培训模式】"
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        header = QLabel(f"<h2>{identity.center_name}</h2><p>{identity.kind_label}：{identity.node_name}（节点 {identity.node_code}）</p>")
        header.setTextFormat(Qt.TextFormat.RichText)
        header.setObjectName("loginHeader")
        self.staff_no = QLineEdit()
        self.staff_no.setObjectName("staffNo")
        self.staff_no.setPlaceholderText("工号")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("密码")
        form = QFormLayout()
        label_no = QLabel("工号(&U)")
        label_no.setBuddy(self.staff_no)
        label_pw = QLabel("密码(&P)")
        label_pw.setBuddy(self.password)
        form.addRow(label_no, self.staff_no)
        form.addRow(label_pw, self.password)
        self.error = status_label("loginError")
        self.login_button = QPushButton("登录(&L)")
        self.login_button.setDefault(True)
        self.quit_button = QPushButton("退出(&Q)")
        self.login_button.clicked.connect(self.submit)
        self.quit_button.clicked.connect(self.reject)
        self.staff_no.returnPressed.connect(self.password.setFocus)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.login_button)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        if identity.training:
            banner = QLabel(f"培训模式：使用演示数据，打印件均带“培训”水印。{training_hint}")
            banner.setObjectName("trainingBanner")
            banner.setWordWrap(True)
            banner.setStyleSheet(TRAINING_STYLE)
            layout.addWidget(banner)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.staff_no.setFocus()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        QTimer.singleShot(0, self.shown.emit)

    def submit(self) -> None:
        if not self.staff_no.text().strip():
            self.error.setText("请输入工号")
            self.staff_no.setFocus()
            return
        if not self.password.text():
            self.error.setText("请输入密码")
            self.password.setFocus()
            return
        staff_no, password = self.staff_no.text(), self.password.text()
        self.login_button.setEnabled(False)
        self.error.setText("正在登录……")

        def attempt() -> Actor:
            from app.services.people.auth import login

            return login(self.db_source(), staff_no, password)

        def prove(actor: Actor) -> str:
            from app.sync.authority import prove_after_login

            return prove_after_login(self.db_source(), actor.role, staff_no, password)

        self._prove = prove
        self.runner.submit(attempt, self._done, self._failed)

    def _done(self, actor: Actor) -> None:
        prove, self._prove = self._prove, None
        if prove is not None:  # a director or administrator proves themselves to the centre, in the background
            self.runner.submit(lambda: prove(actor), _log_note)
        self.login_button.setEnabled(True)
        self.error.setText("")
        self.password.clear()
        self.logged_in.emit(actor)
        self.accept()

    def _failed(self, exc: BaseException) -> bool:
        self.login_button.setEnabled(True)
        if isinstance(exc, AuthError):
            self.error.setText(exc.message)
            self.password.clear()
            self.password.setFocus()
            return True
        self.error.setText("登录未完成")
        return False


def _log_note(note: str) -> None:
    """The outcome shows in the status bar as edits waiting for a proof; the reason goes to the log."""
    if note:
        logging.getLogger(__name__).info("%s", note)
