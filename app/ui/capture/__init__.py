"""The document camera (高拍仪) and scanned files in F6 and 补正: camera backends, the capture panel.
Storing, bounds and records live in app.services.attachments; nothing here decides a rule."""
