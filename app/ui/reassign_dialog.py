"""AB岗转办 (Ctrl+B, directors and administrators): an absent clerk's open cases pass to the backup.

Choose A (who is away) and B (who takes over; A's named B岗 is offered first), give the reason, read how
many open cases will move, and confirm with Ctrl+Enter. The count is the service's own (cases this
workstation holds); cases other nodes hold are named, with the hint that they move by 移交.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
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
from app.database import Database
from app.services.cases.reassign import REASON_RULE, Preview, Reassigned, preview, reassign
from app.services.people.staff import StaffRecord, list_staff
from app.ui.forms import report_on, status_label
from app.ui.key_binding import bind
from app.ui.tasks import TaskRunner


def _name(member: StaffRecord) -> str:
    return f"{member.name}（{member.staff_no}）" + ("" if member.active else "【停用】")


class ReassignDialog(QDialog):
    reassigned = Signal(object)  # Reassigned

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, staff: list[StaffRecord],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner = db, actor, runner
        self._staff = {m.staff_no: m for m in staff}
        self._by_id = {m.id: m for m in staff}
        self._preview: Preview | None = None
        self.setWindowTitle("AB岗转办")
        self.resize(560, 260)
        self.absent = QComboBox()
        self.absent.setObjectName("absentStaff")
        for member in sorted(staff, key=lambda m: (not m.active, m.staff_no)):  # someone who left is still listed
            self.absent.addItem(_name(member), member.staff_no)
        self.backup = QComboBox()
        self.backup.setObjectName("backupStaff")
        self.reason = QLineEdit()
        self.reason.setObjectName("reassignReason")
        self.reason.setMaxLength(REASON_RULE.max_len)
        self.reason.setPlaceholderText("如 休产假、外出培训、调离本中心")
        self.count = QLabel()
        self.count.setObjectName("reassignCount")
        self.count.setWordWrap(True)
        self.status = status_label()
        form = QFormLayout()
        for text, widget in (("离岗人员（A岗）(&A)", self.absent), ("接手人员（B岗）(&B)", self.backup),
                             ("转办原因(&R)", self.reason)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.confirm = QPushButton("确认转办(&O)")
        self.confirm.setDefault(True)
        self.confirm.clicked.connect(self.submit)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        bind(self, "reassign_dialog", "confirm", self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.confirm)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.count)
        layout.addLayout(buttons)
        self.absent.currentIndexChanged.connect(self._absent_changed)
        self.backup.currentIndexChanged.connect(self._show_count)
        self.reason.textChanged.connect(lambda _text: self.status.setText(""))
        self._absent_changed()
        self.absent.setFocus()

    def absent_no(self) -> str:
        return str(self.absent.currentData() or "")

    def backup_no(self) -> str:
        return str(self.backup.currentData() or "")

    def _absent_changed(self) -> None:
        """B: every other active colleague, A's own B岗 first and chosen; then count A's open cases."""
        absent = self._staff.get(self.absent_no())
        named = self._by_id.get(absent.backup_id or "") if absent else None
        candidates = [m for m in self._staff.values() if m.active and (absent is None or m.id != absent.id)]
        candidates.sort(key=lambda m: (named is None or m.id != named.id, m.staff_no))
        self.backup.blockSignals(True)
        self.backup.clear()
        for member in candidates:
            self.backup.addItem(_name(member) + ("　本人设定的B岗" if named and member.id == named.id else ""),
                                member.staff_no)
        self.backup.blockSignals(False)
        self._preview = None
        self.count.setText("正在统计未办结办件……")
        staff_no = self.absent_no()
        if staff_no:
            self.runner.submit(lambda: preview(self.db, staff_no), self._previewed,
                               lambda exc: report_on(self.status, exc))

    def _previewed(self, result: Preview) -> None:
        if result.staff_no != self.absent_no():
            return  # the choice has changed meanwhile
        self._preview = result
        self._show_count()

    def _show_count(self) -> None:
        found = self._preview
        if found is None:
            return
        backup = self._staff.get(self.backup_no())
        to = f"转给 {backup.name}（{backup.staff_no}）" if backup else "（请选择接手人员）"
        text = (f"将把 {found.staff_name}（{found.staff_no}）在本机的 {found.here} 件未办结办件{to}，"
                f"其列表中标为“代{found.staff_no}{found.staff_name}岗”。") if found.here else \
            f"{found.staff_name}（{found.staff_no}）在本机没有未办结的办件。"
        if found.elsewhere:
            held = "、".join(f"{node}号节点{n}件" for node, n in found.elsewhere.items())
            text += f"另有{held}由其他窗口或代办点持有，须在该处转办或用“移交”。"
        self.count.setText(text)
        self.confirm.setEnabled(found.here > 0 and backup is not None)

    def submit(self) -> None:
        if not self.confirm.isEnabled():
            self.status.setText("没有可转办的办件，或尚未选择接手人员")
            return
        db, actor = self.db, self.actor
        absent, backup, reason = self.absent_no(), self.backup_no(), self.reason.text()
        self.status.setText("")
        self.runner.submit(lambda: reassign(db, actor, absent, backup, reason), self._done,
                           lambda exc: report_on(self.status, exc))

    def _done(self, result: Reassigned) -> None:
        self.reassigned.emit(result)
        self.accept()


def open_reassign(db: Database, actor: Actor, runner: TaskRunner, parent: QWidget,
                  shown: Callable[[ReassignDialog], None]) -> None:
    """Read the staff list in the background, then show the dialog over `parent`; `shown` gets it first
    (to keep it and hear what was moved)."""

    def show(staff: list[StaffRecord]) -> None:
        dialog = ReassignDialog(db, actor, runner, staff, parent)
        shown(dialog)
        dialog.open()

    runner.submit(lambda: list_staff(db), show)
