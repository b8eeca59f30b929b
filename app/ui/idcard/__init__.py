"""The ID card reader on screen: the watcher that polls off the GUI thread, the photo panel for comparing
the face, filling F6 and F3 (asking before another citizen's data is replaced) and the reader setting."""
