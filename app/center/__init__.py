"""The township centre: PostgreSQL store, sync service and its command line. Qt-free."""
