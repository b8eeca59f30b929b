"""Where a read card goes in the main window: the open 首问登记 (F3) first, else the acceptance (F6) when it is the
current screen; on any other screen the clerk is told where to place the card. Reader trouble and refused
cards are said in the status bar (and, in F6, on the form's status line); typing is never interrupted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from app.services.errors import ValidationError
from app.services.idcard.config import ReaderConfig, load_config, save_config
from app.services.idcard.reader import Tick
from app.services.masking import mask_name
from app.ui.idcard.fill import fill_acceptance, fill_inquiry
from app.ui.idcard.settings_dialog import ReaderSettingsDialog
from app.ui.idcard.watcher import ReaderWatcher
from app.ui.messages import show_message

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

MESSAGE_MS = 15000


class CardRouter:
    def __init__(self, main: MainWindow) -> None:
        self.main = main
        self.data_dir = main.db.path.parent
        self.watcher = ReaderWatcher(main)
        self.watcher.ticked.connect(self._ticked)
        self.watcher.hung.connect(self._say)
        self.question: QMessageBox | None = None
        self.dialog: ReaderSettingsDialog | None = None
        action = QAction("身份证阅读器设置(&I)…", main)
        action.triggered.connect(self.open_settings)
        main.system_menu.addAction(action)
        try:
            config = load_config(self.data_dir)
        except ValidationError as exc:  # a damaged setting counts as no reader, and says so
            config = ReaderConfig()
            self._say(exc.message)
        self.start(config)

    def start(self, config: ReaderConfig) -> None:
        self.watcher.start(config)
        self.main.acceptance.card_panel.setVisible(self.watcher.active)
        if self.watcher.active:
            self._say(f"身份证阅读器：{config.label}，放卡即读入")

    def stop(self) -> None:
        self.watcher.stop()

    def open_settings(self) -> None:
        self.dialog = ReaderSettingsDialog(self.watcher.config, self.main)
        self.dialog.saved.connect(self._saved)
        self.dialog.open()

    def _saved(self, config: ReaderConfig) -> None:
        try:
            save_config(self.data_dir, config)
        except (ValidationError, OSError) as exc:
            show_message(self.main, f"读卡器设置未能保存：{exc}", "身份证阅读器", QMessageBox.Icon.Warning)
            return
        self.start(config)
        if not self.watcher.active:
            self._say("身份证阅读器：无（不读卡）")

    def inquiry_open(self) -> bool:
        dialog = self.main.inquiry_dialog
        return dialog is not None and dialog.isVisible()

    def _ticked(self, tick: Tick) -> None:
        if tick.problem:
            self._say(tick.problem)
        elif tick.refused:
            text = "：".join((tick.refused[0], "；".join(tick.refused[1:])))
            self._say(text)
            if self.main.tabs.currentWidget() is self.main.acceptance and not self.inquiry_open():
                self.main.acceptance.status.setText(text)
        elif tick.fill is not None:
            self._card(tick)
        elif tick.ready:
            self._say(f"身份证阅读器已就绪（{self.watcher.config.label}）")

    def _card(self, tick: Tick) -> None:
        fill = tick.fill
        assert fill is not None
        if self.inquiry_open():
            dialog = self.main.inquiry_dialog
            assert dialog is not None
            dialog.card_panel.setVisible(True)
            self.question = fill_inquiry(dialog, fill)
        elif self.main.tabs.currentWidget() is self.main.acceptance:
            self.question = fill_acceptance(self.main.acceptance, fill)
        else:
            self.question = None
            self._say(f"已读取{mask_name(fill.name)}的身份证：请转到受理（F6）或首问登记（F3）后重新放卡")
            return
        self._say(f"已读取{mask_name(fill.name)}的身份证" + ("：替换前请先确认" if self.question else "，请核对照片与本人"))

    def _say(self, text: str) -> None:
        self.main.statusBar().showMessage(text, MESSAGE_MS)
