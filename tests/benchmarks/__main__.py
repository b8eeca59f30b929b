"""`make bench`: run the benchmarks and print one JSON object.

`python -m tests.benchmarks` runs every section; name sections to run only those, e.g.
`python -m tests.benchmarks startup ui`. Sections: startup, documents, cases, lookup_1m (fills the
cases database to a million rows, some minutes), ui, cli, sync, catalog_import, ledger (the 办件登记簿 of
100k cases to Excel, and its memory), ratings (the default rating of 100k cases), public_page (the centre's
public page under 50 phones), stats (issue 13: a month's report figures over a township's year of 1M
cases, on SQLite and at the centre on PostgreSQL, and the monthly PDF; its data are generated once,
some minutes, and kept: run it by name), idcard (issue 15: a simulated ID card placed → the F6 form
filled, through the real watcher), queue (issue 15: 20 windows calling at once through the centre while
kiosks take tickets; take and call round trips). `--skip lookup_1m,sync` leaves sections out of the full run. Each of issue 10's targets appears in its section's "targets"
and, all together, in the top-level "targets" with "all_pass".
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from typing import Any


def _sections(selected: set[str]) -> dict[str, Callable[[], dict[str, Any]]]:
    from tests.benchmarks import (
        cases,
        catalog_import,
        cli,
        documents,
        gui,
        idcard,
        ledger,
        public_page,
        queue,
        ratings,
        startup,
        stats,
        sync,
    )

    lookup = 1_000_000 if "lookup_1m" in selected else 0
    return {
        "startup": startup.run,
        "documents": documents.run,
        "cases": lambda: cases.run(lookup_total=lookup),
        "ui": gui.run,
        "cli": cli.run,
        "sync": sync.run,
        "catalog_import": catalog_import.run,
        "ledger": ledger.run,
        "ratings": ratings.run,
        "public_page": public_page.run,
        "stats": stats.run,
        "idcard": idcard.run,
        "queue": queue.run,
    }


SECTIONS = ("startup", "documents", "cases", "lookup_1m", "ui", "cli", "sync", "catalog_import", "ledger",
            "ratings", "public_page", "stats", "idcard", "queue")
ON_REQUEST = frozenset({"stats"})  # left out of the full run: named, they run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument("sections", nargs="*", metavar="SECTION",
                        help=f"run only these ({', '.join(SECTIONS)}); all when none is named")
    parser.add_argument("--skip", default="", help="comma-separated sections to leave out")
    args = parser.parse_args(argv)
    skipped = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = (set(args.sections) | skipped) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section {', '.join(sorted(unknown))}; sections: {', '.join(SECTIONS)}")
    selected = set(args.sections or [s for s in SECTIONS if s not in ON_REQUEST]) - skipped
    if "lookup_1m" in selected:
        selected.add("cases")  # the million rows are the acceptance run's database, filled further
    results: dict[str, Any] = {"machine": {"python": platform.python_version(), "system": platform.platform()}}
    targets: dict[str, Any] = {}
    for name, run in _sections(selected).items():
        if name not in selected:
            continue
        start = time.perf_counter()
        section = run()
        section["section_s"] = round(time.perf_counter() - start, 1)
        results[name] = section
        for key, check in section.get("targets", {}).items():
            targets[f"{name}.{key}"] = check
    if targets:
        results["targets"] = {"all_pass": all(t["pass"] for t in targets.values()), **targets}
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
