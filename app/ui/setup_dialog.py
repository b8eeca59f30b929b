"""First-start set-up: the centre, this node and the first administrator, or training mode."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.database import Database
from app.services import field_rules as rules
from app.services.errors import UserError
from app.services.setup import SetupRequest, perform_setup, validate
from app.ui.forms import InlineForm, status_label
from app.ui.tasks import TaskRunner


class SetupDialog(QDialog):
    completed = Signal()
    training_requested = Signal()

    def __init__(self, db_source: Callable[[], Database], runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_source = db_source
        self.runner = runner
        self.setWindowTitle("民生服务工作站 — 首次设置")
        self.setMinimumWidth(560)
        intro = QLabel(
            "欢迎使用乡镇民生服务中心工作站。请填写本机所属的服务中心、本机信息和第一个管理员账号。"
            "如只想先熟悉操作，可进入培训模式（使用演示数据，不影响正式数据）。"
        )
        intro.setWordWrap(True)
        digits9 = QRegularExpressionValidator(r"\d{0,9}")
        digits2 = QRegularExpressionValidator(r"\d{0,2}")
        self.form = InlineForm()
        self.center_name = self.form.add_field("center_name", "服务中心名称(&C)", QLineEdit())
        self.center_name.setPlaceholderText("如：镇赉镇民生服务中心")
        self.center_code = self.form.add_field("center_code", "区划代码(&D)", QLineEdit(), "乡镇9位行政区划代码")
        self.center_code.setValidator(digits9)
        self.center_code.setPlaceholderText("9位数字，如 220821100")
        self.node_name = self.form.add_field("node_name", "本机名称(&N)", QLineEdit())
        self.node_name.setPlaceholderText("如：1号综合受理窗口、红旗村代办点")
        self.center_name.setMaxLength(rules.CENTER_NAME.max_len)
        self.node_name.setMaxLength(rules.NODE_NAME.max_len)
        self.node_code = self.form.add_field("node_code", "节点编号(&B)", QLineEdit(), "两位数字 01-99，同一中心内不得重复")
        self.node_code.setValidator(digits2)
        self.node_code.setPlaceholderText("01-99")
        self.node_kind = QComboBox()
        self.node_kind.addItem("窗口", "window")
        self.node_kind.addItem("村(社区)代办点", "agency")
        self.form.add_field("node_kind", "节点类型(&K)", self.node_kind)
        self.admin_user = self.form.add_field("admin_user", "管理员工号(&U)", QLineEdit())
        self.admin_user.setPlaceholderText("登录用的工号，如 admin 或 1001")
        self.admin_name = self.form.add_field("admin_name", "管理员姓名(&M)", QLineEdit("系统管理员"))
        self.password = self.form.add_field("admin_password", "密码(&P)", QLineEdit())
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("至少8位，含字母和数字")
        self.password2 = self.form.add_field("password2", "确认密码(&R)", QLineEdit())
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.status = status_label()
        self.finish_button = QPushButton("完成设置(&S)")
        self.finish_button.setDefault(True)
        self.training_button = QPushButton("进入培训模式(&T)")
        self.quit_button = QPushButton("退出(&Q)")
        self.join_button = QPushButton("连接乡镇中心(&J)…")
        self.join_button.setToolTip("中心已发放注册码时：不必填写本页，本机的设置和人员账号从中心获取")
        self.join_button.clicked.connect(self.join_center)
        self.finish_button.clicked.connect(self.submit)
        self.training_button.clicked.connect(self.training_requested.emit)
        self.quit_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.training_button)
        buttons.addWidget(self.join_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.finish_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._tried = False  # after the first 完成设置, each edit re-checks: a fixed field turns back from red
        for edit in (self.center_name, self.center_code, self.node_name, self.node_code, self.admin_user,
                     self.admin_name, self.password, self.password2):
            edit.textChanged.connect(self._recheck)
        self.node_kind.currentIndexChanged.connect(self._recheck)
        self.center_name.setFocus()

    def request(self) -> SetupRequest:
        return SetupRequest(
            center_code=self.center_code.text(),
            center_name=self.center_name.text(),
            node_code=self.node_code.text(),
            node_name=self.node_name.text(),
            node_kind=str(self.node_kind.currentData()),
            admin_user=self.admin_user.text(),
            admin_password=self.password.text(),
            admin_name=self.admin_name.text(),
        )

    def _errors(self) -> dict[str, str]:
        errors = validate(self.request())
        if self.password.text() != self.password2.text():
            errors["password2"] = "两次输入的密码不一致"
        return errors

    def _recheck(self) -> None:
        if not self._tried:
            return
        errors = self._errors()
        self.form.set_errors(errors, focus=False)
        if not errors:
            self.status.setText("")

    def submit(self) -> None:
        self._tried = True
        request = self.request()
        errors = self._errors()
        self.form.set_errors(errors)
        if errors:
            self.status.setText("请按提示修改标红的项目")
            return
        self._set_busy(True)
        self.status.setText("正在设置，请稍候……")
        self.runner.submit(lambda: perform_setup(self.db_source(), request), self._done, self._failed)

    def join_center(self) -> None:
        from app.ui.sync_panel import JoinDialog

        dialog = JoinDialog(self.db_source(), self.runner, self)
        dialog.joined.connect(self._joined)
        dialog.open()

    def _joined(self, message: str) -> None:
        from app.ui.sync_panel import run_sync

        self._set_busy(True)
        self.status.setText(f"{message}，正在接收中心的事项、人员和日历……")
        # Not cancellable: the staff accounts to log in with arrive with this first download.
        self.runner.submit_with_progress("首次同步", lambda progress: run_sync(self.db_source(), progress), self._done,
                                         self._failed, cancellable=False, parent=self)

    def _done(self, _result: object) -> None:
        self._set_busy(False)
        self.status.setText("")
        self.completed.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> bool:
        self._set_busy(False)
        if isinstance(exc, UserError):
            self.status.setText("；".join(exc.errors))
            return True
        self.status.setText("设置未完成")
        return False

    def _set_busy(self, busy: bool) -> None:
        for button in (self.finish_button, self.training_button, self.quit_button, self.join_button):
            button.setEnabled(not busy)
