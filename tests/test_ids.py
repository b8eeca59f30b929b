from __future__ import annotations

import uuid

from app.ids import uuid7


def test_uuid7_has_version_and_variant() -> None:
    value = uuid.UUID(uuid7())
    assert value.version == 7
    assert value.variant == uuid.RFC_4122


def test_uuid7_is_unique_and_ordered_within_a_burst() -> None:
    keys = [uuid7() for _ in range(5000)]
    assert len(set(keys)) == 5000
    assert keys == sorted(keys)
