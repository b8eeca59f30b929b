"""Printed documents: PDFs built from plain data with reportlab (no Qt here)."""
