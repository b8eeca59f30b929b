"""As-you-type search over the catalogue by name, alias, code, pinyin initials or full pinyin.

A township publishes a few hundred items at most, so the list lives in memory and each keystroke
ranks it in well under a millisecond; the pinyin keys were computed when the items were stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.services.search_text import clean_search


@dataclass(frozen=True)
class ItemSummary:
    id: str
    code: str
    name: str
    aliases: str
    category: str
    department: str
    case_class: str
    promised_limit_days: int
    agent_allowed: bool
    retired: bool
    initials: str
    pinyin: str


def _rank(item: ItemSummary, query: str) -> int | None:
    """Lower is better; None when the item does not match."""
    name_text = f"{item.name} {item.aliases}"
    code = item.code.lower()
    if code == query:
        return 0
    if item.name == query or query in item.aliases.split("、"):
        return 1
    if name_text.startswith(query) or any(a.startswith(query) for a in item.aliases.split("、")):
        return 2
    if any(part.startswith(query) for part in item.initials.split()):
        return 3
    if query in name_text:
        return 4
    if query in item.initials:
        return 5
    if code.startswith(query) or query in code:
        return 6
    if any(part.startswith(query) for part in item.pinyin.split()) or query in item.pinyin:
        return 7
    if query in item.department or query in item.category:
        return 8
    return None


def search(items: list[ItemSummary], query: str, include_retired: bool = False) -> list[ItemSummary]:
    """Items matching every space-separated term, best matches first; all items for an empty query."""
    pool = [i for i in items if include_retired or not i.retired]
    terms = clean_search(query).lower().split()
    if not terms:
        return pool
    ranked: list[tuple[int, int, ItemSummary]] = []
    for position, item in enumerate(pool):
        ranks = [_rank(item, term) for term in terms]
        if all(r is not None for r in ranks):
            ranked.append((sum(r for r in ranks if r is not None), position, item))
    ranked.sort(key=lambda entry: (entry[0], entry[1]))
    return [item for _, _, item in ranked]
