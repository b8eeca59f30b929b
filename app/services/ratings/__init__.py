"""Ratings (好差评): the national levels and reason codes, rating a served citizen's case or visit,
and the 基本满意 given by default when no rating came within 5 working days."""
