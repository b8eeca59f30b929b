"""The 投诉 screen: the complaints list with lights and detail (view), registering (register_dialog) and
each later step (handle_dialog). Rules and queries live in app.services.complaints, not here."""
