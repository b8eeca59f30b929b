"""排队类别 (Ctrl+Shift+U, 功能 menu; directors and administrators): the hall's categories, edited as a list
and saved to the centre as a whole.

The list is read from the centre and edited here (新增 Ctrl+N, Enter edits, Delete removes, Ctrl+↑/↓ moves:
the kiosk numbers its buttons in this order); nothing reaches the centre before 保存到中心 (Ctrl+Enter),
which sends the whole set off the GUI thread. The centre's refusals (a person not proven at log-in, a
category with tickets still waiting) are shown on the status line, and the list stays as edited.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.database import Database
from app.services.errors import ValidationError
from app.services.queue import client
from app.services.queue.categories import EVERY_WINDOW, CategoryDraft, check_draft, drafts_of, save_categories
from app.services.queue.model import QueueStatus, QueueUnavailable
from app.services.queue.rules import CATEGORY_MAX
from app.ui.forms import InlineForm, dialog_with_form, report_on, status_label
from app.ui.key_binding import bind
from app.ui.shortcuts import shortcut
from app.ui.table_model import RecordTableModel, make_table
from app.ui.tasks import TaskRunner

SCREEN = "queue_categories_dialog"


class CategoryEditor(QDialog):
    """One category: its name, prefix letter and the windows that call it (Space ticks; none = every one)."""

    def __init__(self, draft: CategoryDraft | None, windows: Sequence[tuple[str, str]],
                 others: Sequence[CategoryDraft], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("修改排队类别" if draft else "新增排队类别")
        self.setMinimumWidth(460)
        self.others = others
        self.result_draft: CategoryDraft | None = None
        self.form = InlineForm()
        self.name = self.form.add_field("name", "类别名称(&N)", QLineEdit(draft.name if draft else ""))
        self.name.setMaxLength(CATEGORY_MAX)
        self.name.setPlaceholderText("取号机按钮上的字，如 社保医保")
        self.prefix = self.form.add_field("prefix", "号头字母(&P)", QLineEdit(draft.prefix if draft else ""))
        self.prefix.setMaxLength(1)
        self.prefix.setPlaceholderText("一个大写字母，不用 I 和 O，如 B（号为 B001）")
        self.windows = self.form.add_field("windows", "办理窗口(&W)", QListWidget())
        self.windows.setObjectName("categoryWindows")
        chosen = set(draft.windows if draft else ())
        for code, name in windows:
            item = QListWidgetItem(f"{code} {name}".strip())
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in chosen else Qt.CheckState.Unchecked)
            self.windows.addItem(item)
        self.windows.setMaximumHeight(160)
        for code in sorted(chosen - {c for c, _n in windows}):  # a window the centre no longer lists: kept, shown
            item = QListWidgetItem(f"{code}（已不在中心的窗口中）")
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.windows.addItem(item)
        if self.windows.count():
            self.windows.setCurrentRow(0)
        note = QLabel(f"空格勾选窗口；一个都不勾即{EVERY_WINDOW}（以后加入的窗口也办理）。")
        note.setWordWrap(True)
        self.form.addRow("", note)
        self.status = dialog_with_form(self, self.form, "确定(&S)", self.submit)

    def chosen_windows(self) -> list[str]:
        items = (self.windows.item(row) for row in range(self.windows.count()))
        return [str(i.data(Qt.ItemDataRole.UserRole)) for i in items if i.checkState() == Qt.CheckState.Checked]

    def submit(self) -> None:
        """Checked here by the core's rules (the centre checks again); a clash with another row is named."""
        try:
            draft = check_draft(self.name.text(), self.prefix.text(), self.chosen_windows())
        except ValidationError as exc:
            self.status.setText("；".join(exc.errors))
            return
        for other in self.others:
            clash = ("名称", "name") if other.name == draft.name else ("号头", "prefix") \
                if other.prefix == draft.prefix else None
            if clash:
                self.form.set_errors({clash[1]: f"{clash[0]}已由“{other.name}”使用"})
                return
        self.result_draft = draft
        self.accept()


class CategoriesDialog(QDialog):
    """`saved` carries a line for the main window's status bar."""

    saved = Signal(str)

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("排队类别（大厅叫号）")
        self.setObjectName("queueCategories")
        self.resize(760, 420)
        self.db = db
        self.actor = actor
        self.runner = runner
        self.windows: tuple[tuple[str, str], ...] = ()
        self.names: dict[str, str] = {}
        self.waiting: dict[str, int] = {}
        self.loaded = False
        self.busy = False
        self.editor: CategoryEditor | None = None
        self.model: RecordTableModel[CategoryDraft] = RecordTableModel([
            ("序号", lambda d: str(self.model.rows().index(d) + 1)),
            ("类别名称", lambda d: d.name),
            ("号头", lambda d: d.prefix),
            ("办理窗口", lambda d: d.windows_label(self.names)),
            ("今日等候", lambda d: f"{self.waiting[d.name]} 人" if d.name in self.waiting else "新增"),
        ])
        self.table = make_table(self.model, "categoryTable", 3)
        self.table.activated.connect(lambda _i: self.edit_selected())
        intro = QLabel("取号机按此顺序显示类别按钮（数字键 1–9）。修改在本窗口内进行，按“保存到中心”后整体生效；"
                       "今天还有未叫完号的类别不能删除。")
        intro.setWordWrap(True)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for action, label, slot in (("add", "新增", self.add), ("edit", "修改", self.edit_selected),
                                    ("remove", "删除", self.remove_selected), ("up", "上移", lambda: self.move_selected(-1)),
                                    ("down", "下移", lambda: self.move_selected(1))):
            button = QPushButton(f"{label} {shortcut(SCREEN, action).shown}")
            button.setObjectName(f"category_{action}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys act on the list, which keeps the focus
            button.clicked.connect(slot)
            if action != "edit":  # Enter on the list edits (the table's own activation)
                bind(self, SCREEN, action, slot)
            row.addWidget(button)
            self.buttons[action] = button
        row.addStretch(1)
        self.status = status_label()
        self.save_button = QPushButton(f"保存到中心 {shortcut(SCREEN, 'save').shown}")
        self.save_button.setObjectName("category_save")
        self.save_button.clicked.connect(self.save)
        bind(self, SCREEN, "save", self.save)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        for button in (*self.buttons.values(), self.save_button, close):
            button.setAutoDefault(False)  # Enter on the list edits its row; it must not also press a button
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(close)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.table.setFocus()
        self._enable()
        self.load()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter on the list opens its row (the table's activation) and nothing else: QDialog would press a
        default button, and the row editor just opened is a child whose 确定 is one."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def load(self) -> None:
        self.status.setText("正在从中心读取排队类别…")
        self.runner.submit(lambda: client.status(self.db), self._loaded, self._failed)

    def _loaded(self, status: QueueStatus) -> None:
        self._show(status)
        self.status.setText("")

    def _show(self, status: QueueStatus, keep: str | None = None) -> None:
        self.loaded = True
        self.windows = status.windows
        self.names = dict(status.windows)
        self.waiting = {c.name: c.waiting for c in status.categories}
        self._set(drafts_of(status), keep)

    def _set(self, drafts: list[CategoryDraft], keep: str | None = None) -> None:
        self.model.set_rows(drafts)
        names = [d.name for d in drafts]
        if names:
            self.table.selectRow(names.index(keep) if keep in names else 0)
        self._enable()

    def _enable(self) -> None:
        for button in (*self.buttons.values(), self.save_button):
            button.setEnabled(self.loaded and not self.busy)

    def _failed(self, exc: BaseException) -> bool:
        self.busy = False
        self._enable()
        if isinstance(exc, QueueUnavailable):
            self.status.setText(f"{exc.message}。排队类别只能在联网时修改。")
            return True
        return report_on(self.status, exc)

    def _current(self) -> CategoryDraft | None:
        return self.model.row_at(self.table.currentIndex().row())

    # -- editing the list here ---------------------------------------------------------------------------

    def add(self) -> None:
        self._edit(None)

    def edit_selected(self) -> None:
        current = self._current()
        if current is not None:
            self._edit(current)

    def _edit(self, draft: CategoryDraft | None) -> None:
        if not self.loaded or self.busy:
            return
        others = [d for d in self.model.rows() if d is not draft]
        self.editor = CategoryEditor(draft, self.windows, others, self)
        self.editor.accepted.connect(lambda: self._edited(draft))
        self.editor.open()

    def _edited(self, before: CategoryDraft | None) -> None:
        assert self.editor is not None and self.editor.result_draft is not None
        after = self.editor.result_draft
        rows = self.model.rows()
        if before is None:
            rows.append(after)
        else:
            rows[rows.index(before)] = after
        self._set(rows, after.name)
        self.status.setText("已修改，尚未保存到中心")
        self.table.setFocus()

    def remove_selected(self) -> None:
        current = self._current()
        if current is None or not self.loaded or self.busy:
            return
        rows = [d for d in self.model.rows() if d is not current]
        at = self.table.currentIndex().row()
        self._set(rows, rows[min(at, len(rows) - 1)].name if rows else None)
        waiting = self.waiting.get(current.name, 0)
        self.status.setText(f"已删除“{current.name}”，尚未保存到中心"
                            + (f"（今天还有 {waiting} 人等候，中心将拒绝删除）" if waiting else ""))

    def move_selected(self, step: int) -> None:
        current = self._current()
        if current is None or not self.loaded or self.busy:
            return
        rows = self.model.rows()
        at = rows.index(current)
        to = at + step
        if not 0 <= to < len(rows):
            return
        rows[at], rows[to] = rows[to], rows[at]
        self._set(rows, current.name)
        self.status.setText("已调整顺序，尚未保存到中心")

    # -- saving to the centre ----------------------------------------------------------------------------

    def save(self) -> None:
        if not self.loaded or self.busy:
            return
        drafts = self.model.rows()
        keep = self._current()
        self.busy = True
        self._enable()
        self.status.setText("正在保存到中心…")
        self.runner.submit(lambda: save_categories(self.db, self.actor, drafts),
                           lambda status: self._saved(status, keep.name if keep else None), self._failed)

    def _saved(self, status: QueueStatus, keep: str | None) -> None:
        self.busy = False
        self._show(status, keep)
        text = f"排队类别已保存到中心，共 {len(status.categories)} 个"
        self.status.setText(text)
        self.saved.emit(text)
