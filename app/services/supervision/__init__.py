"""督办 / 电子监察: the director's supervision of the windows.

records.py issues a 督办 (director only) and takes a window's answer (only at the addressed node); auto.py
writes the automatic records (overdue, extension asked after the deadline, refusal without a reason) once
per case and rule; board.py counts the township's yellow and red cases and complaints by window.
"""
