"""The statistics period picker: 日 / 月 / 季 / 年 / 自定义, stepped back and forth by Alt+Left / Alt+Right.

The calendar arithmetic (`bounds`, `step`) is plain Python so a test can check it without a window; the
widget shows the period's first and last day, and for a fixed kind the first date re-anchors the period
(type any day of the wanted month), while 自定义 takes both dates as typed.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QPushButton, QWidget

from app.clock import local_today
from app.services.stats.periods import quarter_title
from app.ui.forms import to_date
from app.ui.shortcuts import shortcut

KINDS: dict[str, str] = {"day": "日", "month": "月", "quarter": "季", "year": "年", "custom": "自定义"}


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def bounds(kind: str, anchor: date) -> tuple[date, date]:
    """The day, month, quarter or year that holds `anchor` (自定义: just that day)."""
    if kind == "month":
        return anchor.replace(day=1), _month_end(anchor.year, anchor.month)
    if kind == "quarter":
        first_month = (anchor.month - 1) // 3 * 3 + 1
        return date(anchor.year, first_month, 1), _month_end(anchor.year, first_month + 2)
    if kind == "year":
        return date(anchor.year, 1, 1), date(anchor.year, 12, 31)
    return anchor, anchor


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def step(kind: str, first: date, last: date, delta: int) -> tuple[date, date]:
    """The period `delta` steps before (negative) or after the one shown; 自定义 moves by its own length."""
    if kind == "day":
        day = first + timedelta(days=delta)
        return day, day
    if kind in ("month", "quarter", "year"):
        months = {"month": 1, "quarter": 3, "year": 12}[kind]
        return bounds(kind, _add_months(first, months * delta))
    length = (last - first).days + 1
    return first + timedelta(days=length * delta), last + timedelta(days=length * delta)


def period_text(kind: str, first: date, last: date) -> str:
    """How the period is named on screen: 2026年11月, 2026年第四季度 (as the report names it), 2026年."""
    if kind == "month":
        return f"{first.year}年{first.month}月"
    if kind == "quarter":
        return quarter_title(first.year, (first.month - 1) // 3 + 1)
    if kind == "year":
        return f"{first.year}年"
    if first == last:
        return f"{first.year}年{first.month}月{first.day}日"
    return f"{first.isoformat()} 至 {last.isoformat()}"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class PeriodPicker(QWidget):
    """Emits `changed(first, last)` once per change the user makes (or a step)."""

    changed = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox()
        self.kind.setObjectName("statsPeriodKind")
        for key, text in KINDS.items():
            self.kind.addItem(text, key)
        self.kind.setCurrentIndex(self.kind.findData("month"))
        self.date_from = self._date_edit("statsFrom")
        self.date_to = self._date_edit("statsTo")
        self.previous_button = QPushButton("◀ 上一期")
        self.previous_button.setToolTip(f"{shortcut('stats', 'previous_period').shown}：上一日、上一月、上一季度或上一年")
        self.next_button = QPushButton("下一期 ▶")
        self.next_button.setToolTip(f"{shortcut('stats', 'next_period').shown}：下一日、下一月、下一季度或下一年")
        self.shown = QLabel()
        self.shown.setObjectName("statsPeriodText")
        label = QLabel("期间(&D)")
        label.setBuddy(self.kind)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(self.kind)
        row.addWidget(self.date_from)
        row.addWidget(QLabel("至"))
        row.addWidget(self.date_to)
        row.addWidget(self.previous_button)
        row.addWidget(self.next_button)
        row.addWidget(self.shown)
        self._first, self._last = bounds("month", local_today())
        self._show()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.date_from.dateChanged.connect(self._from_changed)
        self.date_to.dateChanged.connect(self._to_changed)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.setFocusProxy(self.kind)

    @staticmethod
    def _date_edit(name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(QDate(2000, 1, 1))
        edit.setMaximumDate(QDate(2099, 12, 31))
        return edit

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def period(self) -> tuple[date, date]:
        return self._first, self._last

    def text(self) -> str:
        return period_text(self.current_kind(), self._first, self._last)

    def set_period(self, kind: str, first: date, last: date | None = None) -> None:
        """Show a period (a test, or the lead's wiring); a fixed kind takes the period holding `first`."""
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.kind.blockSignals(False)
        self._set(*(bounds(kind, first) if kind != "custom" else (first, last or first)))

    def step(self, delta: int) -> None:
        self._set(*step(self.current_kind(), self._first, self._last, delta))

    def _kind_changed(self, _index: int) -> None:
        kind = self.current_kind()
        self._set(*(bounds(kind, self._first) if kind != "custom" else (self._first, self._last)))

    def _from_changed(self, value: QDate) -> None:
        kind, day = self.current_kind(), to_date(value)
        if kind == "custom":
            self._set(day, max(day, self._last))
        else:
            self._set(*bounds(kind, day))

    def _to_changed(self, value: QDate) -> None:
        if self.current_kind() == "custom":
            day = to_date(value)
            self._set(min(self._first, day), day)

    def _set(self, first: date, last: date) -> None:
        if (first, last) == (self._first, self._last):
            self._show()
            return
        self._first, self._last = first, last
        self._show()
        self.changed.emit(first, last)

    def _show(self) -> None:
        for edit, day in ((self.date_from, self._first), (self.date_to, self._last)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self.date_to.setEnabled(self.current_kind() == "custom")
        self.shown.setText(self.text())
