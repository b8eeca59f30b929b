"""Domain services: the Qt-free operations the UI and the command line both call."""
