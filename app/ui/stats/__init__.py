"""统计 screen (Ctrl+Shift+S): the figures table, the period and scope pickers and the QPainter charts.
Only what is shown lives here; figures, who may see them and the chart data come from app.services.stats."""
