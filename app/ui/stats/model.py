"""The statistics table on screen: one row per window, clerk, item or node, the total last and bold.

Columns are the name and then every figure of app.services.stats.figures.FIGURES in order; a header's
tooltip is that figure's one written definition. Sorting by any column keeps the total row last (it is
not one of the rows being compared), and a figure with no value (a share of nothing) sorts after every
value in either direction.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.services.stats.figures import FIGURES
from app.services.stats.report import StatsRow, format_value

Index = QModelIndex | QPersistentModelIndex
NAME_TOOLTIP = "窗口（代办点）、工作人员、事项或节点的名称；最后一行为合计（排序时始终在最后）"


class StatsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[StatsRow] = []
        self._total: StatsRow | None = None
        self._name_header = "名称"
        self._sorted: tuple[int, Qt.SortOrder] | None = None

    # --- content --------------------------------------------------------------------------------

    def set_table(self, rows: tuple[StatsRow, ...] | list[StatsRow], total: StatsRow | None,
                  name_header: str = "名称") -> None:
        """New figures; the sort the user chose stays."""
        self.beginResetModel()
        self._rows = list(rows)
        self._total = total
        self._name_header = name_header
        if self._sorted is not None:
            self._sort_rows(*self._sorted)
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 0)

    def row_at(self, row: int) -> StatsRow | None:
        """The record shown on a line (the total on the last line, when there is one)."""
        if 0 <= row < len(self._rows):
            return self._rows[row]
        if self._total is not None and row == len(self._rows):
            return self._total
        return None

    def is_total(self, row: int) -> bool:
        return self._total is not None and row == len(self._rows)

    def rows(self) -> list[StatsRow]:
        return list(self._rows)

    @staticmethod
    def figure_key(column: int) -> str | None:
        return FIGURES[column - 1].key if column >= 1 else None

    # --- Qt model -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows) + (1 if self._total is not None else 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(FIGURES) + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.row_at(index.row())
        if record is None:
            return None
        key = self.figure_key(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if key is None:
                return record.label
            return format_value(key, record.values.get(key))
        if role == Qt.ItemDataRole.FontRole and self.is_total(index.row()):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and key is not None:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return self._name_header
            figure = FIGURES[section - 1]
            return figure.label_cn + ("(%)" if figure.unit == "%" else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            return NAME_TOOLTIP if section == 0 else FIGURES[section - 1].definition_cn
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < self.columnCount():
            self._sorted = None  # no column: the rows stay as counted
            return
        self.layoutAboutToBeChanged.emit()
        self._sorted = (column, order)
        before = list(self._rows)
        self._sort_rows(column, order)
        # the selection and the cursor follow their records to the new lines (Qt's contract for a sort):
        # the row chosen stays the row chosen, and the split chart drawn for it stays right
        moved = {id(record): line for line, record in enumerate(self._rows)}
        old_indexes = self.persistentIndexList()
        new_indexes = [self.index(moved[id(before[i.row()])], i.column()) if i.row() < len(before) else i
                       for i in old_indexes]
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        key = self.figure_key(column)
        if key is None:
            named = sorted((r for r in self._rows if r.key), key=lambda r: r.label, reverse=descending)
            self._rows = named + [r for r in self._rows if not r.key]  # （未指明） stays after the named
            return
        valued = [r for r in self._rows if r.values.get(key) is not None]
        empty = [r for r in self._rows if r.values.get(key) is None]
        valued.sort(key=lambda r: (float(r.values[key] or 0), r.label), reverse=descending)
        self._rows = valued + empty
