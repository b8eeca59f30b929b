"""Read-only table models over plain records, with columns given as (header, getter); whole or paged."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from app.services.paging import PAGE_SIZE, Page
from app.ui.tasks import TaskRunner

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel, Generic[T]):
    def __init__(self, columns: Sequence[tuple[str, Callable[[T], Any]]]) -> None:
        super().__init__()
        self._columns = list(columns)
        self._rows: list[T] = []
        self._muted: Callable[[T], bool] = lambda _r: False
        self._background: Callable[[T], str | None] = lambda _r: None

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_background(self, colour_of: Callable[[T], str | None]) -> None:
        """Rows get the background colour (#rrggbb) colour_of returns, or none (the warning lights)."""
        self._background = colour_of

    def set_muted(self, predicate: Callable[[T], bool]) -> None:
        """Rows for which predicate holds are shown grey (retired items, inactive staff)."""
        self._muted = predicate

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[T]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            # the tooltip is the whole text: a narrow column elides long names (城乡居民基本养老…)
            value = self._columns[index.column()][1](record)
            text = "" if value is None else str(value)
            return text if role == Qt.ItemDataRole.DisplayRole or text else None
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = self._background(record)
            if colour is None:
                return None
            from PySide6.QtGui import QColor

            return QColor(colour)
        if role == Qt.ItemDataRole.ForegroundRole and self._muted(record):
            from PySide6.QtGui import QColor

            return QColor("#888888")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section][0]
        return None


class PagedRecordModel(RecordTableModel[T]):
    """A list read a page at a time, as the clerk scrolls, that knows how many rows it holds in all.

    `load(fetch)` starts over with a query (a new search or filter): fetch(offset, limit) runs on the
    task runner and returns a Page. The view asks for the next page (canFetchMore/fetchMore) when it
    scrolls to the end. Pages of an earlier query that arrive late are dropped, so a quick typist never
    sees the rows of what they typed before.
    """

    loaded = Signal()  # the first page of a query arrived
    total_changed = Signal(int)

    def __init__(self, columns: Sequence[tuple[str, Callable[[T], Any]]], runner: TaskRunner,
                 parent: QObject, page_size: int = PAGE_SIZE) -> None:
        super().__init__(columns)
        self.setParent(parent)  # deleted with its view, so a page arriving after the view closed is dropped
        self._runner = runner
        self._page_size = page_size
        self._fetch: Callable[[int, int], Page[T]] | None = None
        self._total = 0
        self._generation = 0
        self._pending = False
        self._keep: object = None  # the key of the record to select again after a reload

    def total(self) -> int:
        """Rows the query matches, whether fetched yet or not (the 共 N 件 of the screen)."""
        return self._total

    def load(self, fetch: Callable[[int, int], Page[T]]) -> None:
        self._keep = None
        self._generation += 1
        self._fetch = fetch
        self._request(0)

    def reload(self, keep: object = None) -> None:
        """The same query again after a change, as many rows as were fetched: the list does not jump back.
        `keep`: the key of the record the clerk had selected, found again by kept_row once loaded."""
        self._keep = keep
        if self._fetch is not None:
            self._generation += 1
            self._request(0, max(self._page_size, len(self._rows)))

    def kept_row(self, key: Callable[[T], object]) -> int:
        """The row of the record kept across the last reload (by `key`), else the first."""
        keep, self._keep = self._keep, None
        keys = [key(record) for record in self._rows]
        return keys.index(keep) if keep is not None and keep in keys else 0

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return (not parent.isValid() and self._fetch is not None and not self._pending
                and len(self._rows) < self._total)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._request(len(self._rows))

    def _request(self, offset: int, size: int | None = None) -> None:
        fetch, size, generation = self._fetch, size or self._page_size, self._generation
        assert fetch is not None
        self._pending = True
        self._runner.submit(lambda: fetch(offset, size), lambda page: self._arrived(generation, offset, page),
                            lambda _exc: self._failed(generation))

    def _failed(self, generation: int) -> bool:
        if shiboken6.isValid(self) and generation == self._generation:
            self._pending = False
        return False  # the runner still reports the error

    def _arrived(self, generation: int, offset: int, page: Page[T]) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # the view has closed, or the clerk has since replaced the query
        self._pending = False
        if offset == 0:
            self._total = page.total
            self.set_rows(page.rows)
            self.total_changed.emit(self._total)
            self.loaded.emit()
            return
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()
        total = page.total if page.rows else len(self._rows)  # rows were deleted meanwhile: stop asking
        if total != self._total:
            self._total = total
            self.total_changed.emit(total)


def make_table(model: QAbstractTableModel, object_name: str, stretch_column: int) -> QTableView:
    """A read-only, row-selecting table as every list in the workstation uses it."""
    return setup_table(QTableView(), model, object_name, stretch_column)


def setup_table(table: QTableView, model: QAbstractTableModel, object_name: str, stretch_column: int) -> QTableView:
    """Give a table (or a subclass with keys of its own) the workstation's one list look."""
    table.setObjectName(object_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setTabKeyNavigation(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    return table
