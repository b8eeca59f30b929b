"""取号机设置: the paper and printer of this machine's ticket kiosk (administrators and the director).

Kept in this workstation's own database (app.services.queue.kiosk_settings), so the kiosk started here
with --kiosk prints on them; the printers offered are the ones this machine has.
"""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.actor import Actor
from app.database import Database
from app.printing.ticket_pdf import PAPERS
from app.services.errors import UserError
from app.services.queue.kiosk_settings import KioskSettings, load_kiosk_settings, save_kiosk_settings
from app.ui.key_binding import bind
from app.ui.messages import show_user_error
from app.ui.tasks import TaskRunner

DEFAULT_PRINTER = "系统默认打印机"


class KioskSettingsDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("取号机设置（本机）")
        self.db = db
        self.actor = actor
        self.runner = runner
        self.paper = QComboBox()
        for key, label in PAPERS.items():
            self.paper.addItem(label, key)
        self.printer = QComboBox()
        self.printer.addItem(DEFAULT_PRINTER, "")
        for name in QPrinterInfo.availablePrinterNames():
            self.printer.addItem(name, name)
        form = QFormLayout()
        form.addRow("小票纸张：", self.paper)
        form.addRow("打印机：", self.printer)
        note = QLabel("本机以 main.py --kiosk 启动取号机时，排队小票按此纸张打印到此打印机。")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存（Ctrl+Enter）")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        bind(self, "kiosk_settings_dialog", "confirm", self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setEnabled(False)
        runner.submit(lambda: load_kiosk_settings(db), self._loaded)

    def _loaded(self, settings: KioskSettings) -> None:
        self.paper.setCurrentIndex(max(0, self.paper.findData(settings.paper)))
        index = self.printer.findData(settings.printer)
        if index < 0:  # a printer set earlier that this machine no longer has: kept, and shown as such
            self.printer.addItem(f"{settings.printer}（未找到）", settings.printer)
            index = self.printer.count() - 1
        self.printer.setCurrentIndex(index)
        self.setEnabled(True)
        self.paper.setFocus()

    def save(self) -> None:
        chosen = KioskSettings(str(self.paper.currentData()), str(self.printer.currentData()))
        self.runner.submit(lambda: save_kiosk_settings(self.db, self.actor, chosen), lambda _r: self.accept(),
                           self._failed)

    def _failed(self, exc: BaseException) -> bool:
        if isinstance(exc, UserError):
            show_user_error(self, exc)
            return True
        return False
