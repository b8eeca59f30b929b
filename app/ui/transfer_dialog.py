"""Hand-overs from F7 (移交(&J)): offer cases to another node with the printed 移交清单, receive them by
scanning as the papers arrive, take back an offer not yet received, reprint a batch's list.

Both dialogs are driven by the scanner: it types a case number and Enter into the focused box, which
adds the case to the batch (移交) or receives it at once with one line of feedback (接收). Enter never
submits the batch by accident: that is Ctrl+Enter, declared in app.ui.shortcuts.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.database import Database
from app.services.cases.records import CaseRecord
from app.services.cases.transfers import (
    MAX_BATCH,
    KnownNode,
    Received,
    TransferBatch,
    batch_of,
    cancel_transfer,
    known_nodes,
    offer_transfer,
    receive_transfer,
    transfer_document,
)
from app.services.errors import UserError
from app.ui.documents import DocumentOpener
from app.ui.forms import report_on, status_label
from app.ui.messages import show_message, show_user_error
from app.ui.shortcuts import shortcut
from app.ui.tasks import TaskRunner

OK_COLOUR, FAILED_COLOUR = "#1b5e20", "#b00020"


class CaseScreen(Protocol):
    """What the actions need of F7: its database, clerk, runner, document opener and selected case."""

    db: Database
    actor: Actor
    runner: TaskRunner
    opener: DocumentOpener

    def selected(self) -> CaseRecord | None: ...


def _button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)  # Enter belongs to the scan box
    return button


def _scan_box(name: str, hint: str) -> QLineEdit:
    box = QLineEdit()
    box.setObjectName(name)
    box.setPlaceholderText(hint)
    box.setMaxLength(60)
    return box


class TransferActions:
    """The 移交(&J) button of F7: a menu of the hand-over steps, each chosen by its digit."""

    def __init__(self, screen: CaseScreen, parent: QWidget) -> None:
        self.screen = screen
        self.parent = parent
        self.dialog: QDialog | None = None
        self.button = QPushButton("移交(&J)…")
        self.button.setToolTip(shortcut("cases", "transfer").label)
        self.button.clicked.connect(self.choose)

    def choose(self) -> None:
        menu = QMenu(self.parent)
        menu.setObjectName("transferMenu")
        for index, (label, slot) in enumerate((("移交所选办件（可再扫描加入）…", self.offer),
                                               ("接收移交（逐件扫描）…", self.receive),
                                               ("撤销所选办件的移交", self.cancel),
                                               ("打印所选办件的移交清单", self.print_list)), 1):
            menu.addAction(f"&{index} {label}").triggered.connect(slot)
        menu.exec(self.button.mapToGlobal(self.button.rect().bottomLeft()))

    def offer(self) -> None:
        case = self.screen.selected()
        first = [case.number] if case is not None else []
        self.screen.runner.submit(lambda: known_nodes(self.screen.db), lambda nodes: self._open_offer(first, nodes))

    def _open_offer(self, numbers: list[str], nodes: list[KnownNode]) -> None:
        s = self.screen
        self.dialog = TransferDialog(s.db, s.actor, s.runner, s.opener, numbers, nodes, self.parent)
        self.dialog.open()

    def receive(self) -> None:
        s = self.screen
        self.dialog = ReceiveDialog(s.db, s.actor, s.runner, self.parent)
        self.dialog.open()

    def cancel(self) -> None:
        case = self.screen.selected()
        if case is None:
            return
        db, actor, number = self.screen.db, self.screen.actor, case.number
        def cancelled(done: list[str]) -> None:
            show_message(self.parent, f"已撤销移交：{'、'.join(done)}；本机可以继续办理")

        self.screen.runner.submit(lambda: cancel_transfer(db, actor, number), cancelled, self._refused)

    def print_list(self) -> None:
        case = self.screen.selected()
        if case is None:
            return
        db, number = self.screen.db, case.number

        def build() -> tuple[str, bytes, bool]:
            batch = batch_of(db, number).batch
            pdf, reprint = transfer_document(db, batch)
            return batch, pdf, reprint

        self.screen.runner.submit(build, lambda r: show_list(self.screen.opener, r[0], r[1], r[2]), self._refused)

    def _refused(self, exc: BaseException) -> bool:
        if isinstance(exc, UserError):
            show_user_error(self.parent, exc)
            return True
        return False


def show_list(opener: DocumentOpener, batch: str, pdf: bytes, reprint: bool) -> None:
    """The 移交清单 in the document preview: printed or saved from there, and logged."""
    opener.show_pdf(f"移交清单 {batch}" + ("（补打）" if reprint else ""), pdf, f"移交清单{batch}.pdf", "transfer", batch)


class TransferDialog(QDialog):
    """Cases to hand over (the selected one, plus any scanned), the receiving node, then the list."""

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, opener: DocumentOpener,
                 numbers: list[str], nodes: list[KnownNode], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.opener = db, actor, runner, opener
        self.setWindowTitle("移交办件")
        self.setMinimumWidth(560)
        self.scan = _scan_box("transferScan", "扫描办件条码，或输入办件编号后回车，加入本批")
        self.scan.returnPressed.connect(self.add_scanned)
        self.cases = QListWidget()
        self.cases.setObjectName("transferCases")
        for number in numbers:
            self.cases.addItem(number)
        QShortcut(QKeySequence(shortcut("transfer_dialog", "remove").shown), self.cases, self.remove_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.target = QComboBox()
        self.target.setObjectName("transferTarget")
        self.target.setEditable(True)  # a node the last sync did not list: its two-digit code
        for node in nodes:
            self.target.addItem(node.label, node.code)
        self.target.setCurrentIndex(0 if nodes else -1)
        editor = self.target.lineEdit()
        if editor is not None:
            editor.setPlaceholderText("接收方：选择或输入两位节点编号")
        self.status = status_label()
        self.count = QLabel()
        ok = _button("移交并打印清单(&S)")
        cancel = _button("取消")
        ok.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        for key in shortcut("transfer_dialog", "confirm").keys:
            QShortcut(QKeySequence(key), self, self.submit)
        scan_label = QLabel("办件(&N)")
        scan_label.setBuddy(self.scan)
        target_label = QLabel("接收方(&O)")
        target_label.setBuddy(self.target)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(scan_label)
        row.addWidget(self.scan, 1)
        layout.addLayout(row)
        layout.addWidget(self.cases, 1)
        layout.addWidget(self.count)
        row = QHBoxLayout()
        row.addWidget(target_label)
        row.addWidget(self.target, 1)
        layout.addLayout(row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(ok)
        layout.addLayout(buttons)
        self._counted()
        self.scan.setFocus()

    def numbers(self) -> list[str]:
        return [self.cases.item(i).text() for i in range(self.cases.count())]

    def add_scanned(self) -> None:
        number = self.scan.text().split("#")[0].strip().upper()  # the QR code reads number#query code
        self.scan.clear()
        if not number:
            return
        if number in self.numbers():
            self.status.setText(f"{number} 已在本批中")
        elif self.cases.count() >= MAX_BATCH:
            self.status.setText(f"一批最多移交{MAX_BATCH}件，请分批移交")
        else:
            self.cases.addItem(number)
            self.status.clear()
        self._counted()

    def remove_selected(self) -> None:
        for item in self.cases.selectedItems():
            self.cases.takeItem(self.cases.row(item))
        self._counted()

    def _counted(self) -> None:
        self.count.setText(f"本批 {self.cases.count()} 件（Delete 从本批移除所选办件）")

    def target_code(self) -> str:
        """The chosen node's code, or the code typed (a known node's label starts with its code)."""
        text = self.target.currentText().strip()
        index = self.target.findText(text)
        return str(self.target.itemData(index)) if index >= 0 else text[:2]

    def submit(self) -> None:
        db, actor, numbers, target = self.db, self.actor, self.numbers(), self.target_code()

        def work() -> tuple[TransferBatch, bytes, bool]:
            batch = offer_transfer(db, actor, numbers, target)
            pdf, reprint = transfer_document(db, batch.number)
            return batch, pdf, reprint

        self.status.setText("正在移交…")
        self.runner.submit(work, self._done, lambda exc: report_on(self.status, exc))

    def _done(self, result: tuple[TransferBatch, bytes, bool]) -> None:
        batch, pdf, reprint = result
        self.accept()
        show_list(self.opener, batch.number, pdf, reprint)


class ReceiveDialog(QDialog):
    """Scan each case as its paper arrives: it is received at once, and a line says so (or why not)."""

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner = db, actor, runner
        self.received = 0
        self.setWindowTitle("接收移交")
        self.setMinimumWidth(720)
        self.scan = _scan_box("receiveScan", "逐件扫描办件条码（或输入办件编号后回车）")
        self.scan.returnPressed.connect(self.receive_scanned)
        self.log = QListWidget()
        self.log.setObjectName("receiveLog")
        self.log.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan box keeps the focus for the next scan
        self.log.setWordWrap(True)
        self.count = QLabel("本次已接收 0 件")
        done = _button("完成(&C)")
        done.clicked.connect(self.accept)
        label = QLabel("办件(&N)")
        label.setBuddy(self.scan)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("纸质材料到达后逐件扫描：扫描一件即接收一件，接收后由本机办理。"))
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.scan, 1)
        layout.addLayout(row)
        layout.addWidget(self.log, 1)
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        row.addWidget(done)
        layout.addLayout(row)
        self.scan.setFocus()

    def receive_scanned(self) -> None:
        typed = self.scan.text().strip()
        self.scan.clear()
        if not typed:
            return
        db, actor = self.db, self.actor
        self.runner.submit(lambda: receive_transfer(db, actor, typed), self._received,
                           lambda exc: self._refused(typed, exc))

    def _line(self, text: str, colour: str) -> None:
        item = QListWidgetItem(text)
        item.setForeground(QBrush(QColor(colour)))
        self.log.insertItem(0, item)  # newest on top, where the eye is

    def _received(self, got: Received) -> None:
        self.received += 1
        what = "回传" if got.is_return else "移交"
        source = got.from_name or f"{got.from_node}号节点"
        self._line(f"✓ 已接收 {got.number}　{got.applicant_name}　{got.item_name}（{source}{what}，批次 {got.batch}）",
                   OK_COLOUR)
        self.count.setText(f"本次已接收 {self.received} 件")

    def _refused(self, typed: str, exc: BaseException) -> bool:
        if not isinstance(exc, UserError):
            return False
        self._line(f"✗ 未接收 {typed}：{exc.message}", FAILED_COLOUR)
        return True
