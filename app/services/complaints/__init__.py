"""Complaints (投诉): the eleven categories, registration, handling until closed, and who is flagged.
State is the fold of a complaint's events, like a case's; the list masks confidential complainants."""
