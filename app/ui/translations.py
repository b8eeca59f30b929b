"""Qt's own Chinese: message-box buttons (确定, 取消), file dialogs and right-click menus.

PySide6 ships Qt's translations (PySide6/Qt/translations/qtbase_zh_CN.qm); without them loaded,
every message box says "OK" and every edit's context menu is in English.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

QT_CATALOGUE = "qtbase_zh_CN"


def install_qt_translations(app: QCoreApplication) -> QTranslator | None:
    """Load and install Qt's Simplified Chinese; None (English stays) if the file is missing."""
    translator = QTranslator(app)  # owned by the application, so it lives as long as it does
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QT_CATALOGUE, folder):
        return None
    app.installTranslator(translator)
    return translator
