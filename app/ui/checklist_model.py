"""The material checklist of an item: one row per material, ticked when the citizen has it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from app.services.cases.form import Received
from app.services.catalog.data import MaterialData, is_missing, missing_materials

Index = QModelIndex | QPersistentModelIndex
HEADERS = ["已带", "序号", "材料名称", "原件收取", "原件核验", "复印件", "电子件", "要求"]


def _count(n: int) -> str:
    return f"{n}份" if n else "—"


class ChecklistModel(QAbstractTableModel):
    ticks_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._materials: list[MaterialData] = []
        self._ticked: set[int] = set()  # material numbers, from 1

    def set_materials(self, materials: list[MaterialData], ticked: set[int] | None = None) -> None:
        self.beginResetModel()
        self._materials = list(materials)
        self._ticked = {t for t in (ticked or set()) if 1 <= t <= len(materials)}
        self.endResetModel()
        self.ticks_changed.emit()

    def materials(self) -> list[MaterialData]:
        return list(self._materials)

    def ticked(self) -> list[int]:
        return sorted(self._ticked)

    def toggle(self, row: int) -> None:
        if 0 <= row < len(self._materials):
            self._ticked ^= {row + 1}
            index = self.index(row, 0)
            self.dataChanged.emit(index, self.index(row, len(HEADERS) - 1))
            self.ticks_changed.emit()

    def missing(self) -> list[tuple[int, MaterialData]]:
        return missing_materials(self._materials, self._ticked)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._materials)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        seq = index.row() + 1
        m = self._materials[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            return Qt.CheckState.Checked if seq in self._ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            values = [
                "已带" if seq in self._ticked else ("缺" if m.required else ""),
                str(seq),
                m.name,
                _count(m.originals_kept),
                _count(m.originals_checked),
                _count(m.copies),
                "需要" if m.electronic else "—",
                "必要" if m.required else f"视情形：{m.condition}",
            ]
            return values[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 0 and is_missing(m, seq, self._ticked):
            return QColor("#b00020")
        if role == Qt.ItemDataRole.ToolTipRole:
            about = "；".join(p for p in (m.description, m.form_name and f"表格/样表：{m.form_name}") if p)
            # the name and 要求 columns are elided when long: their tooltip leads with the whole text
            whole = {2: m.name, 7: "必要" if m.required else f"视情形：{m.condition}"}.get(column, "")
            return "\n".join(p for p in (whole, about) if p) or None
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            if checked != (index.row() + 1 in self._ticked):
                self.toggle(index.row())
            return True
        return False

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None


COUNT_COLUMNS = {3: "originals_kept", 4: "originals_checked", 5: "copies"}
ELECTRONIC_COLUMN = 6


class ReceivedModel(ChecklistModel):
    """The acceptance checklist: counts start as the catalogue asks and can be edited as received."""

    def __init__(self) -> None:
        super().__init__()
        self._counts: dict[int, dict[str, int | bool]] = {}
        self._pages: dict[int, int] = {}  # pages captured per material, shown in 电子件

    def set_materials(self, materials: list[MaterialData], ticked: set[int] | None = None) -> None:
        self._counts = {
            seq: {"originals_kept": m.originals_kept, "originals_checked": m.originals_checked, "copies": m.copies,
                  "electronic": m.electronic}
            for seq, m in enumerate(materials, start=1)
        }
        self._pages = {}
        super().set_materials(materials, ticked)

    def set_pages(self, pages: dict[int, int]) -> None:
        """The pages the camera panel holds per material: a captured page is an electronic copy received."""
        if pages != self._pages:
            self._pages = dict(pages)
            if self._materials:
                self.dataChanged.emit(self.index(0, ELECTRONIC_COLUMN),
                                      self.index(len(self._materials) - 1, ELECTRONIC_COLUMN))
            self.ticks_changed.emit()

    def _electronic(self, seq: int) -> bool:
        return bool(self._counts.get(seq, {}).get("electronic")) or self._pages.get(seq, 0) > 0

    def set_counts(self, seq: int, counts: dict[str, int | bool]) -> None:
        """Show a material as it was actually received earlier (its stored counts)."""
        if seq in self._counts:
            self._counts[seq].update({k: counts[k] for k in self._counts[seq] if k in counts})

    def received(self) -> list[Received]:
        return [
            Received(seq, int(c["originals_kept"]), int(c["originals_checked"]), int(c["copies"]), self._electronic(seq))
            for seq, c in sorted(self._counts.items())
            if seq in set(self.ticked())
        ]

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() in COUNT_COLUMNS:
            return flags | Qt.ItemFlag.ItemIsEditable
        if index.column() == ELECTRONIC_COLUMN:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        counts = self._counts.get(index.row() + 1, {})
        column = index.column()
        if column in COUNT_COLUMNS:
            value = int(counts.get(COUNT_COLUMNS[column], 0))
            if role == Qt.ItemDataRole.EditRole:
                return value
            if role == Qt.ItemDataRole.DisplayRole:
                return _count(value)
        if column == ELECTRONIC_COLUMN:
            seq = index.row() + 1
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if self._electronic(seq) else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.DisplayRole:
                pages = self._pages.get(seq, 0)
                return f"{pages}页" if pages else ("已收" if counts.get("electronic") else "—")
            if role == Qt.ItemDataRole.ToolTipRole and self._pages.get(seq):
                return f"已拍摄或添加 {self._pages[seq]} 页电子件"
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        seq, column = index.row() + 1, index.column()
        if column in COUNT_COLUMNS and role == Qt.ItemDataRole.EditRole:
            try:
                number = int(value)
            except (TypeError, ValueError):
                return False
            if not 0 <= number <= 99:
                return False
            self._counts[seq][COUNT_COLUMNS[column]] = number
        elif column == ELECTRONIC_COLUMN and role == Qt.ItemDataRole.CheckStateRole:
            self._counts[seq]["electronic"] = Qt.CheckState(value) == Qt.CheckState.Checked
        else:
            return super().setData(index, value, role)
        self.dataChanged.emit(index, index)
        self.ticks_changed.emit()
        return True


def missing_summary(missing: list[tuple[int, MaterialData]], complete: str) -> str:
    """The line under a checklist: the required materials still missing in red, else `complete` in green."""
    if not missing:
        return f"<span style='color:#2e7d32'>{complete}</span>"
    names = "；".join(f"{seq}. {m.name}" for seq, m in missing)
    return f"<span style='color:#b00020'>尚缺必要材料 {len(missing)} 项：{names}</span>"
