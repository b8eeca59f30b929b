"""Camera backends behind one interface: a UVC document camera through QtMultimedia, or a fake camera
whose frames are image files on disk (tests, training, a demonstration without a device).

Why QtMultimedia: the window PC already runs Qt; it names devices as Windows does ("高拍仪 S500"),
which a clerk can pick where OpenCV offers only an index; it follows devices plugged in later; and it
captures stills at the camera's full resolution through Media Foundation (Windows) or V4L2 (Linux) with
no second video stack. Both backends hand over QImages on the GUI thread; encoding and storing run in the
TaskRunner (app.ui.capture.panel).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

log = logging.getLogger(__name__)
FAKE_ENV = "MINSHENG_FAKE_CAMERA"  # a folder of images: offered as a camera named 模拟高拍仪
FAKE_PREFIX = "fake:"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp")
PREVIEW_INTERVAL_MS = 150  # about 7 frames a second: enough to place the paper, light on the CPU


@dataclass(frozen=True)
class CameraDevice:
    id: str  # the backend's id ("fake:<folder>" for the fake camera)
    name: str


class Camera(QObject):
    """One open camera. `frame` carries preview images, `captured` the still a grab() asked for. start, stop
    and grab are the base class's abstract hooks (Qt's metaclass rules out ABCMeta); every camera overrides
    them, which a test checks."""

    frame = Signal(QImage)
    captured = Signal(QImage)
    failed = Signal(str)

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def grab(self) -> None:
        raise NotImplementedError


class FakeCamera(Camera):
    """Frames from image files, in turn: each grab() takes the one showing and moves to the next page."""

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.files = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES) \
            if Path(folder).is_dir() else []
        self.index = 0
        self.timer = QTimer(self)
        self.timer.setInterval(PREVIEW_INTERVAL_MS)
        self.timer.timeout.connect(self._show)
        self._current = QImage()

    def start(self) -> None:
        if not self.files:
            self.failed.emit("模拟高拍仪的文件夹中没有图像")
            return
        self._load()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _load(self) -> None:
        self._current = QImage(str(self.files[self.index % len(self.files)]))

    def _show(self) -> None:
        if not self._current.isNull():
            self.frame.emit(self._current)

    def grab(self) -> None:
        if self._current.isNull():
            self.failed.emit("模拟高拍仪没有图像")
            return
        image = self._current
        self.index += 1  # the clerk turns the page
        self._load()
        self.captured.emit(image)


class QtCamera(Camera):
    """A real device through QtMultimedia (imported here only: a window without a camera never loads it)."""

    def __init__(self, device_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession, QMediaDevices, QVideoSink

        device = next((d for d in QMediaDevices.videoInputs() if bytes(d.id().data()).hex() == device_id), None)
        if device is None:
            raise LookupError(device_id)
        self.camera = QCamera(device, self)
        formats = device.videoFormats()
        if formats:  # the largest picture the device gives: a document camera's small print stays legible
            self.camera.setCameraFormat(max(formats, key=lambda f: f.resolution().width() * f.resolution().height()))
        self.session = QMediaCaptureSession(self)
        self.session.setCamera(self.camera)
        self.sink = QVideoSink(self)
        self.session.setVideoSink(self.sink)
        self.still = QImageCapture(self)
        self.session.setImageCapture(self.still)
        self.sink.videoFrameChanged.connect(self._frame)
        self.still.imageCaptured.connect(lambda _id, image: self.captured.emit(image))
        self.still.errorOccurred.connect(lambda _id, _error, text: self.failed.emit(f"拍摄失败：{text}"))
        self.camera.errorOccurred.connect(lambda _error, text: self.failed.emit(f"高拍仪出错：{text}"))
        self._shown = 0.0

    def start(self) -> None:
        self.camera.start()

    def stop(self) -> None:
        self.camera.stop()

    def _frame(self, frame: object) -> None:
        from time import monotonic

        now = monotonic()
        if now - self._shown < PREVIEW_INTERVAL_MS / 1000:
            return
        self._shown = now
        image = frame.toImage()  # type: ignore[attr-defined]
        if not image.isNull():
            self.frame.emit(image)

    def grab(self) -> None:
        if not self.still.isReadyForCapture():
            self.failed.emit("高拍仪尚未就绪，请稍候再拍")
            return
        self.still.capture()


def devices() -> list[CameraDevice]:
    """Cameras this PC has now, then the fake one when the environment names its folder."""
    found: list[CameraDevice] = []
    try:
        from PySide6.QtMultimedia import QMediaDevices

        found = [CameraDevice(bytes(d.id().data()).hex(), d.description()) for d in QMediaDevices.videoInputs()]
    except ImportError:  # an installation without QtMultimedia: scanned files still work
        log.warning("QtMultimedia is not installed: no document camera")
    fake = os.environ.get(FAKE_ENV, "")
    if fake:
        found.append(CameraDevice(FAKE_PREFIX + fake, "模拟高拍仪"))
    return found


def open_camera(device: CameraDevice, parent: QObject | None = None) -> Camera:
    if device.id.startswith(FAKE_PREFIX):
        return FakeCamera(Path(device.id[len(FAKE_PREFIX):]), parent)
    return QtCamera(device.id, parent)
