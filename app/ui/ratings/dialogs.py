"""The steps of a bad rating's rectification, one small keyboard dialog each: 核实, 回访, 办结 (已整改 or
无法整改 with a new deadline), 申诉 (by the rated staff member) and 申诉复核 (the director's decision).

The screen opens only the steps the core would take (app.services.ratings.listing.actions_for); the
core still checks everything, and a refusal is shown in red on the dialog, with nothing changed.
Ctrl+Enter (or Enter) confirms, Esc cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QLabel, QLineEdit, QWidget

from app.actor import Actor
from app.database import Database
from app.services.errors import ValidationError
from app.services.ratings import rectification as rect
from app.services.ratings.listing import ACTIONS, RectificationItem
from app.ui.forms import InlineForm, dialog_with_form, report_on, to_date, today_qdate
from app.ui.key_binding import bind
from app.ui.tasks import TaskRunner

NEW_DEADLINE_DAYS = 14  # the date first offered for 无法整改's new deadline; the clerk sets the real one


def _line(limit: int) -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(limit)
    return edit


def _choice(*entries: tuple[str, object]) -> QComboBox:
    """A choice that starts on 请选择, so an answer is never given by default."""
    combo = QComboBox()
    combo.addItem("请选择", None)
    for text, value in entries:
        combo.addItem(text, value)
    return combo


class RectificationDialog(QDialog):
    """One step (`step`: a key of listing.ACTIONS) for one rectification."""

    finished_step = Signal(str, str)  # (step, rectification id): recorded

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, item: RectificationItem, step: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rectificationDialog")
        self.db, self.actor, self.runner, self.item, self.step = db, actor, runner, item, step
        self.setWindowTitle(f"{ACTIONS[step]} — {item.target_number}")
        self.setMinimumWidth(560)
        self.form = InlineForm()
        said = escape(f"{item.level_label}：{item.reasons_text or '—'}" + (f"（{item.text}）" if item.text else ""))
        summary = QLabel(f"{said}<br>被评价人 {escape(item.staff_name)}（{escape(item.staff_no)}）　{item.status_label}　"
                         f"整改期限 {item.due_date:%Y-%m-%d}")
        summary.setWordWrap(True)
        self.form.addRow(summary)
        self.note = _line(rect.MAX_NOTE)
        self.evidence = _line(rect.MAX_NOTE)
        self.satisfied = _choice(("满意", True), ("不满意", False))
        self.outcome = QComboBox()
        self.outcome.addItem(rect.OUTCOMES["fixed"], "fixed")
        self.outcome.addItem(rect.OUTCOMES["unfixable"], "unfixable")
        self.until = QDateEdit(today_qdate().addDays(NEW_DEADLINE_DAYS))
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.until.setMinimumDate(today_qdate())
        self.decision = _choice(("申诉成立，定为无效差评（不计入任何统计，评价保留）", True), ("申诉不成立", False))
        self._build()
        self.status = dialog_with_form(self, self.form, f"{ACTIONS[step]}(&K)", self.submit)
        bind(self, "rectification_dialog", "confirm", self.submit)

    def _build(self) -> None:
        step = self.step
        if step == "verify":
            self.form.add_field("note", "核实情况(&N)", self.note, "核实差评所说是否属实，整改从此开始")
        elif step == "callback":
            self.form.addRow("回访人", QLabel(f"{self.actor.name}（工号 {self.actor.staff_no}），时间为现在"))
            self.form.add_field("note", "回访情况(&N)", self.note, "与群众说了什么、群众的意见")
            self.form.add_field("satisfied", "群众是否满意(&S)", self.satisfied)
        elif step == "close":
            self.form.add_field("outcome", "整改结果(&O)", self.outcome)
            self.form.add_field("note", "整改说明(&N)", self.note)
            self.form.add_field("until", "新的整改期限(&U)", self.until, "无法整改时须书面说明原因并告知群众新的期限")
            self.outcome.currentIndexChanged.connect(self._outcome_changed)
            self._outcome_changed()
        elif step == "appeal":
            self.form.add_field("note", "申诉理由(&N)", self.note, "被评价人认为该差评有误或属恶意评价的理由")
            self.form.add_field("evidence", "证据(&E)", self.evidence, "如评价器录像、办件记录（可不填）")
        else:
            self.form.add_field("decision", "复核结论(&O)", self.decision)
            self.form.add_field("note", "复核意见(&N)", self.note, "申诉成立的，该评价保留但不计入任何统计")

    def _outcome_changed(self) -> None:
        unfixable = self.outcome.currentData() == "unfixable"
        self.form.set_visible("until", unfixable)
        box = self.form.field("note").parentWidget()
        label = self.form.labelForField(box) if box is not None else None
        if isinstance(label, QLabel):
            label.setText("无法整改的原因(&N)" if unfixable else "整改说明(&N)")
        layout = self.layout()
        if layout is not None:
            layout.activate()  # the longer label gets its room now, not after the next event

    def work(self) -> Callable[[], None]:
        """The core call this step makes, or a Chinese refusal for a choice not made."""
        db, actor, key, note = self.db, self.actor, self.item.id, self.note.text()
        if self.step == "verify":
            return lambda: rect.verify(db, actor, key, note)
        if self.step == "callback":
            satisfied = self.satisfied.currentData()
            if satisfied is None:
                raise ValidationError("请选择群众对回访是否满意")
            return lambda: rect.callback(db, actor, key, note, bool(satisfied))
        if self.step == "close":
            outcome = str(self.outcome.currentData())
            until = to_date(self.until.date()) if outcome == "unfixable" else None
            return lambda: rect.close(db, actor, key, outcome, note, until)
        if self.step == "appeal":
            evidence = self.evidence.text()
            return lambda: rect.appeal(db, actor, key, note, evidence)
        upheld = self.decision.currentData()
        if upheld is None:
            raise ValidationError("请选择复核结论：申诉成立或不成立")
        return lambda: rect.decide_appeal(db, actor, key, bool(upheld), note)

    def submit(self) -> None:
        self.status.setText("")
        try:
            work = self.work()
        except ValidationError as exc:
            report_on(self.status, exc)
            return
        self.runner.submit(work, self._done, lambda exc: report_on(self.status, exc))

    def _done(self, _result: object) -> None:
        self.accept()
        self.finished_step.emit(self.step, self.item.id)
