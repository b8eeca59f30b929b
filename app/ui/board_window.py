"""超期公示 on a screen: a read-only, full-screen board for the hall's TV or the window PC's second screen.

It shows, window by window, the overdue open cases and those completed in the last days, with large
type and the applicants' names masked (app.services.cases.board). It keeps itself current: at once when
a case, the calendar or the settings change (app.ui.change_watch), and every minute besides, since a
case turns overdue when the day changes with nothing written. What does not fit on the screen is paged
(one window's list at a time, in pages as tall as the screen) and the pages turn by themselves. F11
switches between full screen and a window, PgDn/PgUp turn pages by hand, F5 refreshes, Esc leaves.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QColor, QFont, QFontMetrics, QGuiApplication, QResizeEvent, QScreen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLayout,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import changes
from app.clock import local_now
from app.database import Database
from app.services.cases.board import PER_WINDOW, Board, BoardLine, load_board
from app.ui.change_watch import watch
from app.ui.key_binding import bind
from app.ui.tasks import TaskRunner

REFRESH_MS = 60_000  # a case turns overdue at midnight with nothing written: look again every minute
ADVANCE_MS = 15_000  # long enough to read a page from across the hall
STYLE = """
QWidget#boardWindow {{ background: #0d2340; }}
QLabel {{ color: #ffffff; }}
QLabel#boardTitle {{ font-size: {title}px; font-weight: bold; }}
QLabel#boardSummary {{ font-size: {large}px; color: #ffd54f; }}
QLabel#boardUpdated, QLabel#boardPageNumber {{ font-size: {small}px; color: #b0c4de; }}
QLabel#boardPageTitle {{ font-size: {heading}px; font-weight: bold; padding-top: 8px; }}
QLabel#boardNote {{ font-size: {small}px; color: #b0c4de; }}
QTableWidget {{ background: #12305a; color: #ffffff; gridline-color: #3d5a80; font-size: {base}px; border: none; }}
QHeaderView::section {{ background: #1d4476; color: #ffffff; font-size: {small}px; padding: 6px;
                       border: 1px solid #3d5a80; }}
"""


def type_size(width: int) -> int:
    """The table's type in pixels for a screen this wide: 27 px on a 1920-pixel TV, never below 14."""
    return max(14, min(40, width // 70))


LATE = QColor("#ff8a80")
ON_TIME = QColor("#a5d6a7")
HEADING = QColor("#1d3f6e")  # a list's heading row, a shade lighter than the table


@dataclass(frozen=True)
class BoardBlock:
    """Part of one window's overdue or completed list, under its own heading row."""

    window: str
    completed: bool  # False: 超期未办结; True: recently completed
    lines: tuple[BoardLine, ...]
    total: int  # the whole list's count, not only the lines listed
    hidden: int  # counted but not listed (beyond the board's per-window bound)
    continued: bool  # the list began on an earlier page


@dataclass(frozen=True)
class BoardPage:
    """One screenful: as many lists as fit, each under a heading row; a long list goes on over pages."""

    blocks: tuple[BoardBlock, ...]

    @property
    def hidden(self) -> int:
        return sum(b.hidden for b in self.blocks if not b.continued)


def paginate(board: Board, rows_per_page: int) -> list[BoardPage]:
    """Every window's lists, packed into pages of `rows_per_page` table rows (a heading takes one row,
    and never ends a page alone); a window with nothing to show has no heading."""
    pages: list[BoardPage] = []
    blocks: list[BoardBlock] = []
    used = 0
    rows_per_page = max(rows_per_page, 2)
    for window in board.windows:
        for completed, lines, total, hidden in ((False, window.overdue, window.overdue_total, window.overdue_hidden),
                                                (True, window.completed, window.completed_total,
                                                 window.completed_hidden)):
            start = 0
            while start < len(lines):
                if rows_per_page - used < 2:  # no room for a heading and a line: next page
                    pages.append(BoardPage(tuple(blocks)))
                    blocks, used = [], 0
                take = rows_per_page - used - 1
                blocks.append(BoardBlock(window.window, completed, tuple(lines[start:start + take]), total, hidden,
                                         start > 0))
                used += 1 + len(blocks[-1].lines)
                start += take
    if blocks:
        pages.append(BoardPage(tuple(blocks)))
    return pages


def screen_labels(screens: list[QScreen]) -> list[str]:
    primary = QGuiApplication.primaryScreen()
    return [f"屏幕{i}：{s.name()}（{s.geometry().width()}×{s.geometry().height()}）"
            + ("（主屏幕）" if s is primary else "") for i, s in enumerate(screens, start=1)]


def choose_screen(parent: QWidget) -> QScreen | None:
    """With two screens or more, ask which (the hall TV is usually not the primary); None: cancelled."""
    screens = QGuiApplication.screens()
    if len(screens) < 2:
        return screens[0] if screens else QGuiApplication.primaryScreen()
    labels = screen_labels(screens)
    primary = QGuiApplication.primaryScreen()
    default = next((i for i, s in enumerate(screens) if s is not primary), 0)
    label, ok = QInputDialog.getItem(parent, "超期公示", "在哪个屏幕上全屏显示：", labels, default, False)
    return screens[labels.index(label)] if ok and label in labels else None


class BoardWindow(QWidget):
    def __init__(self, db: Database, runner: TaskRunner, center_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("boardWindow")
        self.setWindowTitle(f"超期办件公示 — {center_name}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._type_size = 0
        self.db = db
        self.runner = runner
        self.board: Board | None = None
        self.pages: list[BoardPage] = []
        self.page_index = 0
        self.loads = 0  # boards received (a test waits for the next one)
        self.title = self._label("boardTitle", f"{center_name}　超期办件公示")
        self.updated = self._label("boardUpdated", "正在读取……")
        self.summary = self._label("boardSummary", "")
        self.page_title = self._label("boardPageTitle", "")
        self.page_number = self._label("boardPageNumber", "")
        self.note = self._label("boardNote", "")
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("boardTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(False)  # one line a case, so a page holds what rows_per_page counted
        self.table.verticalHeader().setVisible(False)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the item's name takes what is left
        for clipped in (self.title, self.page_title, self.summary):  # long lines are cut, the counts never
            clipped.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.updated)
        for right in (self.updated, self.page_number):
            right.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        heading = QHBoxLayout()
        heading.addWidget(self.page_title, 1)
        heading.addWidget(self.page_number)
        layout = QVBoxLayout(self)
        # The screen decides the size: a long line must not raise the window's minimum size, for a
        # resize that Qt makes to honour it takes the window out of full screen.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(32, 24, 32, 20)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self.load)
        self._advance = QTimer(self)
        self._advance.setInterval(ADVANCE_MS)
        self._advance.timeout.connect(self.next_page)
        watch(self, db, changes.CASES | changes.CALENDAR | changes.SETTINGS, self.load)
        bind(self, "board", "full_screen", self.toggle_full_screen)
        bind(self, "board", "next_page", self.next_page)
        bind(self, "board", "previous_page", self.previous_page)
        bind(self, "board", "refresh", self.load)
        bind(self, "board", "close", self.close)
        self._scale(1920)

    @staticmethod
    def _label(name: str, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        return label

    def show_on(self, screen: QScreen) -> None:
        """Full screen on the chosen screen (the hall TV), and start reading and turning pages."""
        if self.isFullScreen():
            self.showNormal()  # a full-screen window moves to another screen only as a normal one
        self.setScreen(screen)
        self.setGeometry(screen.geometry())  # the whole screen even where no window manager enlarges it
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.load()
        self._refresh.start()
        self._advance.start()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def load(self) -> None:
        self.runner.submit(lambda: load_board(self.db, per_window=PER_WINDOW), self._loaded)

    def _loaded(self, board: Board) -> None:
        current = self.pages[self.page_index] if self.pages else None
        self.board = board
        self.loads += 1
        self.updated.setText(f"更新于 {local_now():%m月%d日 %H:%M}")
        self.summary.setText(board.summary)
        self._paginate(current)

    def rows_per_page(self) -> int:
        """As many rows as the table shows without scrolling (at least three)."""
        row = self.table.fontMetrics().height() * 3 // 2 + 8
        header = self.table.horizontalHeader().sizeHint().height()
        return max(3, (self.table.height() - header) // max(row, 1))

    def _paginate(self, keep: BoardPage | None = None) -> None:
        if self.board is None:
            return
        self.pages = paginate(self.board, self.rows_per_page())
        first = (keep.blocks[0].window, keep.blocks[0].completed) if keep and keep.blocks else None
        same = [i for i, p in enumerate(self.pages) if first in {(b.window, b.completed) for b in p.blocks}]
        self.page_index = same[0] if same else 0  # the list that was showing stays on screen
        self._show_page()

    def _scale(self, width: int) -> None:
        """Type in proportion to the screen, so the board reads the same from across the hall on any TV."""
        base = type_size(width)
        if base != self._type_size:
            self._type_size = base
            small = base * 4 // 5
            self.setStyleSheet(STYLE.format(base=base, small=small, large=base, heading=base * 5 // 4,
                                            title=base * 3 // 2))
            font = QFont(self.font())
            font.setPixelSize(small)  # the labels' size in the new style (applied to them later, when polished)
            for label, widest in ((self.updated, "更新于 12月31日 23:59"), (self.page_number, "第 99/99 页")):
                label.setMinimumWidth(QFontMetrics(font).horizontalAdvance(widest) + small)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale(event.size().width())
        if self.pages:
            self._paginate(self.pages[self.page_index])

    def next_page(self) -> None:
        if self.pages:
            self.page_index = (self.page_index + 1) % len(self.pages)
            self._show_page()

    def previous_page(self) -> None:
        if self.pages:
            self.page_index = (self.page_index - 1) % len(self.pages)
            self._show_page()

    def _show_page(self) -> None:
        board = self.board
        if board is None:
            return
        phone = f"监督电话 {board.supervise_phone}"
        if not self.pages:
            self.page_title.setText("目前没有超期办件")
            self.page_number.setText("")
            self.table.setRowCount(0)
            self.note.setText(f"说明：超期按工作日计算。{phone}")
            return
        page = self.pages[self.page_index]
        recent = f"{board.since:%m月%d日}以来办结"
        self.page_title.setText("、".join(dict.fromkeys(b.window for b in page.blocks)))
        self.page_number.setText(f"第 {self.page_index + 1}/{len(self.pages)} 页")
        hidden = f"另有 {page.hidden} 件未在屏幕上列出，详见打印的公示。" if page.hidden else ""
        self.note.setText(f"说明：超期按工作日计算；为保护个人信息，申请人姓名已部分隐藏。{hidden}{phone}")
        self.table.setHorizontalHeaderLabels(["办件编号", "事项", "申请人", "承诺/办结日期", "办理情况", "经办人"])
        self.table.clearSpans()
        self.table.setRowCount(sum(1 + len(b.lines) for b in page.blocks))
        row = 0
        for block in page.blocks:
            what = recent if block.completed else "超期未办结"
            heading = QTableWidgetItem(f"{block.window} · {what}（共 {block.total} 件）"
                                       + ("（续）" if block.continued else ""))
            heading.setForeground(ON_TIME if block.completed else LATE)
            heading.setBackground(HEADING)
            bold = heading.font()
            bold.setBold(True)
            heading.setFont(bold)
            self.table.setItem(row, 0, heading)
            self.table.setSpan(row, 0, 1, self.table.columnCount())
            row += 1
            for line in block.lines:
                day = line.completed if block.completed else line.due_date
                values = (line.number, line.item, line.applicant, f"{day:%m-%d}" if day else "", line.overdue_text,
                          line.staff_name)
                for column, value in enumerate(values):
                    item = QTableWidgetItem(value)
                    if column == 4:
                        item.setForeground(LATE if line.overdue_days or not block.completed else ON_TIME)
                    self.table.setItem(row, column, item)
                row += 1
        self.table.resizeRowsToContents()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._refresh.stop()
        self._advance.stop()
        super().closeEvent(event)

