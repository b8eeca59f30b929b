"""差评整改: every bad rating's rectification with its state, deadline light and call-back, a page at a
time; the director's 未回访 list; the selected one's history; and its next steps as buttons that are
enabled only when the core would take them from this user (核实, 回访, 办结, 申诉, 申诉复核)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import changes
from app.actor import Actor
from app.database import Database
from app.services.ratings.listing import (
    ACTIONS,
    VIEWS,
    RectificationDetail,
    RectificationItem,
    actions_for,
    page_rectifications,
    rectification_detail,
)
from app.ui.change_watch import watch
from app.ui.ratings.dialogs import RectificationDialog
from app.ui.table_model import PagedRecordModel, make_table
from app.ui.tasks import TaskRunner

LIGHT_COLOURS = {"yellow": "#fff3cd", "red": "#f8d7da"}  # as the case list colours its rows
MNEMONICS = {"verify": "Y", "callback": "C", "close": "J", "appeal": "A", "decide": "F"}  # app.ui.shortcuts "ratings"
TIPS = {"verify": "核实差评所说是否属实，转入整改中", "callback": "记录回访：回访人为当前用户，时间为现在",
        "close": "办结整改：已整改，或无法整改（写明原因和新的期限）", "appeal": "被评价的工作人员本人提出申诉",
        "decide": "中心主任复核申诉：成立则该评价不计入任何统计"}


def due_text(item: RectificationItem) -> str:
    text = f"{item.due_date:%Y-%m-%d}"
    return text + (f" {item.light.label}" if item.light.colour in LIGHT_COLOURS else "")


def detail_html(detail: RectificationDetail) -> str:
    """The rating, the rectification's state and its whole history, for the pane beside the list."""
    item = detail.item
    rows = "".join(f"<tr><td>{h.at.astimezone():%Y-%m-%d %H:%M}</td><td>{escape(h.label)}</td>"
                   f"<td>{escape(h.staff_name)}</td><td>{escape(h.text)}</td></tr>" for h in detail.history)
    appeal = f"　<b>{escape(detail.appeal_label)}</b>" if detail.appeal else ""
    excluded = ("<p style='color:#555;background:#eeeeee'>申诉成立：该评价保留，但不计入任何统计。</p>"
                if item.excluded else "")
    if detail.kept_by:
        excluded += (f"<p style='color:#7a4b00;background:#fff3cd'>由{escape(detail.kept_by)}登记整改，本机为同步来的副本："
                     "核实、回访、办结在那里办理；中心主任可在此复核申诉，那里同步后状态随之更新。</p>")
    return (f"<h3>{escape(item.level_label)}　{escape(item.target_number)}</h3>{excluded}"
            f"<p>评价时间 {item.rated_at.astimezone():%Y-%m-%d %H:%M}<br>原因 {escape(item.reasons_text or '—')}<br>"
            f"评价内容 {escape(item.text or '—')}<br>被评价人 {escape(item.staff_name)}（{escape(item.staff_no)}）"
            f" {escape(item.window)}<br>{escape(item.status_label)}　整改期限 {escape(due_text(item))}　"
            f"{escape(item.callback_label)}{appeal}</p>"
            f"<h4>整改记录</h4><table border='1' cellspacing='0' cellpadding='3'>{rows}</table>")


class RectificationsTab(QWidget):
    step_done = Signal(str)  # a line for the status bar

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner = db, actor, runner
        self.detail: RectificationDetail | None = None
        self.dialog: RectificationDialog | None = None
        self.view = QComboBox()
        self.view.setObjectName("rectificationView")
        for key, text in VIEWS.items():
            self.view.addItem(text, key)
        self.view.setToolTip("未回访：实名差评中还没有回访的（申诉成立的无需回访）")
        self.model: PagedRecordModel[RectificationItem] = PagedRecordModel(
            [
                ("评价时间", lambda r: f"{r.rated_at.astimezone():%m-%d %H:%M}"),
                ("编号", lambda r: r.target_number),
                ("被评价人", lambda r: f"{r.staff_name}（{r.staff_no}）"),
                ("等级", lambda r: r.level_label),
                ("原因", lambda r: r.reasons_text),
                ("状态", lambda r: r.status_label),
                ("整改期限", due_text),
                ("回访", lambda r: r.callback_label),
            ],
            runner,
            self,
        )
        self.model.set_background(lambda r: LIGHT_COLOURS.get(r.light.colour))
        self.model.set_muted(lambda r: r.excluded)
        self.model.loaded.connect(self._loaded)
        self.model.total_changed.connect(self._show_total)
        self.table = make_table(self.model, "rectificationTable", 4)
        self.pane = QTextBrowser()
        self.pane.setObjectName("rectificationDetail")
        self.count = QLabel()
        self.buttons: dict[str, QPushButton] = {}
        top = QHBoxLayout()
        label = QLabel("列表(&L)")
        label.setBuddy(self.view)
        top.addWidget(label)
        top.addWidget(self.view)
        for step, text in ACTIONS.items():
            button = QPushButton(f"{text}(&{MNEMONICS[step]})…")
            button.setToolTip(TIPS[step])
            button.setEnabled(False)
            button.clicked.connect(lambda _checked=False, s=step: self.open_step(s))
            self.buttons[step] = button
            top.addWidget(button)
        top.addWidget(self.count, 1)
        self.ledger_row = QHBoxLayout()  # the view adds 打印整改台账 and 导出Excel here
        top.addLayout(self.ledger_row)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.pane)
        splitter.setStretchFactor(0, 6)
        splitter.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.view.currentIndexChanged.connect(self.load)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._show(cur.row()))
        self.setFocusProxy(self.table)
        watch(self, db, changes.RATINGS | changes.CALENDAR | changes.SETTINGS, self.refresh)  # lights too

    def _show_total(self, total: int) -> None:
        self.count.setText(f"共 {total} 条")  # every match, not only the rows fetched so far

    def load(self) -> None:
        view = str(self.view.currentData() or "")
        self.model.load(lambda offset, limit: page_rectifications(self.db, view, offset, limit))

    def refresh(self) -> None:
        """The same list again after a change, keeping the selected rectification selected."""
        item = self.selected()
        self.model.reload(keep=item.id if item else None)

    def show_view(self, view: str) -> None:
        self.view.setCurrentIndex(self.view.findData(view))

    def selected(self) -> RectificationItem | None:
        return self.model.row_at(self.table.currentIndex().row())

    def _loaded(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(self.model.kept_row(lambda r: r.id))
        else:
            self._offer(None)
            self.pane.setHtml("<p>没有差评整改记录。</p>")

    def _show(self, row: int) -> None:
        item = self.model.row_at(row)
        if item is None or self.detail is None or self.detail.item.id != item.id:
            self._offer(None)  # another one: nothing is offered until its detail is read (a reload keeps them)
        if item is not None:
            key = item.id
            self.runner.submit(lambda: rectification_detail(self.db, key), self._detail_arrived)

    def _detail_arrived(self, detail: RectificationDetail) -> None:
        current = self.selected()
        if current is None or current.id != detail.item.id:
            return  # the clerk has moved on meanwhile
        self.pane.setHtml(detail_html(detail))
        self._offer(detail)

    def _offer(self, detail: RectificationDetail | None) -> None:
        """Enable exactly the steps the core would take from this user now."""
        self.detail = detail
        allowed = actions_for(detail, self.actor) if detail is not None else ()
        for step, button in self.buttons.items():
            button.setEnabled(step in allowed)

    def open_step(self, step: str) -> None:
        detail = self.detail
        if detail is None or step not in actions_for(detail, self.actor):
            return
        self.dialog = RectificationDialog(self.db, self.actor, self.runner, detail.item, step, self)
        self.dialog.finished_step.connect(self._step_finished)
        self.dialog.open()

    def _step_finished(self, step: str, _key: str) -> None:
        item = self.detail.item if self.detail is not None else None
        self.step_done.emit(f"{ACTIONS[step]}已记录" + (f"：{item.target_number}" if item else ""))
        self.window().activateWindow()  # back to the list with the keyboard, for the next step
        self.table.setFocus()
