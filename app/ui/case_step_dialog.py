"""F7 办理: the next step of a case (decision, 办结通知, delivery, withdrawal, archive), from the keyboard.

The steps offered are those the lifecycle table allows for the case's state and class (the core
decides; this dialog only asks for what the step needs). A refused step shows its reason in red and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QWidget

from app.actor import Actor
from app.database import Database
from app.services import field_rules as rules
from app.services.cases import actions as act
from app.services.cases.lifecycle import Transition
from app.ui.forms import InlineForm, dialog_with_form, report_on
from app.ui.tasks import TaskRunner

STEPS = ("approved", "denied", "completed_on_spot", "notified", "delivered", "withdrawn", "archived")
# Each field a step may need: its label, and how long it may be.
FIELDS: dict[str, tuple[str, int]] = {
    "result": ("办理结果(&R)", rules.RESULT.max_len),
    "document_number": ("证件或批复文号(&N)", rules.EVENT_SHORT.max_len),
    "amount": ("金额(&M)", rules.EVENT_SHORT.max_len),
    "reason": ("理由(&Y)", rules.DENIAL_REASON.max_len),
    "basis": ("法律依据(&B)", rules.LEGAL_BASIS.max_len),
    "late_reason": ("超期原因（超过办结期限时必填）(&L)", rules.LATE_REASON.max_len),
    "receiver": ("签收人(&Q)", rules.APPLICANT_NAME.max_len),
    "receiver_id": ("签收人证件号码(&I)", rules.ID_NUMBER.max_len),
    "tracking": ("邮件单号(&T)", rules.EVENT_SHORT.max_len),
    "box": ("档案盒号(&H)", rules.EVENT_SHORT.max_len),
}
STEP_FIELDS = {
    "approved": ("result", "document_number", "amount", "late_reason"),
    "denied": ("reason", "basis", "late_reason"),
    "completed_on_spot": ("result",),
    "notified": (),
    "delivered": ("receiver", "receiver_id", "tracking"),
    "withdrawn": ("reason",),
    "archived": ("box",),
}


class CaseStepDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, number: str, step: Transition,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.runner, self.number, self.step = db, actor, runner, number, step
        self.setWindowTitle(f"{step.label} — {number}")
        self.setMinimumWidth(520)
        self.form = InlineForm()
        self.method = QComboBox()
        for key, label in act.DELIVERY_METHODS.items():
            self.method.addItem(label, key)
        if step.action in {"notified", "delivered"}:
            self.form.add_field("method", "送达方式(&S)", self.method)
        self.edits: dict[str, QLineEdit] = {}
        for name in STEP_FIELDS[step.action]:
            label, limit = FIELDS[name]
            edit = QLineEdit()
            edit.setMaxLength(limit)
            self.edits[name] = self.form.add_field(name, label, edit)
        self.status = dialog_with_form(self, self.form, f"{step.label}(&O)", self.submit)

    def text(self, name: str) -> str:
        return self.edits[name].text() if name in self.edits else ""

    def work(self) -> Callable[[], str]:
        db, actor, number, t = self.db, self.actor, self.number, self.text
        action, method = self.step.action, str(self.method.currentData())
        if action in {"approved", "denied"}:
            decision = act.Decision(approve=action == "approved", result=t("result"),
                                    document_number=t("document_number"), amount=t("amount"), reason=t("reason"),
                                    basis=t("basis"), late_reason=t("late_reason"))
            return lambda: act.decide(db, actor, number, decision)
        if action == "completed_on_spot":
            result = t("result")
            return lambda: act.complete_on_spot(db, actor, number, result)
        if action == "notified":
            return lambda: act.notify(db, actor, number, method)
        if action == "delivered":
            delivery = act.Delivery(method, t("receiver"), t("receiver_id"), t("tracking"))
            return lambda: act.deliver(db, actor, number, delivery)
        if action == "withdrawn":
            reason = t("reason")
            return lambda: act.withdraw(db, actor, number, reason)
        box = t("box")
        return lambda: act.archive(db, actor, number, box)

    def submit(self) -> None:
        self.status.setText("")
        self.runner.submit(self.work(), lambda _state: self.accept(), lambda exc: report_on(self.status, exc))
