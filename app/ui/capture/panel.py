"""The capture panel beside a materials table (F6, 补正): live preview, a key that captures a page of the
current material, a key that moves to the next material, scanned files, thumbnails and counts.

Pages are stored the moment they are taken (normalised and hashed in the TaskRunner, never on the GUI
thread) and listed here until the acceptance or 补正 records them; until then Delete drops one. The
current material is the table's current row, so the clerk sees which paper the camera is for. Without
a camera the panel says so, and scanned files and everything else keep working.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtCore import QBuffer, QEvent, QIODevice, QObject, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QHideEvent, QIcon, QImage, QKeyEvent, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.clock import utc_now
from app.database import Database
from app.services.attachments.pages import MAX_PAGES_PER_MATERIAL, PageRef, received_with_pages
from app.services.attachments.scanned import FILE_FILTER, store_scanned
from app.services.attachments.store import StoredImage, attachments_dir, store_image
from app.ui.capture.camera import Camera, CameraDevice, devices, open_camera
from app.ui.forms import report_on, status_label
from app.ui.key_binding import bind
from app.ui.received_table import ReceivedTable
from app.ui.shortcuts import shortcut
from app.ui.tasks import TaskRunner

SETTINGS_FILE = "camera.ini"  # this PC's choice of camera, beside its database (not replicated)
CHOICE_KEY = "capture/camera"
THUMB = QSize(72, 96)
NO_CAMERA = "（不使用高拍仪）"


def _jpeg(image: QImage) -> bytes:
    """A captured still as JPEG bytes for the core (in a worker: QImage may be used off the GUI thread)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPG", 95)  # type: ignore[call-overload]  # the stubs say bytes; PySide6 wants str
    return bytes(buffer.data().data())


def _thumbnail(folder: Path, stored: StoredImage) -> QImage:
    from app.services.attachments.store import blob_path

    image = QImage(str(blob_path(folder, stored.sha256)))
    return image.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


class CapturePanel(QWidget):
    pages_changed = Signal()

    def __init__(self, db: Database, runner: TaskRunner, table: ReceivedTable, screen: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("capturePanel")
        self.db, self.runner, self.table = db, runner, table
        self.folder = attachments_dir(db.path)
        self.settings = QSettings(str(db.path.parent / SETTINGS_FILE), QSettings.Format.IniFormat)
        self._pages: list[PageRef] = []
        self._thumbs: dict[str, QPixmap] = {}
        self.camera: Camera | None = None
        self._listed = False
        self.camera_box = QComboBox()
        self.camera_box.setObjectName("cameraChoice")
        self.preview = QLabel()
        self.preview.setObjectName("cameraPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(240, 180)
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.preview.setStyleSheet("background:#2b2b2b; color:#eeeeee;")
        self.preview.setWordWrap(True)
        self.material = QLabel()
        self.material.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("capturePages")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(THUMB)
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setFixedHeight(THUMB.height() + 44)
        self.list.installEventFilter(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.status = status_label()  # what went wrong
        self.note = QLabel()  # what was done
        self.note.setObjectName("captureNote")
        self.capture_button = self._button("拍摄", screen, "capture", self.capture)
        self.next_button = self._button("下一份材料", screen, "next_material", self.next_material)
        self.file_button = self._button("添加扫描件", screen, "scanned_file", self.add_file)
        camera_row = QHBoxLayout()
        camera_row.addWidget(QLabel("高拍仪"))
        camera_row.addWidget(self.camera_box, 1)
        buttons = QGridLayout()  # two to a row: the panel stays narrow enough to leave the form its width
        for place, button in enumerate((self.capture_button, self.next_button, self.file_button)):
            buttons.addWidget(button, place // 2, place % 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(camera_row)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.material)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("电子件（Delete 删除所选页）"))
        layout.addWidget(self.list)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        self.camera_box.activated.connect(self._chosen)
        model = table.model()
        model.modelReset.connect(self._materials_changed)
        table.selectionModel().currentRowChanged.connect(lambda *_: self._show_material())
        self._show_material()

    def _button(self, text: str, screen: str, action: str, slot: object) -> QPushButton:
        key = shortcut(screen, action).shown
        button = QPushButton(text)
        button.setToolTip(key)
        button.setText(f"{text}（{key}）")
        button.clicked.connect(slot)  # type: ignore[arg-type]
        bind(self, screen, action, slot)  # type: ignore[arg-type]
        return button

    # ---- cameras -------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._listed:
            self._listed = True
            self.list_cameras()
        elif self.camera is not None:
            self.camera.start()

    def hideEvent(self, event: QHideEvent) -> None:
        if self.camera is not None:
            self.camera.stop()  # another screen: the camera's light goes off
        super().hideEvent(event)

    def list_cameras(self) -> None:
        """The devices now, the one chosen on this PC before selected (and opened) if it is still there."""
        found = devices()
        self.camera_box.clear()
        self.camera_box.addItem(NO_CAMERA if found else "未检测到高拍仪", None)
        for device in found:
            self.camera_box.addItem(device.name, device)
        saved = str(self.settings.value(CHOICE_KEY, ""))
        index = next((i for i in range(1, self.camera_box.count()) if self.camera_box.itemData(i).id == saved), -1)
        if index < 0 and len(found) == 1 and not saved:
            index = 1  # the only camera: used without asking
        self.camera_box.setCurrentIndex(max(index, 0))
        self._open(self.camera_box.currentData())

    def _chosen(self, _index: int) -> None:
        device = self.camera_box.currentData()
        self.settings.setValue(CHOICE_KEY, device.id if device else "")
        self._open(device)

    def _open(self, device: CameraDevice | None) -> None:
        if self.camera is not None:
            self.camera.stop()
            self.camera.deleteLater()
            self.camera = None
        self.preview.clear()
        if device is None:
            self.preview.setText("未使用高拍仪：可按“添加扫描件”从文件添加电子件。" if self.camera_box.count() > 1 else
                                 "未检测到高拍仪。连接后重新打开本界面；也可按“添加扫描件”从文件添加电子件。")
            return
        try:
            self.camera = open_camera(device, self)
        except (LookupError, ImportError, RuntimeError):
            self.preview.setText(f"无法打开 {device.name}，请检查连接")
            return
        self.camera.frame.connect(self._frame)
        self.camera.captured.connect(self._captured)
        self.camera.failed.connect(self.status.setText)
        self.preview.setText(f"正在打开 {device.name}…")
        self.camera.start()

    def _frame(self, image: QImage) -> None:
        self.preview.setPixmap(QPixmap.fromImage(image.scaled(
            self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)))

    # ---- materials and pages ---------------------------------------------------------------------------
    def current_seq(self) -> int:
        row = self.table.currentIndex().row()
        return row + 1 if row >= 0 else 1

    def _materials(self) -> list[str]:
        return [m.name for m in self.table.checklist.materials()]

    def _materials_changed(self) -> None:
        """Another item (or a cleared form): pages taken for the old list no longer belong to anything."""
        if self._pages:
            self._pages.clear()
            self._refresh()
        self._show_material()

    def _show_material(self) -> None:
        names = self._materials()
        if not names:
            self.material.setText("当前材料：—（请先选择事项）")
        else:
            seq = min(self.current_seq(), len(names))
            taken = sum(1 for p in self._pages if p.material_seq == seq)
            self.material.setText(f"当前材料：{seq}. {names[seq - 1]}　已拍 {taken} 页")
        for button in (self.capture_button, self.file_button, self.next_button):
            button.setEnabled(bool(names))

    def next_material(self) -> None:
        names = self._materials()
        if not names:
            return
        row = self.current_seq()
        if row >= len(names):
            self.note.setText("已是最后一份材料")
            return
        self.table.selectRow(row)
        self.status.setText("")
        self.note.setText("")

    def pages(self) -> tuple[PageRef, ...]:
        """The pages to record, by material, in the order taken."""
        return tuple(sorted(self._pages, key=lambda p: p.material_seq))

    def counts(self) -> dict[int, int]:
        return dict(Counter(p.material_seq for p in self._pages))

    def _room(self, seq: int, adding: int = 1) -> bool:
        if sum(1 for p in self._pages if p.material_seq == seq) + adding > MAX_PAGES_PER_MATERIAL:
            self.status.setText(f"每份材料最多 {MAX_PAGES_PER_MATERIAL} 页电子件")
            return False
        return True

    def capture(self) -> None:
        if not self._materials():
            return
        if self.camera is None:
            self.status.setText("未使用高拍仪：请在上方选择高拍仪，或按“添加扫描件”")
            return
        if self._room(self.current_seq()):
            self._pending_seq = self.current_seq()
            self.status.setText("")
            self.note.setText("正在拍摄…")
            self.camera.grab()

    def _captured(self, image: QImage) -> None:
        seq, folder = getattr(self, "_pending_seq", self.current_seq()), self.folder

        def work() -> list[tuple[StoredImage, QImage]]:
            stored = store_image(folder, _jpeg(image))
            return [(stored, _thumbnail(folder, stored))]

        self.runner.submit(work, lambda done: self._add(seq, "camera", done), self._failed)

    def add_file(self, path: Path | None = None) -> None:
        if not self._materials():
            return
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "添加扫描件", "", FILE_FILTER)
            if not chosen:
                return
            path = Path(chosen)
        seq, folder = self.current_seq(), self.folder
        self.status.setText("")
        self.note.setText(f"正在添加 {path.name}…")

        def work() -> list[tuple[StoredImage, QImage]]:
            return [(stored, _thumbnail(folder, stored)) for stored in store_scanned(folder, path)]

        self.runner.submit(work, lambda done: self._add(seq, "file", done), self._failed)

    def _failed(self, exc: BaseException) -> bool:
        self.note.setText("")
        return report_on(self.status, exc)

    def _add(self, seq: int, source: str, done: list[tuple[StoredImage, QImage]]) -> None:
        if seq > len(self._materials()) or not self._room(seq, len(done)):
            return
        for stored, thumb in done:
            self._pages.append(PageRef(seq, stored.sha256, stored.size, stored.width, stored.height, utc_now(), source))
            self._thumbs[stored.sha256] = QPixmap.fromImage(thumb)
        ticked = self._tick_received()
        self.note.setText(f"已添加 {len(done)} 页到材料 {seq}" + ("，并勾选为已带" if ticked else ""))
        self._refresh()

    def _tick_received(self) -> list[int]:
        """The core's rule: paper put under the camera was handed over, so its material is ticked 已带."""
        model = self.table.checklist
        ticked = sorted(received_with_pages(model.ticked(), self._pages) - set(model.ticked()))
        for seq in ticked:
            model.toggle(seq - 1)
        return ticked

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._pages):
            page = self.pages()[row]
            self._pages.remove(page)
            self.note.setText(f"已删除材料 {page.material_seq} 的一页")
            self._refresh()
            self.list.setCurrentRow(min(row, self.list.count() - 1))

    def clear(self) -> None:
        self._pages.clear()
        self._refresh()

    def _refresh(self) -> None:
        self.list.clear()
        numbers: Counter[int] = Counter()
        for page in self.pages():
            numbers[page.material_seq] += 1
            item = QListWidgetItem(QIcon(self._thumbs.get(page.sha256, QPixmap())),
                                   f"材料{page.material_seq}·{numbers[page.material_seq]}")
            self.list.addItem(item)
        counts = self.counts()
        self.table.checklist.set_pages(counts)  # the materials table's 电子件 column shows them
        self.summary.setText("，".join(f"材料{s} {n}页" for s, n in sorted(counts.items())) if counts else "尚无电子件")
        self._show_material()
        self.pages_changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Delete:
            self.remove_selected()
            return True
        return False
