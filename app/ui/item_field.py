"""A one-line item chooser with pinyin search, for forms where a whole list would not fit."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from app.services.catalog.search import ItemSummary, search

MAX_SUGGESTIONS = 12


class ItemField(QLineEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[ItemSummary] = []
        self._suggestions = QStringListModel(self)
        completer = QCompleter(self._suggestions, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCompleter(completer)
        self.setPlaceholderText("可不填；输入名称、编码或拼音首字母后选择")
        self.textEdited.connect(self._suggest)

    def set_items(self, items: list[ItemSummary]) -> None:
        self._items = [i for i in items if not i.retired]

    def _suggest(self, text: str) -> None:
        matches = search(self._items, text)[:MAX_SUGGESTIONS] if text.strip() else []
        self._suggestions.setStringList([f"{i.code}  {i.name}" for i in matches])
        if matches:
            self.completer().complete()

    def item_code(self) -> str:
        """The chosen item's code; empty when the field is empty or names no single item."""
        text = self.text().strip()
        if not text:
            return ""
        first = text.split()[0].upper()
        codes = {i.code.upper(): i.code for i in self._items}
        if first in codes:
            return codes[first]
        exact = [i for i in self._items if i.name == text or text in i.aliases.split("、")]
        return exact[0].code if len(exact) == 1 else ""

    def set_code(self, code: str) -> None:
        item = next((i for i in self._items if i.code == code), None)
        self.setText(f"{item.code}  {item.name}" if item else "")
