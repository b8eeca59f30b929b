"""F10: each handling department's own 复议机关 and 人民法院 for its refusal notices (Enter edits a row)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from app import changes
from app.actor import Actor
from app.database import Database
from app.services import field_rules as rules
from app.services.inquiries.refusal_bodies import DepartmentBodies, list_department_bodies
from app.services.settings import save_refusal_bodies
from app.ui.change_watch import watch
from app.ui.forms import InlineForm, dialog_with_form, report_on
from app.ui.table_model import RecordTableModel, make_table
from app.ui.tasks import TaskRunner

DEFAULT = "（中心默认）"


class RefusalBodiesDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, record: DepartmentBodies,
                 defaults: tuple[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.runner = runner
        self.record = record
        self.setWindowTitle(f"{record.department}：复议机关和人民法院")
        self.setMinimumWidth(520)
        self.form = InlineForm()
        self.review_body = self.form.add_field("review_body", "复议机关(&F)", QLineEdit(record.review_body))
        self.court = self.form.add_field("court", "人民法院(&U)", QLineEdit(record.court))
        for edit, default in ((self.review_body, defaults[0]), (self.court, defaults[1])):
            edit.setMaxLength(rules.SETTING_VALUE.max_len)
            edit.setPlaceholderText(f"留空则用中心默认：{default or '未设置'}")
        self.status = dialog_with_form(self, self.form, "保存(&S)", self.submit)

    def submit(self) -> None:
        department, review_body, court = self.record.department, self.review_body.text(), self.court.text()
        self.runner.submit(lambda: save_refusal_bodies(self.db, self.actor, department, review_body, court),
                           lambda _r: self.accept(), lambda exc: report_on(self.status, exc))


class RefusalBodiesBox(QGroupBox):
    """The departments the catalogue's items name, each with what its refusals will print."""

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__("各承办部门的复议机关和人民法院", parent)
        self.db = db
        self.actor = actor
        self.runner = runner
        self.defaults = ("", "")  # the township's, from the settings form: shown where a department has none
        self.dialog: RefusalBodiesDialog | None = None
        self.model: RecordTableModel[DepartmentBodies] = RecordTableModel([
            ("承办部门", lambda d: d.department),
            ("在用事项", lambda d: d.items),
            ("复议机关", lambda d: d.review_body or f"{self.defaults[0] or '未设置'}{DEFAULT}"),
            ("人民法院", lambda d: d.court or f"{self.defaults[1] or '未设置'}{DEFAULT}"),
        ])
        self.model.set_muted(lambda d: not d.review_body and not d.court)
        self.table = make_table(self.model, "refusalBodiesTable", 0)
        self.table.activated.connect(lambda _i: self.edit_selected())
        label = QLabel("不予受理通知书印承办部门的复议机关和法院，未单独设置的印中心默认（灰色）。选中一行按 Enter 修改(&B)：")
        label.setBuddy(self.table)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.table, 1)
        watch(self, db, changes.SETTINGS | changes.CATALOG, self.load)

    def set_defaults(self, review_body: str, court: str) -> None:
        self.defaults = (review_body, court)
        rows = self.model.rowCount()
        if rows:
            self.model.dataChanged.emit(self.model.index(0, 0), self.model.index(rows - 1, self.model.columnCount() - 1))

    def load(self) -> None:
        self.runner.submit(lambda: list_department_bodies(self.db), self._loaded)

    def _loaded(self, records: list[DepartmentBodies]) -> None:
        current = self.model.row_at(self.table.currentIndex().row())
        self.model.set_rows(records)
        names = [r.department for r in records]
        if names:
            self.table.selectRow(names.index(current.department) if current and current.department in names else 0)

    def edit_selected(self) -> None:
        record = self.model.row_at(self.table.currentIndex().row())
        if record is not None:
            self.dialog = RefusalBodiesDialog(self.db, self.actor, self.runner, record, self.defaults, self)
            self.dialog.open()
