"""The hall's queue on screen: the ticket kiosk (--kiosk), the window's call bar, the hall display (--hall).

The rules and the centre's answers are the Qt-free app.services.queue's; here they are drawn, fed keys
and touches, and printed. Every call to the centre runs off the GUI thread.
"""
