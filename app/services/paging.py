"""One page of a long list, with the true number of rows the list holds.

Screens show the first page and fetch the next as the clerk scrolls, so a list of 100,000 cases opens
as fast as one of 100 and still says 共 100000 件; exports and the command line stream every row
instead (see the `iter_*` functions of each service), so nothing is ever silently cut off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

PAGE_SIZE = 200  # rows a screen fetches at a time: a few screens' worth, quick to read
STREAM_CHUNK = 500  # rows an export or command holds in memory at a time


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    total: int  # rows matching the query, not only the ones in this page
    offset: int = 0


def check_window(offset: int, limit: int) -> None:
    """A page request from a screen; a negative window is a programming error, not user input."""
    if offset < 0 or limit < 1:
        raise ValueError(f"invalid page window offset={offset} limit={limit}")
