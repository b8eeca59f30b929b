"""Staff accounts, passwords, log-in and confirmation, and the one permission table.
Attendance and leave will live here; the tables live in app.models."""
