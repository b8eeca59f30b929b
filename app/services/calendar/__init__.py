"""The official holiday calendar and the working-day engine every deadline is counted on.
Nothing here knows about cases."""
