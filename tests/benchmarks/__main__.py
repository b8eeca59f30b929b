"""`make bench`: run every benchmark and print one JSON object."""

from __future__ import annotations

import json
import platform

from tests.benchmarks import cases, catalog_import, documents, startup, sync


def main() -> None:
    results = {
        "machine": {"python": platform.python_version(), "system": platform.platform()},
        "startup": startup.run(),
        "documents": documents.run(),
        "cases": cases.run(),
        "sync": sync.run(),
        "catalog_import": catalog_import.run(),
    }
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
