"""A printing sheet (a frozen dataclass of plain values) to JSON and back, for documents kept as issued.

The stored JSON is what a reprint renders, possibly years and versions later: fields a newer sheet
added take their defaults, fields an older one had and this one dropped are ignored, so an old record
still prints. Only what sheets hold is supported: str, int, bool, None, nested sheet dataclasses and
tuples of those.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def dump(sheet: object) -> str:
    """The sheet as compact, stable JSON (keys sorted: the same sheet gives the same text)."""
    if not dataclasses.is_dataclass(sheet) or isinstance(sheet, type):
        raise TypeError("a sheet must be a dataclass instance")
    return json.dumps(dataclasses.asdict(sheet), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def load(cls: type[T], text: str) -> T:
    """The sheet of type `cls` that `dump` wrote (or an older version of it)."""
    value = _build(cls, json.loads(text))
    assert isinstance(value, cls)
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [k for k in typing.get_args(kind) if k is not type(None)]
        return _build(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in value)
        return tuple(_build(k, v) for k, v in zip(args, value, strict=True))
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(value, dict):
            raise ValueError(f"{kind.__name__}: 存档数据格式不符")
        hints = _hints(kind)
        fields = {f.name for f in dataclasses.fields(kind) if f.init}
        return kind(**{name: _build(hints[name], v) for name, v in value.items() if name in fields})
    return value
