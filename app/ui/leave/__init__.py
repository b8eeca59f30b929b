"""The 请假值周 screen (Ctrl+Shift+Q): my leave requests and the 新请假 dialog, the approver's list, the duty roster,
inspections and the weekly summary. Rules and queries live in app.services.people.leave / duty, not here."""
