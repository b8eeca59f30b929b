"""The F1 window: every shortcut of the screens this user has, generated from app.ui.shortcuts.

A scrolling window rather than a message box: the full list is taller than a 1366×768 screen.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app.ui.shortcuts import help_lines


def help_html(screens: list[str]) -> str:
    rows: list[str] = []
    for line in help_lines(screens):
        if line.startswith("【"):
            rows.append(f"<tr><td colspan='2' style='padding-top:8px'><b>{escape(line.strip('【】'))}</b></td></tr>")
        else:
            key, _sep, label = line.partition("　")
            rows.append(f"<tr><td style='padding-right:16px'><code>{escape(key)}</code></td>"
                        f"<td>{escape(label)}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


class ShortcutsDialog(QDialog):
    def __init__(self, screens: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsHelp")
        self.setWindowTitle("快捷键一览")
        self.resize(600, 560)
        self.text = QTextBrowser()
        self.text.setHtml(help_html(screens))
        buttons = QDialogButtonBox()
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
