"""The hall's queue (取号、叫号): tickets kept by the township centre, reached over the sync channel.

Here: the plain data, the workstation's client calls and the ticket this window serves; not the centre's
tables and endpoints (app.center.queue) and not the screens (app.ui).
"""
