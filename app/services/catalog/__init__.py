"""The item catalogue (办事指南): items and their materials, import/export files, pinyin search.
The seeded 34 items live here too; the tables live in app.models."""
