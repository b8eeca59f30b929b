"""The main window: one tab per working area, each reachable by a function key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from app.actor import Actor
from app.database import Database
from app.models.staff import ROLES
from app.node_identity import NodeIdentity
from app.ui.catalog_view import CatalogView
from app.ui.messages import show_message
from app.ui.staff_view import StaffView
from app.ui.tasks import TaskRunner


class MainWindow(QMainWindow):
    logout_requested = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        db: Database,
        identity: NodeIdentity,
        actor: Actor,
        runner: TaskRunner,
        state_file: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.identity = identity
        self.actor = actor
        self.runner = runner
        self._settings = QSettings(str(state_file), QSettings.Format.IniFormat)
        self._logging_out = False
        title = f"民生服务工作站 — {identity.center_name} · {identity.node_name}"
        if identity.training:
            title += "【培训模式】"
        self.setWindowTitle(title)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("areas")
        self.setCentralWidget(self.tabs)
        self.catalog = CatalogView(db, runner)
        self.staff: StaffView | None = None
        self._areas: list[tuple[QWidget, str, str]] = [(self.catalog, "事项目录", "F2")]
        if actor.is_admin:
            self.staff = StaffView(db, actor, runner)
            self._areas.append((self.staff, "人员管理", "F9"))
        for widget, label, key in self._areas:
            self.tabs.addTab(widget, f"{label}（{key}）")
        self.tabs.currentChanged.connect(lambda _i: self.tabs.currentWidget().setFocus())
        self._build_menus()
        self._build_status_bar()
        self.resize(1280, 720)
        geometry = self._settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = self._settings.value("catalog/splitter")
        if isinstance(splitter, QByteArray):
            self.catalog.splitter.restoreState(splitter)
        self.catalog.load()
        if self.staff is not None:
            self.staff.load()
        self.catalog.setFocus()

    def _build_menus(self) -> None:
        system = self.menuBar().addMenu("系统(&S)")
        logout = QAction("注销(&L)", self, shortcut=QKeySequence("Ctrl+L"))
        logout.triggered.connect(self.logout)
        quit_action = QAction("退出(&X)", self, shortcut=QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        system.addAction(logout)
        system.addAction(quit_action)
        areas = self.menuBar().addMenu("功能(&G)")
        for widget, label, key in self._areas:
            action = QAction(label, self, shortcut=QKeySequence(key))
            action.triggered.connect(lambda _checked=False, w=widget: self.show_area(w))
            areas.addAction(action)
        find = QAction("查找事项", self, shortcut=QKeySequence("Ctrl+F"))
        find.triggered.connect(self.focus_search)
        areas.addAction(find)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        keys = QAction("快捷键一览(&K)", self, shortcut=QKeySequence("F1"))
        keys.triggered.connect(self.show_shortcuts)
        help_menu.addAction(keys)

    def _build_status_bar(self) -> None:
        role = ROLES.get(self.actor.role, self.actor.role)
        self.user_label = QLabel(f"当前用户：{self.actor.name}（工号 {self.actor.staff_no}，{role}）")
        self.user_label.setObjectName("userLabel")
        workplace = self.actor.workplace or self.identity.node_name
        self.place_label = QLabel(
            f"岗位：{workplace}　本机：{self.identity.node_name}（节点 {self.identity.node_code}）"
        )
        self.place_label.setObjectName("placeLabel")
        bar = self.statusBar()
        bar.addWidget(self.user_label)
        bar.addWidget(self.place_label)
        if self.identity.training:
            badge = QLabel("培训模式")
            badge.setObjectName("trainingBadge")
            badge.setStyleSheet("background:#c62828; color:white; padding:1px 8px; font-weight:bold;")
            bar.addPermanentWidget(badge)
        bar.addPermanentWidget(QLabel(self.identity.center_name))

    def show_area(self, widget: QWidget) -> None:
        self.tabs.setCurrentWidget(widget)
        widget.setFocus()

    def focus_search(self) -> None:
        self.show_area(self.catalog)
        self.catalog.search_box.selectAll()

    def show_shortcuts(self) -> None:
        lines = [f"{key}　{label}" for _w, label, key in self._areas]
        lines += [
            "Ctrl+F　查找事项",
            "↑ ↓ PgUp PgDn　在查找框中直接选择事项",
            "回车　从查找框进入办事指南；Esc 返回查找框",
            "Ctrl+L　注销",
            "Ctrl+Q　退出",
        ]
        if self.staff is not None:
            lines += ["Ctrl+N　新增人员（人员管理中）", "Ctrl+U　解除账号锁定（人员管理中）"]
        show_message(self, "\n".join(lines), "快捷键一览")

    def logout(self) -> None:
        self._logging_out = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("main/geometry", self.saveGeometry())
        self._settings.setValue("catalog/splitter", self.catalog.splitter.saveState())
        self._settings.sync()
        super().closeEvent(event)
        if self._logging_out:
            self.logout_requested.emit()
        else:
            self.quit_requested.emit()
