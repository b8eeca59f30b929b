"""部门名录 and centre settings, for administrators: where citizens are referred, and the
supervision phone and address printed on every document.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import changes
from app.actor import Actor
from app.database import Database
from app.services import field_rules as rules
from app.services.inquiries.departments import (
    VERIFY_NOTE,
    DepartmentForm,
    DepartmentRecord,
    list_departments,
    save_department,
    validate_department,
)
from app.services.settings import (
    MAX_PUBLIC_ADDRESS,
    CenterSettings,
    load_settings,
    save_settings,
    validate_settings,
)
from app.ui.change_watch import watch
from app.ui.forms import InlineForm, dialog_with_form, report_on, status_label
from app.ui.key_binding import bind
from app.ui.refusal_bodies_view import RefusalBodiesBox
from app.ui.table_model import RecordTableModel, make_table
from app.ui.tasks import TaskRunner


class DepartmentDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, record: DepartmentRecord | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.runner = runner
        self.record = record
        self.setWindowTitle("编辑部门" if record else "新增部门")
        self.setMinimumWidth(520)
        self.form = InlineForm()
        self.name = self.form.add_field("name", "部门名称(&N)", QLineEdit(record.name if record else ""))
        self.address = self.form.add_field("address", "地址(&A)", QLineEdit(record.address if record else ""))
        self.phone = self.form.add_field("phone", "联系电话(&T)", QLineEdit(record.phone if record else ""))
        self.hours = self.form.add_field("office_hours", "办公时间(&H)",
                                         QLineEdit(record.office_hours if record else "周一至周五 8:30—12:00，13:00—17:00"))
        self.duties = self.form.add_field("duties", "主要职责(&D)", QLineEdit(record.duties if record else ""))
        for edit, rule in ((self.name, rules.DEPARTMENT_NAME), (self.address, rules.DEPARTMENT_ADDRESS),
                           (self.phone, rules.PHONE), (self.hours, rules.OFFICE_HOURS), (self.duties, rules.DUTIES)):
            edit.setMaxLength(rule.max_len)
        self.active = QCheckBox("在用（停用后不再出现在转介选项中）")
        self.active.setChecked(record.active if record else True)
        self.form.add_field("active", "状态", self.active)
        self.status = dialog_with_form(self, self.form, "保存(&S)", self.submit)

    def submit(self) -> None:
        form = DepartmentForm(self.name.text(), self.address.text(), self.phone.text(), self.hours.text(),
                              self.duties.text(), self.active.isChecked())
        errors = validate_department(form)
        self.form.set_errors(errors)
        if errors:
            return
        record_id = self.record.id if self.record else None
        self.runner.submit(lambda: save_department(self.db, self.actor, form, record_id), lambda _r: self.accept(),
                           self._failed)

    def _failed(self, exc: BaseException) -> bool:
        return report_on(self.status, exc)


class DepartmentView(QWidget):
    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.runner = runner
        self.dialog: DepartmentDialog | None = None
        self.model: RecordTableModel[DepartmentRecord] = RecordTableModel(
            [
                ("部门名称", lambda d: d.name),
                ("地址", lambda d: d.address),
                ("电话", lambda d: d.phone),
                ("办公时间", lambda d: d.office_hours),
                ("主要职责", lambda d: d.duties),
                ("状态", lambda d: "在用" if d.active else "停用"),
            ]
        )
        self.model.set_muted(lambda d: not d.active)
        self.table = make_table(self.model, "departmentTable", 4)
        self.table.activated.connect(lambda _i: self.edit_selected())
        add = QPushButton("新增部门(&N)")
        add.clicked.connect(lambda: self._open(None))
        bind(self, "departments", "add", lambda: self._open(None))
        top = QHBoxLayout()
        top.addWidget(add)
        top.addWidget(QLabel(VERIFY_NOTE))  # the seed directory's hotlines stand in for the offices' own lines
        top.addStretch(1)
        self.settings_form = InlineForm()
        self.supervise_phone = self.settings_form.add_field("supervise_phone", "监督电话(&J)", QLineEdit())
        self.supervise_phone.setPlaceholderText("留空则告知书印各事项的监督电话，转介单印 12345")
        self.center_phone = self.settings_form.add_field("center_phone", "中心咨询电话(&Z)", QLineEdit())
        self.center_address = self.settings_form.add_field("center_address", "中心地址(&Y)", QLineEdit())
        self.office_hours = self.settings_form.add_field("office_hours", "办公时间(&O)", QLineEdit())
        self.office_hours.setPlaceholderText("如 08:30-12:00,13:00-17:30（即办件在下班后受理的，次一工作日办结）")
        self.extra_classes = self.settings_form.add_field("extra_case_classes", "本中心增设办件类型", QLineEdit())
        self.extra_classes.setPlaceholderText("如 上报件（按承诺时限计算），多个以“、”分隔")
        self.window_phones = self.settings_form.add_field("window_phones", "窗口电话(&W)", QLineEdit())
        self.window_phones.setPlaceholderText("如 1号综合受理窗口=0436-7312001；未设的窗口印中心咨询电话")
        self.review_body = self.settings_form.add_field("review_body", "复议机关(&F)", QLineEdit())
        self.review_body.setPlaceholderText("印在不予受理通知书上，如 镇赉县人民政府")
        self.court = self.settings_form.add_field("court", "人民法院(&U)", QLineEdit())
        self.court.setPlaceholderText("印在不予受理通知书上，如 镇赉县人民法院")
        self.warning_days = self.settings_form.add_field("warning_days", "预警天数(&K)", QLineEdit())
        self.warning_days.setPlaceholderText("办结日期前几个工作日亮黄灯（0至10，默认2）")
        self.warning_days.setMaxLength(2)
        self.complaint_days = self.settings_form.add_field("complaint_days", "投诉办理时限(&M)", QLineEdit())
        self.complaint_days.setPlaceholderText("各类投诉答复的工作日数，如 1-9=5；10=10；11=5（类别见投诉登记）")
        self.rectification_days = self.settings_form.add_field("rectification_days", "差评整改时限(&Q)", QLineEdit())
        self.rectification_days.setPlaceholderText("差评整改的工作日数（1至60，默认10）")
        self.rectification_days.setMaxLength(2)
        self.public_address = self.settings_form.add_field("public_address", "中心对外地址(&G)", QLineEdit())
        self.public_address.setPlaceholderText("如 https://zx.example.gov.cn；设置后回执、办结通知书的二维码可用手机查询进度、评价")
        self.public_address.setMaxLength(MAX_PUBLIC_ADDRESS)
        self.appointment_capacity = self.settings_form.add_field("appointment_capacity", "每时段预约名额(&P)",
                                                                 QLineEdit())
        self.appointment_capacity.setPlaceholderText("每个窗口每个预约时段可约人数（1至99，默认4）")
        self.appointment_capacity.setMaxLength(2)
        for edit, limit in ((self.supervise_phone, rules.PHONE.max_len), (self.center_phone, rules.PHONE.max_len),
                            (self.center_address, rules.CENTER_ADDRESS.max_len),
                            (self.office_hours, rules.SETTING_VALUE.max_len),
                            (self.extra_classes, rules.SETTING_VALUE.max_len),
                            (self.window_phones, rules.SETTING_VALUE.max_len),
                            (self.complaint_days, rules.SETTING_VALUE.max_len),
                            (self.review_body, rules.SETTING_VALUE.max_len), (self.court, rules.SETTING_VALUE.max_len)):
            edit.setMaxLength(limit)
        self.settings_status = status_label()
        save_settings_button = QPushButton("保存中心设置(&S)")
        save_settings_button.clicked.connect(self.save_settings)
        settings_box = QGroupBox("中心设置（打印在告知书、转介单上）")
        settings_layout = QVBoxLayout(settings_box)
        settings_layout.addLayout(self.settings_form)
        row = QHBoxLayout()
        row.addWidget(self.settings_status, 1)
        row.addWidget(save_settings_button)
        settings_layout.addLayout(row)
        self.bodies = RefusalBodiesBox(db, actor, runner)
        lower = QHBoxLayout()  # side by side: at 1366×768 the directory keeps room for a dozen rows
        lower.addWidget(settings_box, 1)
        lower.addWidget(self.bodies, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(lower)
        self.setFocusProxy(self.table)
        self._settings_edited = False  # typed but not saved: a change from elsewhere must not overwrite it
        self._settings = CenterSettings()  # as last read: replaced by the first load
        for edit in self._settings_edits():
            edit.textEdited.connect(self._edited)
        watch(self, db, changes.DEPARTMENTS, self._load_departments)
        watch(self, db, changes.SETTINGS, self._load_settings)

    def _settings_edits(self) -> tuple[QLineEdit, ...]:
        return (self.supervise_phone, self.center_phone, self.center_address, self.office_hours, self.extra_classes,
                self.window_phones, self.review_body, self.court, self.warning_days, self.complaint_days,
                self.rectification_days, self.public_address, self.appointment_capacity)

    def _edited(self) -> None:
        self._settings_edited = True
        self.settings_status.setText("")

    def load(self) -> None:
        self._load_departments()
        self._load_settings()
        self.bodies.load()

    def _load_departments(self) -> None:
        self.runner.submit(lambda: list_departments(self.db, include_inactive=True), self._departments_loaded)

    def _departments_loaded(self, departments: list[DepartmentRecord]) -> None:
        current = self.model.row_at(self.table.currentIndex().row())
        self.model.set_rows(departments)
        ids = [d.id for d in departments]
        if ids:
            self.table.selectRow(ids.index(current.id) if current and current.id in ids else 0)

    def _load_settings(self) -> None:
        self.runner.submit(lambda: load_settings(self.db), self._settings_loaded)

    def _settings_loaded(self, settings: CenterSettings) -> None:
        self._settings = settings  # what this screen does not show is saved back as it was
        self.bodies.set_defaults(settings.review_body, settings.court)
        if self._settings_edited:
            self.settings_status.setText("中心设置已在别处更改；保存将以本页所填为准")
            return
        self.supervise_phone.setText(settings.supervise_phone)
        self.center_phone.setText(settings.center_phone)
        self.center_address.setText(settings.center_address)
        self.office_hours.setText(settings.office_hours)
        self.extra_classes.setText(settings.extra_case_classes)
        self.window_phones.setText(settings.window_phones)
        self.review_body.setText(settings.review_body)
        self.court.setText(settings.court)
        self.warning_days.setText(settings.warning_days)
        self.complaint_days.setText(settings.complaint_days)
        self.rectification_days.setText(settings.rectification_days)
        self.public_address.setText(settings.public_address)
        self.appointment_capacity.setText(settings.appointment_capacity)

    def edit_selected(self) -> None:
        record = self.model.row_at(self.table.currentIndex().row())
        if record is not None:
            self._open(record)

    def _open(self, record: DepartmentRecord | None) -> None:
        self.dialog = DepartmentDialog(self.db, self.actor, self.runner, record, self)
        self.dialog.open()

    def save_settings(self) -> None:
        values = replace(self._settings, supervise_phone=self.supervise_phone.text().strip(),
                         center_phone=self.center_phone.text().strip(),
                         center_address=self.center_address.text().strip(),
                         office_hours=self.office_hours.text().strip(),
                         extra_case_classes=self.extra_classes.text().strip(),
                         window_phones=self.window_phones.text().strip(), review_body=self.review_body.text().strip(),
                         court=self.court.text().strip(), warning_days=self.warning_days.text().strip(),
                         complaint_days=self.complaint_days.text().strip(),
                         rectification_days=self.rectification_days.text().strip(),
                         public_address=self.public_address.text().strip(),
                         appointment_capacity=self.appointment_capacity.text().strip())
        errors = validate_settings(values)
        self.settings_form.set_errors(errors)
        if errors:
            return
        self.runner.submit(lambda: save_settings(self.db, self.actor, values), self._saved)

    def _saved(self, _result: object) -> None:
        self._settings_edited = False
        self.settings_status.setText("已保存")
