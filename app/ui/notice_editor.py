"""Issuing a one-time notice: who, which item, what the citizen already has; Ctrl+P prints it.

Reopened from a scanned notice, the checklist comes back with what the citizen had last time,
so the clerk ticks what they brought now and sees at once whether anything is still missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import changes
from app.actor import Actor
from app.database import Database
from app.services import field_rules as rules
from app.services.catalog import items as catalog
from app.services.catalog.data import ItemData
from app.services.catalog.search import ItemSummary
from app.services.inquiries.notices import NoticeForm, NoticeRecord, create_notice, get_notice, validate_notice
from app.ui.change_watch import watch
from app.ui.checklist_model import ChecklistModel, missing_summary
from app.ui.forms import InlineForm, report_on, status_label
from app.ui.item_picker import ItemPicker
from app.ui.key_binding import bind
from app.ui.table_model import make_table
from app.ui.tasks import TaskRunner

BANNER_STYLE = "background:#e8f0fe; border:1px solid #9bb7e8; padding:5px;"


@dataclass
class _Context:
    inquiry_id: str | None = None
    follows_number: str = ""


class NoticeEditor(QWidget):
    issued = Signal(str)  # the new notice's number, once stored
    accept_requested = Signal(str, str, str, list, str)  # item code, name, phone, ticked, notice number

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.runner = runner
        self._items: dict[str, ItemData] = {}
        self._context = _Context()
        self._pending_ticks: set[str] | None = None  # material names to tick once the item shows
        self.banner = QLabel()
        self.banner.setObjectName("noticeBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self.form = InlineForm()
        self.citizen_name = self.form.add_field("citizen_name", "申请人姓名(&N)", QLineEdit())
        self.citizen_phone = self.form.add_field("citizen_phone", "联系电话(&T)", QLineEdit())
        self.citizen_phone.setPlaceholderText("手机号或带区号的固定电话，可不填")
        self.citizen_name.setMaxLength(rules.CITIZEN_NAME.max_len)
        self.citizen_phone.setMaxLength(rules.PHONE.max_len)
        self.picker = ItemPicker(allow_retired=False, compact=True)
        self.item_label = QLabel("请选择事项")
        self.item_label.setObjectName("itemLabel")
        self.checklist = ChecklistModel()
        self.table = make_table(self.checklist, "checklist", 2)
        self.table.installEventFilter(self)
        self.summary = QLabel()
        self.summary.setObjectName("missingSummary")
        self.summary.setWordWrap(True)
        self.note = QLineEdit()
        self.note.setPlaceholderText("其他需要告知的事项（可不填）")
        self.note.setMaxLength(rules.NOTICE_NOTE.max_len)
        self.status = status_label()
        self.print_button = QPushButton("打印告知书(&P)")
        self.print_button.setDefault(True)
        self.new_button = QPushButton("新告知(&W)")
        self.accept_button = QPushButton("材料齐全，转受理(&A)")
        self.accept_button.clicked.connect(self.request_acceptance)
        self.print_button.clicked.connect(self.submit)
        self.new_button.clicked.connect(self.reset)
        bind(self, "notices", "print_notice", self.submit)
        bind(self, "notices", "new_notice", self.reset)
        checklist_label = QLabel("材料清单（空格键勾选申请人已带的材料）(&L)")
        checklist_label.setBuddy(self.table)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.banner)
        right_layout.addLayout(self.form)
        right_layout.addWidget(self.item_label)
        right_layout.addWidget(checklist_label)
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.summary)
        note_row = QHBoxLayout()
        note_label = QLabel("备注(&M)")
        note_label.setBuddy(self.note)
        note_row.addWidget(note_label)
        note_row.addWidget(self.note, 1)
        right_layout.addLayout(note_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.print_button)
        right_layout.addLayout(buttons)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.picker)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 6)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.picker.current_changed.connect(self._item_changed)
        self.picker.chosen.connect(lambda _item: self.table.setFocus())
        self.checklist.ticks_changed.connect(self._update_summary)
        self.citizen_phone.returnPressed.connect(self.picker.setFocus)
        self.citizen_name.returnPressed.connect(self.citizen_phone.setFocus)
        self.setTabOrder(self.citizen_name, self.citizen_phone)
        self.setTabOrder(self.citizen_phone, self.picker.search_box)
        self.setTabOrder(self.picker.search_box, self.table)
        self.setTabOrder(self.table, self.note)
        self.setTabOrder(self.note, self.print_button)
        self.setFocusProxy(self.citizen_name)
        self._update_summary()
        watch(self, db, changes.CATALOG, self.load)

    def load(self) -> None:
        self.runner.submit(lambda: catalog.load_catalog(self.db), self._loaded)

    def _loaded(self, result: tuple[list[ItemSummary], list[ItemData]]) -> None:
        summaries, items = result
        before = self.current_item()
        self._items = {i.code: i for i in items}
        if self.picker.replace_items(summaries):
            after = self.current_item()
            if before is not None and after is not None and after.materials != before.materials:
                self._item_changed(self.picker.current())  # its checklist changed: tick again

    def current_item(self) -> ItemData | None:
        summary = self.picker.current()
        return self._items.get(summary.code) if summary else None

    def _item_changed(self, summary: ItemSummary | None) -> None:
        item = self._items.get(summary.code) if summary else None
        if item is None:
            self.item_label.setText("请选择事项")
            self.checklist.set_materials([])
            return
        self.item_label.setText(f"办理事项：{item.name}（{item.code}），{item.case_class_label}，"
                                f"承诺时限{'当场办结' if item.promised_limit_days == 0 else f'{item.promised_limit_days}个工作日'}")
        ticks: set[int] = set()
        if self._pending_ticks is not None:
            ticks = {i for i, m in enumerate(item.materials, 1) if m.name in self._pending_ticks}
            self._pending_ticks = None
        self.checklist.set_materials(item.materials, ticks)
        if self.checklist.rowCount():
            self.table.selectRow(0)

    def _update_summary(self) -> None:
        if not self.checklist.rowCount():
            self.summary.setText("")
            return
        self.summary.setText(missing_summary(self.checklist.missing(), "必要材料已齐全，可以直接受理。"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
        ):
            self.checklist.toggle(self.table.currentIndex().row())
            return True
        return False

    # --- starting points -------------------------------------------------------------------

    def reset(self) -> None:
        self._context = _Context()
        self._pending_ticks = None
        self.banner.hide()
        self.citizen_name.clear()
        self.citizen_phone.clear()
        self.note.clear()
        self.form.set_errors({})
        self.picker.search_box.clear()
        item = self.current_item()
        self.checklist.set_materials(item.materials if item else [])
        self.citizen_name.setFocus()

    def start(self, citizen_name: str, citizen_phone: str, item_code: str, inquiry_id: str | None,
              inquiry_number: str) -> None:
        """Continue from a first-inquiry entry: the citizen and item are already known."""
        self.reset()
        self._context = _Context(inquiry_id=inquiry_id)
        self.citizen_name.setText(citizen_name)
        self.citizen_phone.setText(citizen_phone)
        self.picker.select_code(item_code)
        self.banner.setText(f"来自首问登记 {inquiry_number}：请勾选申请人已带的材料，按 Ctrl+P 打印告知书。")
        self.banner.show()
        self.table.setFocus()

    def reopen(self, number: str) -> None:
        """A scanned notice: load it and pre-fill the checklist with what the citizen had."""
        self.runner.submit(lambda: get_notice(self.db, number), lambda record: self._reopened(number, record))

    def _reopened(self, number: str, record: NoticeRecord | None) -> None:
        if record is None:
            self.status.setText(f"没有找到告知书 {number}（可能是其他工作站出具、尚未同步）")
            return
        self.reset()
        self._context = _Context(follows_number=record.number)
        self.citizen_name.setText(record.citizen_name)
        self.citizen_phone.setText(record.citizen_phone)
        self._pending_ticks = {m.name for i, m in enumerate(record.item.materials, 1) if record.is_present(i)}
        if not self.picker.select_code(record.item.code):
            self._pending_ticks = None
            self.status.setText(f"事项 {record.item.code} 已停用或不在事项清单中")
            return
        missing = "、".join(m.name for _, m in record.missing) or "无"
        self.banner.setText(
            f"再次来访：告知书 {record.number}（{record.issued_at.astimezone():%Y-%m-%d %H:%M}，{record.staff_name}出具）。"
            f"上次尚缺：{missing}。请勾选本次带来的材料。"
        )
        self.banner.show()
        self.table.setFocus()

    def request_acceptance(self) -> None:
        """Go on to acceptance with this citizen, item and the materials ticked here."""
        summary = self.picker.current()
        if summary is None:
            self.status.setText("请先选择事项")
            return
        self.accept_requested.emit(summary.code, self.citizen_name.text(), self.citizen_phone.text(),
                                   self.checklist.ticked(), self._context.follows_number)

    # --- issuing ---------------------------------------------------------------------------

    def notice_form(self) -> NoticeForm:
        summary = self.picker.current()
        return NoticeForm(
            item_code=summary.code if summary else "",
            citizen_name=self.citizen_name.text(),
            citizen_phone=self.citizen_phone.text(),
            present=self.checklist.ticked(),
            note=self.note.text(),
            inquiry_id=self._context.inquiry_id,
            follows_number=self._context.follows_number,
        )

    def submit(self) -> None:
        form = self.notice_form()
        errors = validate_notice(form, self.checklist.rowCount())
        self.form.set_errors({k: v for k, v in errors.items() if k in {"citizen_name", "citizen_phone"}})
        if errors:
            self.status.setText("；".join(errors.values()))
            if "item_code" in errors:
                self.picker.setFocus()
            return
        self.print_button.setEnabled(False)
        self.runner.submit(lambda: create_notice(self.db, self.actor, form), self._created, self._failed)

    def _created(self, number: str) -> None:
        self.print_button.setEnabled(True)
        self.reset()
        self.status.setText("")
        self.banner.setText(f"已出具告知书 {number}。打印窗口已打开；以后可在“告知书记录”中补打。")
        self.banner.show()
        self.issued.emit(number)

    def _failed(self, exc: BaseException) -> bool:
        self.print_button.setEnabled(True)
        return report_on(self.status, exc)
