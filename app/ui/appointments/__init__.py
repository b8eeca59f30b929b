"""预约 screen (Ctrl+Shift+Y): the day's appointments, check-in, home visits and after-hours service."""
