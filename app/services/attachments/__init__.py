"""Materials' electronic copies (电子件): images from the document camera or scanned files, normalised and
stored once by content hash, recorded as pages of a case's materials. No Qt here; the camera is app.ui.capture."""
