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


def test_node_stamped_keys_name_their_node_and_still_sort_by_time() -> None:
    import time

    from app.ids import id_node

    for code in ("00", "01", "42", "99"):
        key = uuid7(code)
        assert uuid.UUID(key).version == 8 and uuid.UUID(key).variant == uuid.RFC_4122
        assert id_node(key) == code
    assert id_node(uuid7()) is None  # keys made before stamping keep the old rule
    assert id_node("not-a-key") is None and id_node(None) is None
    first = [uuid7("07") for _ in range(2000)]
    time.sleep(0.002)
    later = uuid7("01")
    assert first == sorted(first) and len(set(first)) == 2000
    assert later > first[-1]  # a later key from a lower node code still sorts after
    import pytest

    with pytest.raises(ValueError):
        uuid7("1")
