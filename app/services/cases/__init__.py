"""A case from acceptance to archive: the form, the lifecycle table, deadlines and lights, history,
bulk import. Documents are rendered in app.printing; the tables live in app.models."""
