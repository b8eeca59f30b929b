"""`main.py --smoke`: does this installation work? A fresh data folder, a workstation set up in it, a
case accepted, its receipt built with the font embedded, Qt's login window shown and the document camera's
libraries loaded — in a few seconds,
with no person at the keyboard. A frozen bundle runs it after every build (`make dist`) and an installer
can run it on the window PC: it catches what a build leaves out (a resource, a migration script, a Qt
plugin) before a clerk meets it.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.actor import Actor
    from app.database import Database

SMOKE_ID = "22082119850312123"  # the 17 digits of a made-up citizen; the check digit is computed
BASE_FONT = re.compile(rb"/BaseFont\s*/([A-Za-z0-9+#_.,-]+)")
STANDARD_FONTS = (b"Helvetica", b"Times", b"Courier", b"Symbol", b"ZapfDingbats")


class SmokeFailed(Exception):
    """One step of the smoke test did not do what it should; the message says which, in Chinese."""


def font_problem(pdf: bytes) -> str | None:
    """Why a PDF would not show its Chinese on a PC without the font, or None: every font it names is an
    embedded TrueType program (FontFile2), none is one of PDF's unembedded standard fonts."""
    names = BASE_FONT.findall(pdf)
    if not names:
        return "PDF 中没有字体"
    standard = sorted({n.decode() for n in names if n.startswith(STANDARD_FONTS)})
    if standard:
        return f"PDF 使用了未嵌入的标准字体：{'、'.join(standard)}"
    if pdf.count(b"/FontFile2") < len(re.findall(rb"/Type\s*/FontDescriptor", pdf)):
        return "PDF 中有字体未嵌入（缺少 FontFile2）"
    return None


def _setup(folder: Path) -> tuple[Database, Actor]:
    from app.services.people.auth import login
    from app.services.setup import SetupRequest, perform_setup
    from app.startup import open_workstation

    db, _report = open_workstation(folder)  # every migration script, as shipped
    password = "zj" + secrets.token_hex(6)
    perform_setup(db, SetupRequest(center_code="220821100", center_name="自检服务中心", node_code="01",
                                   node_name="自检窗口", node_kind="window", admin_user="admin",
                                   admin_password=password, admin_name="自检管理员"))
    return db, login(db, "admin", password)


def _accept(db: Database, actor: Actor) -> str:
    from app.services.cases.form import CaseForm, as_catalogued
    from app.services.cases.records import accept_case
    from app.services.catalog.items import load_all
    from app.services.id_numbers import id_check_digit

    items = [i for i in load_all(db) if i.materials]
    if not items:
        raise SmokeFailed("内置事项清单为空：安装包缺少 resources/catalog")
    item = items[0]
    form = CaseForm(item_code=item.code, case_class=item.default_case_class, applicant_name="自检群众",
                    applicant_id_number=SMOKE_ID + id_check_digit(SMOKE_ID), applicant_phone="13904367788",
                    applicant_address="镇赉镇自检村", received=as_catalogued(item, list(range(1, len(item.materials) + 1))))
    return accept_case(db, actor, form)


def _receipt(db: Database, number: str, folder: Path) -> int:
    from app.services.documents import build_document, receipt_type

    pdf = build_document(db, receipt_type(db), number).pdf
    problem = font_problem(pdf)
    if problem:
        raise SmokeFailed(problem)
    (folder / "smoke-receipt.pdf").write_bytes(pdf)
    return len(pdf)


def _login_window(folder: Path) -> str:
    """Qt starts (its platform plugin, fonts, Chinese translation) and the login window shows, then closes."""
    headless = not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    if headless and sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a build machine without a screen
    from app.logs import quiet_qt_logging

    quiet_qt_logging()
    from PySide6.QtWidgets import QApplication

    from app.node_identity import read_identity
    from app.paths import DataLayout
    from app.ui.fonts import install_app_font
    from app.ui.login_dialog import LoginDialog
    from app.ui.tasks import TaskRunner
    from app.ui.translations import install_qt_translations

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    family = install_app_font(app)
    translated = install_qt_translations(app) is not None
    identity = read_identity(DataLayout(folder).database)
    if identity is None:
        raise SmokeFailed("读不到本机节点信息")

    def no_db() -> Database:
        raise SmokeFailed("自检不登录")

    runner = TaskRunner(lambda _exc: None)
    dialog = LoginDialog(no_db, identity, runner)
    dialog.show()
    app.processEvents()
    shown = dialog.isVisible()
    dialog.close()
    runner.wait()
    if not shown:
        raise SmokeFailed("登录窗口未能显示")
    return f"字体 {family}，Qt 中文{'已' if translated else '未'}加载"


def _camera_stack() -> str:
    """The document camera's libraries load (QtMultimedia and its FFmpeg backend, which decodes some formats
    only once loaded): a bundle that lost them would show no camera at any window."""
    from PySide6.QtMultimedia import QMediaFormat

    from app.ui.capture.camera import devices

    formats = QMediaFormat().supportedFileFormats(QMediaFormat.ConversionMode.Decode)
    if not formats:
        raise SmokeFailed("高拍仪组件（QtMultimedia 的 FFmpeg 后端）未能加载")
    return f"高拍仪组件已加载，本机摄像头 {len(devices())} 个"


def run_smoke(data_dir: Path | None = None, say: Callable[[str], None] = print) -> int:
    """Every step, each said as it passes; 0 when all pass, 1 (and the step's reason) when one fails. The
    folder is a new temporary one unless given, and removed afterwards unless given."""
    if data_dir is not None and data_dir.exists() and any(data_dir.iterdir()):
        say(f"失败：自检需要一个空的数据文件夹，{data_dir} 不是空的")
        return 1
    folder = data_dir or Path(tempfile.mkdtemp(prefix="minsheng-smoke-"))
    start = time.perf_counter()
    db: Database | None = None
    try:
        from app.paths import RESOURCES_DIR

        say(f"资源文件：{RESOURCES_DIR}")
        db, actor = _setup(folder)
        say(f"通过：在 {folder} 新建并设置工作站（数据库迁移、事项清单）")
        number = _accept(db, actor)
        say(f"通过：受理办件 {number}")
        size = _receipt(db, number, folder)
        say(f"通过：受理回执 PDF {size // 1024} KB，中文字体已嵌入")
        db.dispose()
        db = None
        say(f"通过：登录窗口已显示（{_login_window(folder)}）")
        say(f"通过：{_camera_stack()}")
    except SmokeFailed as exc:
        say(f"失败：{exc}")
        return 1
    except Exception as exc:  # noqa: BLE001 - whatever broke, the build is told in one line and fails
        say(f"失败：{type(exc).__name__}: {exc}")
        return 1
    finally:
        if db is not None:
            db.dispose()
        if data_dir is None:
            shutil.rmtree(folder, ignore_errors=True)
    say(f"自检通过（{time.perf_counter() - start:.1f} 秒）")
    return 0
