"""预约、上门、延时: appointments at a window or at home, their check-in and outcome, and after-hours service.

Not here: the acceptance itself (app.services.cases), the notice (app.services.inquiries.notices), figures
(app.services.stats, which calls after_hours_count).
"""
