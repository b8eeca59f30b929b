"""The Qt desktop client: thin widgets that call app.services, with database work off the GUI thread."""
