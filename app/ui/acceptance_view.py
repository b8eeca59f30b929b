"""受理 (F6): applicant, agent, materials received, case class; Ctrl+Enter accepts and prints.

Checked on every keystroke with the same rules the service applies; the accept button stays
disabled, and each problem shows under its field, until the application can be accepted.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import changes
from app.actor import Actor
from app.clock import local_now
from app.database import Database
from app.services import field_rules as rules
from app.services.calendar.holidays import load_calendar
from app.services.calendar.workdays import OfficeHours, WorkCalendar
from app.services.cases.form import (
    AGENT_RELATIONS,
    APPLICANT_KINDS,
    CaseForm,
    missing_required,
    validate_case,
)
from app.services.cases.records import compute_deadline
from app.services.catalog.agency import load_offered_catalog
from app.services.catalog.data import ItemData
from app.services.catalog.search import ItemSummary
from app.services.id_numbers import ID_TYPES
from app.services.labels import CASE_CLASS_LABELS, class_label
from app.services.settings import CenterSettings, load_settings
from app.ui.capture.panel import CapturePanel
from app.ui.change_watch import watch
from app.ui.checklist_model import ReceivedModel
from app.ui.forms import InlineForm, report_on, status_label
from app.ui.idcard.photo_panel import PhotoPanel
from app.ui.item_picker import ItemPicker
from app.ui.key_binding import bind
from app.ui.received_table import ReceivedTable
from app.ui.tasks import TaskRunner

WARNING_STYLE = "background:#fff3cd; color:#7a4b00; padding:4px; border:1px solid #e0b84f;"


def _combo(options: dict[str, str]) -> QComboBox:
    box = QComboBox()
    for key, label in options.items():
        box.addItem(label, key)
    return box


class AcceptanceView(QWidget):
    accepted_case = Signal(str, str)  # number, case class

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.runner = runner
        self._items: dict[str, ItemData] = {}
        self._calendar: WorkCalendar | None = None
        self._hours = OfficeHours()
        self._notice_number = ""
        self._custom: list[str] = []
        self._show_all = False  # after Ctrl+Enter every blocking reason shows, typed-in or not
        self.picker = ItemPicker(allow_retired=False, compact=True)
        self.form = InlineForm()  # applicant, left column
        self.form_right = InlineForm()  # applicant, right column
        self.applicant_kind = self.form.add_field("applicant_kind", "申请人类型", _combo(APPLICANT_KINDS))
        self.applicant_name = self.form.add_field("applicant_name", "申请人(&N)", QLineEdit())
        self.id_type = self.form.add_field("applicant_id_type", "证件类型", _combo(ID_TYPES))
        self.id_number = self.form.add_field("applicant_id_number", "证件号码(&I)", QLineEdit())
        self.phone = self.form_right.add_field("applicant_phone", "联系电话(&T)", QLineEdit())
        self.address = self.form_right.add_field("applicant_address", "地址(&D)", QLineEdit())
        self.contact_name = self.form_right.add_field("contact_name", "单位经办人", QLineEdit())
        self.agent_box = QGroupBox("代理人或村代办员代办（Alt+G）")
        self.agent_box.setCheckable(True)
        self.agent_box.setChecked(False)
        bind(self, "acceptance", "agent", self.toggle_agent)
        agent_columns = QHBoxLayout(self.agent_box)
        self.agent_form = InlineForm()
        self.agent_form_right = InlineForm()
        agent_columns.addLayout(self.agent_form, 1)
        agent_columns.addLayout(self.agent_form_right, 1)
        self.agent_name = self.agent_form.add_field("agent_name", "代理人姓名", QLineEdit())
        self.agent_relation = QComboBox()
        self.agent_relation.setEditable(True)
        self.agent_relation.addItems(["", *AGENT_RELATIONS])
        self.agent_form.add_field("agent_relation", "与申请人关系", self.agent_relation)
        self.agent_id_type = self.agent_form_right.add_field("agent_id_type", "证件类型", _combo(ID_TYPES))
        self.agent_id_number = self.agent_form_right.add_field("agent_id_number", "证件号码", QLineEdit())
        self.agent_phone = self.agent_form.add_field("agent_phone", "电话", QLineEdit())
        self.checklist = ReceivedModel()
        self.table = ReceivedTable(self.checklist)
        self.case_form = InlineForm()
        self.case_class = self.case_form.add_field("case_class", "办件类型(&K)", _combo(CASE_CLASS_LABELS))
        self.class_reason = self.case_form.add_field("class_reason", "改变类型的理由", QLineEdit())
        self.missing_reason = self.case_form.add_field("missing_reason", "容缺受理理由", QLineEdit())
        self.rejection_reason = self.case_form.add_field("rejection_reason", "不予受理的依据和理由", QLineEdit())
        self.lead_window = self.case_form.add_field("lead_window", "牵头窗口", QLineEdit(actor.workplace))
        self.co_departments = self.case_form.add_field("co_departments", "联办部门", QLineEdit())
        self.co_departments.setPlaceholderText("多个部门以“、”分隔")
        self.due_label = QLabel()
        self.due_label.setObjectName("dueLabel")
        self.due_label.setWordWrap(True)
        self.status = status_label()
        self.accept_button = QPushButton("受理并打印(&S)")
        self.accept_button.setToolTip("Ctrl+Enter")
        self.accept_button.setEnabled(False)
        clear = QPushButton("清空(&W)")
        self.accept_button.clicked.connect(self.submit)
        clear.clicked.connect(self.reset)
        bind(self, "acceptance", "accept", self.submit)
        form_column = QWidget()
        column = QVBoxLayout(form_column)
        column.setContentsMargins(0, 0, 0, 0)
        applicant = QHBoxLayout()
        applicant.addLayout(self.form, 1)
        applicant.addLayout(self.form_right, 1)
        self.card_panel = PhotoPanel()  # the ID card's photo for comparison (app.ui.idcard), while a reader is set
        applicant.addWidget(self.card_panel)
        column.addLayout(applicant)
        column.addWidget(self.agent_box)
        materials_label = QLabel("已收材料（空格键勾选；F2 修改实收份数）(&L)")
        materials_label.setBuddy(self.table)
        column.addWidget(materials_label)
        self.table.setMinimumHeight(150)
        column.addWidget(self.table, 1)
        column.addLayout(self.case_form)
        column.addWidget(self.due_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(clear)
        buttons.addWidget(self.accept_button)
        column.addLayout(buttons)
        scroll = QScrollArea()  # fits 1366x768 whatever the class needs to show
        scroll.setWidget(form_column)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        splitter = QSplitter()
        splitter.addWidget(self.picker)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 7)
        self.capture = CapturePanel(db, runner, self.table, "acceptance")  # 高拍仪: pages of the current material
        splitter.addWidget(self.capture)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([270, 700, 360])  # 1366 px: the item list, the form, the camera
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.picker.current_changed.connect(self._item_changed)
        self.picker.chosen.connect(lambda _item: self.applicant_name.setFocus())
        for edit in (self.applicant_name, self.id_number, self.contact_name, self.phone, self.address, self.agent_name,
                     self.agent_id_number, self.agent_phone, self.class_reason, self.missing_reason,
                     self.rejection_reason, self.lead_window, self.co_departments):
            edit.textChanged.connect(self.revalidate)
        for combo in (self.applicant_kind, self.id_type, self.agent_id_type, self.case_class, self.agent_relation):
            combo.currentIndexChanged.connect(self.revalidate)
        self.agent_relation.editTextChanged.connect(self.revalidate)
        self.agent_box.toggled.connect(self.revalidate)
        self.checklist.ticks_changed.connect(self.revalidate)
        self._limit_lengths()
        self.setFocusProxy(self.picker)
        watch(self, db, changes.CALENDAR | changes.SETTINGS, self._load_rules)
        watch(self, db, changes.CATALOG, self._load_catalog)

    def _limit_lengths(self) -> None:
        """Each line edit takes no more than the service's rule allows (the rules also check characters)."""
        limits = {self.applicant_name: max(rules.APPLICANT_NAME.max_len, rules.ORGANISATION.max_len),
                  self.id_number: rules.ID_NUMBER.max_len, self.phone: rules.PHONE.max_len,
                  self.address: rules.APPLICANT_ADDRESS.max_len, self.contact_name: rules.CONTACT_NAME.max_len,
                  self.agent_name: rules.AGENT_NAME.max_len, self.agent_id_number: rules.ID_NUMBER.max_len,
                  self.agent_phone: rules.PHONE.max_len, self.class_reason: rules.CLASS_REASON.max_len,
                  self.missing_reason: rules.MISSING_REASON.max_len,
                  self.rejection_reason: rules.REJECTION_REASON.max_len, self.lead_window: rules.LEAD_WINDOW.max_len}
        for edit, limit in limits.items():
            edit.setMaxLength(limit)
        line = self.agent_relation.lineEdit()
        if line is not None:
            line.setMaxLength(rules.AGENT_RELATION.max_len)

    def load(self) -> None:
        """Catalogue, calendar and settings; each reloads by itself when a transaction changes it."""
        self._load_rules()
        self._load_catalog()

    def _load_rules(self) -> None:
        self.runner.submit(lambda: (load_calendar(self.db), load_settings(self.db)), self._rules_loaded)

    def _rules_loaded(self, result: tuple[WorkCalendar, CenterSettings]) -> None:
        """A new calendar or setting shows at once in the deadline of the form being filled."""
        self._calendar, settings = result
        self._hours = OfficeHours.parse(settings.office_hours)
        self._custom = settings.custom_classes()
        for key in self._custom:  # the centre's own classes, such as 上报件
            if self.case_class.findData(key) < 0:
                self.case_class.addItem(class_label(key), key)
        self.revalidate()

    def _load_catalog(self) -> None:
        # an agency point offers only the village list (app.services.catalog.agency, one rule)
        self.runner.submit(lambda: load_offered_catalog(self.db), self._catalog_loaded)

    def _catalog_loaded(self, result: tuple[list[ItemSummary], list[ItemData]]) -> None:
        """New items appear; the item being accepted stays selected, with its ticks, unless its list changed."""
        summaries, items = result
        before = self.current_item()
        self._items = {i.code: i for i in items}
        if self.picker.replace_items(summaries):
            after = self.current_item()
            if before is not None and after is not None and after.materials != before.materials:
                self._item_changed(self.picker.current())  # its checklist changed: tick again
            else:
                self.revalidate()

    def is_loaded(self) -> bool:
        """Items, calendar and settings have all arrived (the deadline can be shown)."""
        return bool(self._items) and self._calendar is not None

    def current_item(self) -> ItemData | None:
        summary = self.picker.current()
        return self._items.get(summary.code) if summary else None

    def _item_changed(self, _summary: ItemSummary | None) -> None:
        item = self.current_item()
        self.checklist.set_materials(item.materials if item else [])
        if item is not None:
            self.case_class.setCurrentIndex(self.case_class.findData(item.default_case_class))
            self.co_departments.setText("、".join(item.co_departments))
        self.revalidate()

    def case_form_data(self) -> CaseForm:
        item = self.current_item()
        agent = self.agent_box.isChecked()
        return CaseForm(
            item_code=item.code if item else "",
            case_class=str(self.case_class.currentData()),
            applicant_kind=str(self.applicant_kind.currentData()),
            applicant_name=self.applicant_name.text(),
            applicant_id_type=str(self.id_type.currentData()),
            applicant_id_number=self.id_number.text(),
            applicant_phone=self.phone.text(),
            applicant_address=self.address.text(),
            contact_name=self.contact_name.text(),
            agent_name=self.agent_name.text() if agent else "",
            agent_relation=self.agent_relation.currentText() if agent else "",
            agent_id_type=str(self.agent_id_type.currentData()),
            agent_id_number=self.agent_id_number.text() if agent else "",
            agent_phone=self.agent_phone.text() if agent else "",
            received=self.checklist.received() if item else [],
            class_reason=self.class_reason.text(),
            missing_reason=self.missing_reason.text(),
            rejection_reason=self.rejection_reason.text(),
            lead_window=self.lead_window.text(),
            co_departments=[d for d in self.co_departments.text().replace(",", "、").split("、") if d.strip()],
            notice_number=self._notice_number,
        )

    def revalidate(self) -> dict[str, str]:
        organisation = self.applicant_kind.currentData() == "organisation"
        self.form.set_visible("applicant_id_type", not organisation)
        self.form_right.set_visible("contact_name", organisation)
        cls = self.case_class.currentData()
        item = self.current_item()
        form = self.case_form_data()
        missing = bool(item and missing_required(item, form))
        self.case_form.set_visible("rejection_reason", cls == "rejected")
        self.case_form.set_visible("lead_window", cls == "joint")
        self.case_form.set_visible("co_departments", cls == "joint")
        changed = item is not None and cls != item.default_case_class
        self.case_form.set_visible("class_reason", changed and cls not in {"rejected", "supplement"})
        self.case_form.set_visible("missing_reason", missing and cls not in {"rejected", "supplement"})
        errors = validate_case(form, item, custom_classes=self._custom)
        typed = {k: v for k, v in errors.items() if self._touched(k)}
        for part in (self.form, self.form_right, self.agent_form, self.agent_form_right):
            part.set_errors(typed, focus=False)
        self.case_form.set_errors({k: v for k, v in errors.items() if k in {"case_class", "class_reason",
                                   "missing_reason", "rejection_reason", "lead_window", "co_departments"}},
                                  focus=False)
        self.accept_button.setEnabled(not errors)
        self._show_deadline(form)
        return errors

    def _focus_first(self, errors: dict[str, str]) -> None:
        """The cursor goes to the first field in error, in the order the form reads."""
        for part in (self.form, self.form_right, self.agent_form, self.agent_form_right, self.case_form):
            for key in part.keys():
                field = part.field(key)
                if key in errors and field.isVisibleTo(self) and field.isEnabled():
                    field.setFocus(Qt.FocusReason.OtherFocusReason)
                    return

    def search_field(self) -> QLineEdit:
        """Ctrl+F here searches the items of this screen."""
        return self.picker.search_box

    def _unshown(self, errors: dict[str, str]) -> list[str]:
        """Messages with no visible field to sit under (materials, or a row the class hides)."""
        fields: dict[str, QWidget] = {"lead_window": self.lead_window, "co_departments": self.co_departments,
                                      "class_reason": self.class_reason, "missing_reason": self.missing_reason,
                                      "rejection_reason": self.rejection_reason, "contact_name": self.contact_name}
        shown = {"applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone", "applicant_address",
                 "agent_name", "agent_relation", "agent_id_number", "agent_phone", "case_class"}
        return [message for key, message in errors.items()
                if key not in shown and not (key in fields and fields[key].isVisibleTo(self))]

    def _touched(self, key: str) -> bool:
        """Field errors show once the clerk has typed in that field, so an empty form is not all red."""
        widget = {"applicant_name": self.applicant_name, "applicant_id_number": self.id_number,
                  "applicant_phone": self.phone, "applicant_address": self.address, "contact_name": self.contact_name,
                  "agent_name": self.agent_name, "agent_id_number": self.agent_id_number,
                  "agent_phone": self.agent_phone}.get(key)
        return self._show_all or widget is None or bool(widget.text())

    def _show_deadline(self, form: CaseForm) -> None:
        item = self.current_item()
        if item is None or self._calendar is None:
            self.due_label.setText("")
            return
        deadline = compute_deadline(form.case_class, local_now(), item.promised_limit_days,
                                    self._calendar, self._hours)
        if deadline.due is None:
            text = {"rejected": "退办件：不计办理时限。", "supplement": "补办件：材料补齐后次日起计算办理时限。"}
            self.due_label.setText(text.get(form.case_class, ""))
            self.due_label.setStyleSheet("")
            return
        message = f"承诺办结日期：{deadline.due:%Y年%m月%d日}"
        if deadline.provisional:
            message += f"（暂定：{deadline.due.year}年节假日安排尚未导入，按周一至周五计算）"
            self.due_label.setStyleSheet(WARNING_STYLE)
        else:
            self.due_label.setStyleSheet("")
        self.due_label.setText(message)

    def edit_counts(self) -> None:
        self.table.edit_counts()

    def toggle_agent(self) -> None:
        """Alt+G: tick the agent box and go straight to the agent's name (untick: back to the applicant)."""
        self.agent_box.setChecked(not self.agent_box.isChecked())
        (self.agent_name if self.agent_box.isChecked() else self.applicant_name).setFocus(
            Qt.FocusReason.ShortcutFocusReason)

    def start_from_notice(self, item_code: str, citizen_name: str, citizen_phone: str, ticked: list[int],
                          notice_number: str) -> None:
        """The second visit: straight from the reopened notice to acceptance."""
        self.reset()
        self.picker.select_code(item_code)
        item = self.current_item()
        self.checklist.set_materials(item.materials if item else [], set(ticked))
        self.applicant_name.setText(citizen_name)
        self.phone.setText(citizen_phone)
        self._notice_number = notice_number
        self.status.setText(f"来自告知书 {notice_number}：请核对证件并补全申请人信息。")
        self.id_number.setFocus()
        self.revalidate()

    def reset(self) -> None:
        self._notice_number = ""
        self._show_all = False
        for edit in (self.applicant_name, self.id_number, self.contact_name, self.phone, self.address,
                     self.agent_name, self.agent_id_number, self.agent_phone, self.class_reason,
                     self.missing_reason, self.rejection_reason):
            edit.clear()
        self.agent_relation.setCurrentIndex(0)  # the last citizen's 儿子 is not the next one's
        self.agent_relation.setEditText("")
        self.agent_id_type.setCurrentIndex(0)
        self.agent_box.setChecked(False)
        self.status.setText("")
        self.card_panel.clear()
        self._item_changed(self.picker.current())

    def submit(self) -> None:
        self._show_all = True
        errors = self.revalidate()
        if errors:
            self.status.setText("；".join(["请按提示补全或修改标红的项目", *self._unshown(errors)]))
            self._focus_first(errors)
            return
        form = self.case_form_data()
        self.accept_button.setEnabled(False)
        from app.services.cases.records import accept_case

        pages = self.capture.pages()
        self.runner.submit(lambda: (accept_case(self.db, self.actor, form, pages=pages), form.case_class), self._accepted,
                           self._failed)

    def _accepted(self, result: tuple[str, str]) -> None:
        number, case_class = result
        self.reset()
        self.status.setText(f"已受理 {number}")
        self.accepted_case.emit(number, case_class)

    def _failed(self, exc: BaseException) -> bool:
        self.accept_button.setEnabled(True)
        return report_on(self.status, exc)
