"""F7 办理: the next step of a case (decision, 办结通知, delivery, withdrawal, archive), from the keyboard.

The steps offered are those the lifecycle table allows for the case's state and class (the core
decides; this dialog only asks for what the step needs). A refused step shows its reason in red and
changes nothing. A step that hands the citizen a paper (the table's `prints`) announces it when done
(`printable`), and the case screen opens its preview with the print button focused, so the clerk
prints it at once with Enter or Ctrl+P.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QLineEdit, QWidget

from app.actor import Actor
from app.database import Database
from app.services import field_rules as rules
from app.services.cases import actions as act
from app.services.cases.lifecycle import Transition
from app.services.errors import UserError, ValidationError
from app.ui.forms import InlineForm, dialog_with_form, report_on
from app.ui.tasks import TaskRunner

STEPS = ("approved", "denied", "completed_on_spot", "notified", "delivered", "withdrawn", "terminated", "archived")
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
    "carrier": ("寄递单位(&C)", rules.EVENT_SHORT.max_len),
    "address": ("邮寄地址(&A)", rules.APPLICANT_ADDRESS.max_len),
    "items": ("送达材料（名称和份数，如：决定告知书1份；核定表2份）(&G)", 600),
    "valid_until": ("有效期至（年-月-日，可不填）(&V)", 10),
    "department_decision": ("部门决定文号（部门作出书面决定的）(&E)", rules.EVENT_SHORT.max_len),
    "department_decision_date": ("部门决定日期（年-月-日）(&F)", 10),
    "box": ("档案盒号(&H)", rules.EVENT_SHORT.max_len),
    "joint_override": ("联办部门未全部回复即作决定的理由（全部回复后不填）(&J)", rules.LATE_REASON.max_len),
}
JOINT_ONLY = ("joint_override",)  # a 联办件's decision: the lead may go ahead of a missing reply
STEP_FIELDS = {
    "approved": ("result", "document_number", "amount", "valid_until", "department_decision",
                 "department_decision_date", "late_reason", "joint_override"),
    "denied": ("reason", "basis", "department_decision", "department_decision_date", "late_reason", "joint_override"),
    "completed_on_spot": ("result", "late_reason"),
    "notified": (),
    "delivered": ("receiver", "receiver_id", "carrier", "tracking", "address", "items"),
    "withdrawn": ("reason",),
    "terminated": ("reason",),
    "archived": ("box",),
}
BY_METHOD = ("receiver", "receiver_id", "carrier", "tracking", "address")  # shown as the way of delivery asks


def parse_day(text: str, label: str) -> date | None:
    """An optional date typed as 2027-12-31; a Chinese refusal when it is not one."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{label}应写成 年-月-日，如 2027-12-31") from None


class CaseStepDialog(QDialog):
    printable = Signal(str, str)  # (document type, case number): the step's paper, to preview at once

    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, number: str, step: Transition,
                 parent: QWidget | None = None, case_class: str = "", overdue: bool = True) -> None:
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
            if (name in JOINT_ONLY and case_class != "joint") or (name == "late_reason" and not overdue):
                continue
            label, limit = FIELDS[name]
            edit = QLineEdit()
            edit.setMaxLength(limit)
            self.edits[name] = self.form.add_field(name, label, edit)
        self.authorised = QCheckBox("签收人不是申请人本人，已查验申请人的书面委托书(&W)")
        if step.action == "delivered":
            self.form.add_field("authorised", "代领", self.authorised)
            self.method.currentIndexChanged.connect(self._method_changed)
            self._method_changed()
        self.status = dialog_with_form(self, self.form, f"{step.label}(&O)", self.submit)

    def _method_changed(self) -> None:
        """Only what this way of delivery records (the core's DELIVERY_FIELDS); the authorisation for a
        collector at the window who is not the applicant."""
        method = str(self.method.currentData())
        shown = act.DELIVERY_FIELDS[method] + act.DELIVERY_OPTIONAL.get(method, ())
        for name in BY_METHOD:
            self.form.set_visible(name, name in shown)
        self.form.set_visible("authorised", method == "pickup")

    def text(self, name: str) -> str:
        return self.edits[name].text() if name in self.edits else ""

    def work(self) -> Callable[[], str]:
        db, actor, number, t = self.db, self.actor, self.number, self.text
        action, method = self.step.action, str(self.method.currentData())
        if action in {"approved", "denied"}:
            days: dict[str, date | None] = {}
            problems = []
            for name, label in (("valid_until", "有效期"), ("department_decision_date", "部门决定日期")):
                try:
                    days[name] = parse_day(t(name), label)
                except ValidationError as exc:  # both dates said at once, not one after the other
                    problems.append(exc.message)
            if problems:
                raise ValidationError("；".join(problems), problems)
            decision = act.Decision(approve=action == "approved", result=t("result"),
                                    document_number=t("document_number"), amount=t("amount"),
                                    valid_until=days["valid_until"], reason=t("reason"),
                                    basis=t("basis"), department_decision=t("department_decision"),
                                    department_decision_date=days["department_decision_date"],
                                    late_reason=t("late_reason"), joint_override=t("joint_override"))
            return lambda: act.decide(db, actor, number, decision)
        if action == "completed_on_spot":
            result, late = t("result"), t("late_reason")
            return lambda: act.complete_on_spot(db, actor, number, result, late_reason=late)
        if action == "notified":
            return lambda: act.notify(db, actor, number, method)
        if action == "delivered":
            shown = act.DELIVERY_FIELDS[method] + act.DELIVERY_OPTIONAL.get(method, ())

            def given(name: str) -> str:  # what is hidden for this way of delivery is not sent
                return t(name) if name in shown else ""

            delivery = act.Delivery(method, given("receiver"), given("receiver_id"), given("tracking"),
                                    carrier=given("carrier"), address=given("address"),
                                    authorised=method == "pickup" and self.authorised.isChecked(),
                                    items=act.parse_items(t("items")))
            return lambda: act.deliver(db, actor, number, delivery)
        if action == "withdrawn":
            reason = t("reason")
            return lambda: act.withdraw(db, actor, number, reason)
        if action == "terminated":
            reason = t("reason")
            return lambda: act.terminate(db, actor, number, reason)
        box = t("box")
        return lambda: act.archive(db, actor, number, box)

    def submit(self) -> None:
        self.status.setText("")
        try:
            work = self.work()
        except UserError as exc:  # a date or a list typed wrongly: said before anything is sent
            report_on(self.status, exc)
            return
        self.runner.submit(work, self._done, lambda exc: report_on(self.status, exc))

    def _done(self, _state: str) -> None:
        self.accept()
        if self.step.prints:
            self.printable.emit(self.step.prints, self.number)
