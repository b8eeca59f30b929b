"""Putting a read card into F6 (受理) and F3 (首问登记), one rule for each:

- F6: the card fills the applicant (name, ID type and number, address), or, for an organisation, its
  经办人's name; it fills the agent instead when the agent section is ticked (Alt+G) and the cursor is in it.
- F3: the card fills the 咨询人's name.
- When the section already holds another citizen (another ID number, or another name where no number was
  typed), a question comes first (替换 / 不替换, 不替换 the default and Esc): nothing is replaced unless the
  clerk says so. The same citizen's card just fills the same section again.
The line edits' own signals then run the form's checks exactly as for typed text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QWidget

from app.services.idcard.card import CardFill
from app.services.masking import mask_id
from app.ui.messages import ask_two

if TYPE_CHECKING:
    from app.ui.acceptance_view import AcceptanceView
    from app.ui.inquiry_dialog import InquiryDialog


def ask_replace(parent: QWidget, who: str, holder: str, fill: CardFill, replace: Callable[[], None]) -> QMessageBox:
    """替换 or 不替换, non-blocking; `replace` runs only for 替换."""
    return ask_two(parent, "读取身份证",
                   f"{who}栏中已是“{holder}”，读到的是“{fill.name}”（{mask_id(fill.id_number)}）的证件。\n"
                   f"用读到的证件替换{who}的信息吗？", ("替换(&R)", "不替换(&N)"), replace, "idcardReplaceQuestion")


def _someone_else(name: QLineEdit, number: QLineEdit | None, fill: CardFill) -> str:
    """Who the section holds when it is not the card's citizen ("" when empty or the same person)."""
    held_name, held_number = name.text().strip(), number.text().strip().upper() if number is not None else ""
    if held_number:
        return f"{held_name}（{mask_id(held_number)}）" if held_number != fill.id_number else ""
    return held_name if held_name and held_name != fill.name else ""


def card_target(view: AcceptanceView) -> str:
    """applicant, agent or contact (an organisation's 经办人), by the rule above."""
    focused = view.window().focusWidget()
    if view.agent_box.isChecked() and focused is not None and view.agent_box.isAncestorOf(focused):
        return "agent"
    return "contact" if view.applicant_kind.currentData() == "organisation" else "applicant"


TARGET_LABELS = {"applicant": "申请人", "agent": "代理人", "contact": "单位经办人"}


def fill_acceptance(view: AcceptanceView, fill: CardFill) -> QMessageBox | None:
    """Fill F6 now, or return the question asked first."""
    target = card_target(view)
    fields: dict[str, tuple[QLineEdit, QLineEdit | None]] = {
        "applicant": (view.applicant_name, view.id_number), "agent": (view.agent_name, view.agent_id_number),
        "contact": (view.contact_name, None)}
    name, number = fields[target]
    holder = _someone_else(name, number, fill)

    def put() -> None:
        if target == "applicant":
            view.applicant_name.setText(fill.name)
            view.id_type.setCurrentIndex(view.id_type.findData(fill.id_type))
            view.id_number.setText(fill.id_number)
            view.address.setText(fill.address)
            view.phone.setFocus(Qt.FocusReason.OtherFocusReason)  # what the card cannot give comes next
        elif target == "agent":
            view.agent_name.setText(fill.name)
            view.agent_id_type.setCurrentIndex(view.agent_id_type.findData(fill.id_type))
            view.agent_id_number.setText(fill.id_number)
            view.agent_relation.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            view.contact_name.setText(fill.name)
        view.card_panel.show_card(fill, TARGET_LABELS[target])
        view.status.setText(_read_note(fill, TARGET_LABELS[target]))
        view.revalidate()

    if holder:
        return ask_replace(view, TARGET_LABELS[target], holder, fill, put)
    put()
    return None


def fill_inquiry(dialog: InquiryDialog, fill: CardFill) -> QMessageBox | None:
    holder = _someone_else(dialog.citizen_name, None, fill)

    def put() -> None:
        dialog.citizen_name.setText(fill.name)
        dialog.card_panel.show_card(fill, "咨询人")
        dialog.citizen_phone.setFocus(Qt.FocusReason.OtherFocusReason)

    if holder:
        return ask_replace(dialog, "咨询人", holder, fill, put)
    put()
    return None


def _read_note(fill: CardFill, who: str) -> str:
    note = f"已读入{who}的身份证：{fill.name}。请核对照片与本人。"
    if fill.expired:
        note += f"注意：证件已过有效期（{fill.validity}）。"
    return note
