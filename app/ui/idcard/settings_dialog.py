"""身份证阅读器设置 (系统 menu): which reader this machine has, its port, or the simulator's card file.

A local device setting, saved in the data folder (app.services.idcard.config); any user of this workstation
may change it, as they would choose a printer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import ValidationError
from app.services.idcard.config import KINDS, PATH_MAX_CHARS, ReaderConfig, check_config
from app.services.idcard.dll import AUTO_PORT, SERIAL_PORTS, USB_PORTS, port_label
from app.ui.forms import InlineForm, status_label
from app.ui.key_binding import bind

HELP = ("放卡后自动读入：受理（F6）中读入申请人，光标在代理人栏时读入代理人；首问登记（F3）中读入咨询人。"
        "已填有其他人的信息时先询问再替换。照片只显示供核对，不保存。")


class ReaderSettingsDialog(QDialog):
    saved = Signal(object)  # ReaderConfig, checked; the caller stores it and restarts the watcher

    def __init__(self, config: ReaderConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("身份证阅读器设置")
        self.setMinimumWidth(560)
        self.form = InlineForm()
        self.kind = QComboBox()
        for key, label in KINDS.items():
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(config.kind)))
        self.form.add_field("kind", "读卡器(&K)", self.kind)
        self.port = QComboBox()
        for port in (AUTO_PORT, *USB_PORTS, *SERIAL_PORTS):
            self.port.addItem(port_label(port), port)
        self.port.setCurrentIndex(max(0, self.port.findData(config.port)))
        self.form.add_field("port", "端口(&P)", self.port)
        file_row = QWidget()
        row = QHBoxLayout(file_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.file = QLineEdit(config.file)
        self.file.setMaxLength(PATH_MAX_CHARS)
        self.file.setPlaceholderText("模拟身份证文件（.json）：文件存在即视为已放卡，删除即为取走")
        browse = QPushButton("浏览(&B)…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        # Alt+F puts the cursor in the file field: the row is the label's buddy, so it hands its focus on
        file_row.setFocusProxy(self.file)
        file_row.setFocusPolicy(self.file.focusPolicy())
        self.form.add_field("file", "身份证文件(&F)", file_row)
        self.status = status_label()
        save = QPushButton("保存(&S)")
        save.setToolTip("Ctrl+Enter")
        save.setDefault(True)
        cancel = QPushButton("取消")
        save.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        bind(self, "idcard_settings_dialog", "confirm", self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(save)
        note = QLabel(HELP)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.kind.setFocus()

    def config(self) -> ReaderConfig:
        kind = str(self.kind.currentData())
        return ReaderConfig(kind, int(self.port.currentData()) if kind in {"termb", "sdtapi"} else AUTO_PORT,
                            self.file.text().strip() if kind == "simulated" else "")

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.form.set_visible("port", kind in {"termb", "sdtapi"})
        self.form.set_visible("file", kind == "simulated")

    def _browse(self) -> None:
        start = str(Path(self.file.text()).parent) if self.file.text() else ""
        name, _filter = QFileDialog.getOpenFileName(self, "选择模拟身份证文件", start, "模拟身份证 (*.json)")
        if name:
            self.file.setText(name)

    def submit(self) -> None:
        try:
            config = check_config(self.config())
        except ValidationError as exc:
            self.status.setText(exc.message)
            return
        self.saved.emit(config)
        self.accept()
