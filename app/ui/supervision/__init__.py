"""The 督办 screen (Ctrl+Shift+D): the director's board by window, 发督办, and a window's answers. Only widgets:
the records, rules and counts are app.services.supervision's."""
