"""考勤 screens: the area (view.py) and the sign-in offer after the first login of a working day (offer.py)."""
