"""Ratings entered by staff (电话回访, 补录 from paper), and F7's 评价(&E) button that also opens the evaluator.

Staff type in what the citizen said: the level, the reasons of that level (required for 不满意 and
非常不满意, as the core requires), up to 150 characters and 不公开. The core (add_rating) checks
everything again and refuses in Chinese — the 5-working-day limit for 电话回访, a third rating — and
then nothing is written. The channel records the provenance: 补录 is typed in from paper, 电话回访 is
the citizen's own word on the phone.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QWidget,
)

from app import changes
from app.actor import Actor
from app.database import Database
from app.services.cases.lifecycle import CLOSED_STATES
from app.services.cases.records import CaseRecord
from app.services.errors import UserError
from app.services.ratings.codes import BAD_LEVELS, LEVELS, MAX_TEXT, REASONS, channel_label, level_label
from app.services.ratings.evaluator import EvaluationOutcome, EvaluatorPrompt, Stage, prompt_for
from app.services.ratings.ratings import RatingRecord, add_rating, next_rating, ratings_of
from app.ui.change_watch import watch
from app.ui.evaluator_window import ScreenEvaluator
from app.ui.forms import InlineForm, dialog_with_form, report_on
from app.ui.key_binding import bind
from app.ui.messages import show_message, show_user_error
from app.ui.shortcuts import shortcut
from app.ui.tasks import TaskRunner
from app.ui.transfer_dialog import CaseScreen

STAFF_CHANNELS = ("phone", "backfill")  # what staff type in; the evaluator and the QR page are the citizen's own
MAX_NUMBER = 24
ENDING_STEPS = frozenset({"delivered", "completed_on_spot"})  # the citizen is at the window as the case ends
WINDOW_DELIVERY = "pickup"  # 窗口领取: the only delivery with the citizen in front of the clerk


def ratings_text(rows: list[RatingRecord]) -> str:
    """The ratings a target already has, so staff see whether theirs is the 追评 or one too many."""
    coming = next_rating(rows)
    if not rows:
        return "尚无评价（本次为首评）"
    given = "；".join(f"{r.provenance_label if r.provenance == 'default' else r.which} {r.level_label}"
                     f"（{channel_label(r.channel)}，{r.rated_at.astimezone():%m-%d %H:%M}）" for r in rows)
    return f"已有评价：{given}" + (f"；本次为{coming}" if coming else "；已有首评和追评，不能再评价")


class RatingDialog(QDialog):
    saved = Signal(object)  # the RatingRecord written

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, number: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner = db, actor, runner
        self.setObjectName("ratingDialog")
        self.setWindowTitle("录入评价（电话回访、补录）")
        self.setMinimumWidth(620)
        self.form = InlineForm()
        self.number = QLineEdit(number)
        self.number.setMaxLength(MAX_NUMBER)
        self.number.setPlaceholderText("办件编号，或首问登记、一次性告知书编号")
        self.existing = QLabel()
        self.existing.setObjectName("existingRatings")
        self.existing.setWordWrap(True)
        self.channel = QComboBox()
        for key in STAFF_CHANNELS:
            self.channel.addItem(channel_label(key) + ("（纸质评价录入）" if key == "backfill" else ""), key)
        self.level = QComboBox()
        self.level.addItem("请选择", 0)
        for value, text in LEVELS.items():  # the stored scale: 5 = 非常满意
            self.level.addItem(f"{value} {text}", value)
        self.reasons = QListWidget()
        self.reasons.setObjectName("reasons")
        self.reasons.setMinimumHeight(8 * self.fontMetrics().height() + 12)
        self.text = QLineEdit()
        self.text.setMaxLength(MAX_TEXT)
        self.text.setPlaceholderText(f"群众原话或评价内容，不超过 {MAX_TEXT} 字")
        self.private = QCheckBox("群众要求不公开(&P)")
        self.form.add_field("number", "编号(&N)", self.number)
        self.form.add_field("existing", "", self.existing)
        self.form.add_field("channel", "渠道(&C)", self.channel)
        self.form.add_field("level", "评价等级(&L)", self.level)
        self.form.add_field("reasons", "原因（空格勾选）(&R)", self.reasons)
        self.form.add_field("text", "评价内容(&T)", self.text)
        self.form.add_field("private", "", self.private)
        self.status = dialog_with_form(self, self.form, "保存评价(&S)", self.submit)
        self.level.currentIndexChanged.connect(self._fill_reasons)
        self.number.editingFinished.connect(self._look_up)
        self._fill_reasons()
        self._look_up()

    def _fill_reasons(self) -> None:
        """Only the chosen level's national reasons; a change of level clears the ticks."""
        self.reasons.clear()
        level = int(self.level.currentData() or 0)
        for code, text in REASONS.get(level, {}).items():
            item = QListWidgetItem(f"{code} {text}")
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.reasons.addItem(item)
        if self.reasons.count():
            self.reasons.setCurrentRow(0)
        required = level in BAD_LEVELS
        self.reasons.setToolTip("必选，至少一项" if required else "可不选")

    def checked_reasons(self) -> list[str]:
        return [str(self.reasons.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.reasons.count())
                if self.reasons.item(i).checkState() == Qt.CheckState.Checked]

    def _look_up(self) -> None:
        number = self.number.text().strip()
        if not number:
            self.existing.setText("")
            return
        db = self.db
        self.runner.submit(lambda: ratings_of(db, number), lambda rows: self._show_existing(number, rows))

    def _show_existing(self, number: str, rows: list[RatingRecord]) -> None:
        if number == self.number.text().strip():
            self.existing.setText(ratings_text(rows))

    def submit(self) -> None:
        number = self.number.text().strip()
        level = int(self.level.currentData() or 0)
        reasons = self.checked_reasons()
        errors: dict[str, str] = {}
        if not number:
            errors["number"] = "请填写办件编号，或首问登记、一次性告知书编号"
        if not level:
            errors["level"] = "请选择评价等级"
        elif level in BAD_LEVELS and not reasons:
            errors["reasons"] = f"“{level_label(level)}”须勾选至少一项原因"
        self.form.set_errors(errors)
        if errors:
            self.status.setText("请按标红处修改，未保存")
            return
        self.status.setText("")
        db, actor, channel = self.db, self.actor, str(self.channel.currentData())
        text, private = self.text.text(), self.private.isChecked()
        self.runner.submit(lambda: add_rating(db, actor, number, level, reasons, text, channel, private),
                           self._saved, lambda exc: report_on(self.status, exc))

    def _saved(self, record: RatingRecord) -> None:
        self.runner.notice.emit(f"已录入评价：{record.target_number} {record.which} {record.level_label}"
                                f"（{channel_label(record.channel)}）")
        self.saved.emit(record)
        self.accept()


class RatingActions:
    """F7's 评价(&E) button: ask the citizen at the evaluator (a closed case not yet rated), or type in a
    rating given by phone or on paper. Also offers the evaluator as a case ends at the window."""

    def __init__(self, screen: CaseScreen, parent: QWidget, evaluator: ScreenEvaluator | None = None) -> None:
        self.screen = screen
        self.parent = parent
        self.evaluator = evaluator or ScreenEvaluator(screen.db, screen.actor, screen.runner, parent)
        self.dialog: RatingDialog | None = None
        self.menu: QMenu | None = None
        self.rateable = ""  # the selected case's number while it is closed and has no rating
        self._selected = ""
        self.just_ended = ""  # a case ended here just now, with its citizen at the window (after_step)
        self.button = QPushButton("评价(&E)…")
        self.button.setToolTip(shortcut("cases", "rate").label)
        self.button.clicked.connect(self.choose)
        bind(parent, "cases", "evaluate", self.evaluate)
        bind(parent, "cases", "enter_rating", self.enter)
        watch(parent, screen.db, changes.RATINGS, self.recheck)

    def case_selected(self, case: CaseRecord | None) -> None:
        """Ask the core whether the selected case is closed and unrated (the evaluator takes a 首评 only)."""
        self._selected = case.number if case is not None else ""
        self.rateable = ""
        if case is not None and case.status in CLOSED_STATES:
            db, number = self.screen.db, case.number
            self.screen.runner.submit(lambda: ratings_of(db, number), lambda rows: self._checked(number, rows))

    def _checked(self, number: str, rows: list[RatingRecord]) -> None:
        if number == self._selected:
            self.rateable = "" if any(r.provenance != "default" for r in rows) else number

    def recheck(self) -> None:
        self.case_selected(self.screen.selected())

    def choose(self) -> None:
        self.menu = menu = QMenu(self.parent)
        menu.setObjectName("ratingMenu")
        ask = menu.addAction(f"&1 请群众评价（评价器）\t{shortcut('cases', 'evaluate').shown}")
        ask.setEnabled(bool(self.rateable))
        if not self.rateable:
            ask.setToolTip("仅用于已办结且尚未评价的办件")
        ask.triggered.connect(self.evaluate)
        menu.addAction(f"&2 录入评价（电话回访、补录）…\t{shortcut('cases', 'enter_rating').shown}").triggered.connect(
            self.enter)
        menu.popup(self.button.mapToGlobal(self.button.rect().bottomLeft()))

    def evaluate(self) -> None:
        """The selected case on the evaluator, or the one that just ended here when the list's filter
        no longer shows it (预警 drops a case once it is done); the core says why not."""
        case = self.screen.selected()
        chosen = case.number if case is not None and case.status in CLOSED_STATES else ""
        number = chosen or self.just_ended  # the list moved on to an open case: the one that just ended
        if not number and case is not None:
            number = case.number  # open: the core says why it cannot be rated yet
        if not number:
            show_message(self.parent, "请先选择一件已办结的办件，再请群众评价。")
            return
        self.just_ended = ""
        self.ask(number)

    def ask(self, number: str) -> None:
        db = self.screen.db

        def refused(exc: BaseException) -> bool:
            if isinstance(exc, UserError):
                show_user_error(self.parent, exc)
                return True
            return False

        self.screen.runner.submit(lambda: prompt_for(db, number), self._show, refused)

    def _show(self, prompt: EvaluatorPrompt) -> None:
        self.evaluator.show(prompt, self._ended)
        where = "第二屏幕" if self.evaluator.has_citizen_screen() else "评价窗口"
        self.screen.runner.notice.emit(f"已在{where}请群众评价：{prompt.target_number}（{prompt.item_name}）")

    def _ended(self, outcome: EvaluationOutcome) -> None:
        """What happened, on the clerk's status bar: never a dialog in the way of the next citizen."""
        number = outcome.prompt.target_number
        if outcome.stage == Stage.RATED and outcome.rating is not None:
            text = f"群众已评价 {number}：{outcome.rating.level_label}"
        else:
            text = f"{number}：{outcome.label}" + (f"（{outcome.message}）" if outcome.message else "")
        self.screen.runner.notice.emit(text)

    def after_step(self, number: str, action: str, method: str = "") -> None:
        """A case just ended with the citizen at the window (当场办结, or 送达 collected at the window): with
        a citizen's screen the evaluator opens there at once (the clerk keeps their keyboard); otherwise
        the status bar offers the key, so a dialog never covers the receipt's preview. A delivery by
        post, agent or e-mail has no citizen at the window: nothing is offered."""
        if action not in ENDING_STEPS or (action == "delivered" and method != WINDOW_DELIVERY):
            return
        self.just_ended = number
        if self.evaluator.has_citizen_screen():
            self.ask(number)
        else:
            self.screen.runner.notice.emit(
                f"办件 {number} 已办结：按 {shortcut('cases', 'evaluate').shown} 请群众评价")

    def enter(self) -> None:
        case = self.screen.selected()
        self.dialog = RatingDialog(self.screen.db, self.screen.actor, self.screen.runner,
                                   case.number if case is not None else "", self.parent)
        self.dialog.open()
