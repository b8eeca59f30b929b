"""Statistics (统计): every figure defined once, as one grouped query with its written definition, and
the tables built from them (periods.py, figures.py, report.py). Qt-free; no rendering here: the PDF and
workbook live in app/printing and the screens in app/ui, and they only read what is here."""
