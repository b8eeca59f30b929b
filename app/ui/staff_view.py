"""Staff list for administrators: add (Ctrl+N), edit (Enter), unlock (Ctrl+U)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import changes
from app.actor import Actor
from app.database import Database
from app.services.people import staff as staff_service
from app.services.people.permissions import REASSIGN_CASES, can
from app.services.people.staff import StaffRecord
from app.ui.change_watch import watch
from app.ui.key_binding import bind
from app.ui.messages import show_message
from app.ui.reassign_dialog import ReassignDialog, open_reassign
from app.ui.staff_dialog import StaffDialog
from app.ui.table_model import RecordTableModel, make_table
from app.ui.tasks import TaskRunner


class StaffView(QWidget):
    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.runner = runner
        self.dialog: StaffDialog | None = None
        self.reassign_dialog: ReassignDialog | None = None
        self.model: RecordTableModel[StaffRecord] = RecordTableModel(
            [
                ("工号", lambda r: r.staff_no),
                ("姓名", lambda r: r.name),
                ("角色", lambda r: r.role_label),
                ("所在窗口或代办点", lambda r: r.workplace),
                ("电话", lambda r: r.phone),
                ("B岗", lambda r: r.backup_name),
                ("状态", lambda r: ("已锁定" if r.locked else "在用") if r.active else "停用"),
            ]
        )
        self.model.set_muted(lambda r: not r.active)
        self.table = make_table(self.model, "staffTable", 3)
        self.table.activated.connect(lambda _index: self.edit_selected())
        add = QPushButton("新增人员(&N)")
        edit = QPushButton("编辑(&E)")
        unlock = QPushButton("解除锁定(&U)")
        add.clicked.connect(self.add)
        edit.clicked.connect(self.edit_selected)
        unlock.clicked.connect(self.unlock_selected)
        bind(self, "staff", "add", self.add)
        bind(self, "staff", "unlock", self.unlock_selected)
        hint = QLabel("回车编辑所选人员；人员不能删除，离岗人员请设为“停用”。")
        hint.setStyleSheet("color:#555")
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(edit)
        buttons.addWidget(unlock)
        if can(actor, REASSIGN_CASES):  # AB岗: an absent colleague's open cases to the backup (also Ctrl+B)
            reassign = QPushButton("AB岗转办(&B)…")
            reassign.clicked.connect(self.reassign)
            buttons.addWidget(reassign)
        buttons.addStretch(1)
        buttons.addWidget(hint)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)
        watch(self, db, changes.STAFF, self.load)

    def load(self) -> None:
        self.runner.submit(lambda: staff_service.list_staff(self.db), self._loaded)

    def _loaded(self, records: list[StaffRecord]) -> None:
        current = self.model.row_at(self.table.currentIndex().row())
        self.model.set_rows(records)
        row = next((i for i, r in enumerate(records) if current and r.id == current.id), 0)
        if records:
            self.table.selectRow(row)

    def selected(self) -> StaffRecord | None:
        return self.model.row_at(self.table.currentIndex().row())

    def add(self) -> None:
        self._open_dialog(None)

    def edit_selected(self) -> None:
        record = self.selected()
        if record is not None:
            self._open_dialog(record)

    def _open_dialog(self, record: StaffRecord | None) -> None:
        self.dialog = StaffDialog(self.db, self.actor, self.runner, self.model.rows(), record, self)
        self.dialog.open()

    def reassign(self) -> None:
        """AB岗转办 from the staff list, the selected colleague offered as the one who is away."""
        selected = self.selected()

        def shown(dialog: ReassignDialog) -> None:
            self.reassign_dialog = dialog
            if selected is not None:
                dialog.absent.setCurrentIndex(max(0, dialog.absent.findData(selected.staff_no)))

        open_reassign(self.db, self.actor, self.runner, self, shown)

    def unlock_selected(self) -> None:
        record = self.selected()
        if record is None:
            return
        if not record.locked:
            show_message(self, f"{record.name}的账号没有被锁定。")
            return
        self.runner.submit(lambda: staff_service.unlock(self.db, self.actor, record.id), lambda _r: self._unlocked(record))

    def _unlocked(self, record: StaffRecord) -> None:
        show_message(self, f"已解除{record.name}的账号锁定。")
