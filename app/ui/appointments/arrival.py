"""What follows a check-in (or 上门受理 for a home visit): the acceptance (F6) or, for a 咨询 appointment,
the 首问 dialog, pre-filled.

The acceptance starts from the appointment's one-time notice (AcceptanceView.start_from_notice, as the
second visit with a notice does), so the case follows that notice and the core links it back to the
appointment (app.services.appointments.checkin.link_accepted_case).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services.appointments.booking import AppointmentRecord

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def continue_arrival(main: MainWindow, record: AppointmentRecord) -> None:
    if record.purpose == "inquiry":
        _inquiry(main, record)
        return
    main.show_area(main.acceptance)
    main.acceptance.start_from_notice(record.item_code, record.citizen_name, record.citizen_phone, [],
                                      record.notice_number)
    if record.citizen_id_number:
        main.acceptance.id_number.setText(record.citizen_id_number)
        main.acceptance.address.setFocus()
    if record.kind == "home":
        if record.address and not main.acceptance.address.text().strip():
            main.acceptance.address.setText(record.address)
        main.acceptance.status.setText(f"上门服务 {record.number}（{record.address}）：上门受理，请核对证件并补全"
                                       "申请人信息，Ctrl+Enter 受理；受理后自动关联本次上门服务。")
        main.acceptance.revalidate()
        main.statusBar().showMessage(f"上门受理：{record.citizen_name}（{record.number}）", 8000)
        return
    main.acceptance.status.setText(f"预约 {record.number} 已到达（{record.slot}）：请核对证件并补全申请人信息，"
                                   "Ctrl+Enter 受理。")
    main.acceptance.revalidate()
    main.statusBar().showMessage(f"预约 {record.number} 已到达：{record.citizen_name}", 8000)


def _link_inquiry(main: MainWindow, record: AppointmentRecord, inquiry_number: str) -> None:
    """The 首问 registered from a 咨询 appointment closes it (its outcome names the register's number)."""
    from app.services.appointments.checkin import link_inquiry

    main.runner.submit(lambda: link_inquiry(main.db, main.actor, record.number, inquiry_number),
                       lambda done: main.statusBar().showMessage(f"预约 {done.number} 已办理：{done.outcome}", 8000))


def _inquiry(main: MainWindow, record: AppointmentRecord) -> None:
    from app.services.catalog.items import load_summaries
    from app.services.inquiries.departments import list_departments

    def opened(result: tuple[list, list]) -> None:  # type: ignore[type-arg]
        main._open_inquiry(result)
        dialog = main.inquiry_dialog
        if dialog is not None:
            dialog.citizen_name.setText(record.citizen_name)
            dialog.citizen_phone.setText(record.citizen_phone)
            dialog.item.set_code(record.item_code)
            dialog.setWindowTitle(dialog.windowTitle() + f" — 预约 {record.number}")
            dialog.registered.connect(lambda done: _link_inquiry(main, record, done.number))

    main.runner.submit(lambda: (load_summaries(main.db), list_departments(main.db)), opened)
