"""Preview of a printed document with Print (Ctrl+P, or Enter: the print button is the default and has
the focus), Save as PDF (Ctrl+S) and Close (Esc).

The record behind the document (the case, the notice) is already stored when this opens, so a failed
print loses nothing: the clerk is told why and can print again here or later from the list. Only a
print or save that succeeded reports an output, and the first one keeps the document as issued.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.ui import pdf_folder
from app.ui.messages import show_message
from app.ui.page_preview import PagePreview
from app.ui.pdf_render import paint_to_printer
from app.ui.scanner import PASS_SCANS


class DocumentDialog(QDialog):
    """`on_output(target)` is called after a successful print ("printer") or save ("pdf")."""

    def __init__(
        self,
        title: str,
        data: bytes,
        suggested_name: str,
        on_output: Callable[[str], None],
        parent: QWidget | None = None,
        warning: str | None = None,
    ) -> None:
        """`warning` is shown above the pages: a clock that is off puts wrong dates on paper, and a
        character no font draws is printed as □ (the clerk corrects it by hand)."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setProperty(PASS_SCANS, True)  # nothing to type here: scans reach the main window
        self._data = data
        self.suggested_name = suggested_name
        self.on_output = on_output
        self.preview = PagePreview(data)  # renders only the pages in view
        # As wide as the page (a landscape ledger is 1123 px) within the screen; A4 upright keeps 860.
        room = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        self.resize(min(max(860, self.preview.sizeHint().width() + 48), room.width()), min(700, room.height()))
        self.pages_area = QScrollArea()
        self.pages_area.setWidget(self.preview)
        self.pages_area.setWidgetResizable(True)
        self.pages_area.setStyleSheet("background:#d8d8d8;")
        self.status = QLabel()
        self.status.setObjectName("status")
        self.print_button = QPushButton("打印(&P)")
        self.print_button.setDefault(True)
        self.save_button = QPushButton("保存为PDF(&S)")
        close = QPushButton("关闭")
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_pdf)
        close.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+P"), self, self.print_document)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save_pdf)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        self.warning = QLabel(warning or "")
        self.warning.setObjectName("clockWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("background:#fff3e0; color:#b71c1c; padding:6px; font-weight:bold;")
        self.warning.setVisible(bool(warning))
        layout.addWidget(self.warning)
        layout.addWidget(self.pages_area, 1)
        layout.addLayout(buttons)
        self.print_button.setFocus()

    @property
    def data(self) -> bytes:
        return self._data

    @data.setter
    def data(self, data: bytes) -> None:
        """The 补打 version arrives after the first output: the preview shows what the next print gives."""
        self._data = data
        self.preview.set_data(data)

    def print_document(self) -> None:
        if not QPrinterInfo.availablePrinters():
            show_message(
                self,
                "这台电脑没有可用的打印机。可以先“保存为PDF”（保存即记为已出具），到有打印机的电脑上打印。",
                "无法打印",
                QMessageBox.Icon.Warning,
            )
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.send_to(printer)

    def send_to(self, printer: QPrinter) -> bool:
        """Print on an already chosen printer; tells the clerk when the printer fails."""
        if not paint_to_printer(printer, self.data):
            show_message(
                self,
                f"打印失败：打印机“{printer.printerName() or '未知'}”不可用或已脱机。请检查打印机后重试；"
                "本文书已保存，不会丢失，也可以先保存为PDF。",
                "打印失败",
                QMessageBox.Icon.Warning,
            )
            return False
        self.on_output("printer")
        self.status.setText("已发送到打印机")
        return True

    def save_pdf(self) -> None:
        path = pdf_folder.ask_save(self, "保存为PDF", self.suggested_name, "PDF 文件 (*.pdf)")
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> bool:
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        try:
            path.write_bytes(self.data)
        except OSError as exc:
            show_message(self, f"无法保存到 {path}：{exc.strerror or exc}", "保存失败", QMessageBox.Icon.Warning)
            return False
        pdf_folder.remember(path)
        self.on_output("pdf")
        self.status.setText(f"已保存：{path}")
        return True
