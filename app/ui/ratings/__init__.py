"""The 好差评 screen (Ctrl+Shift+R): ratings given, and bad-rating rectifications with their call-backs,
appeals and ledger. Only widgets: the lists, rules and steps are app.services.ratings'."""
