"""Issue 9: importing a 13 MB catalogue (thousands of items, each with a dozen materials).

The file is built from the seeded catalogue, each item copied under new codes with more materials,
so every field is realistic; the figure is reading and checking the file plus applying it to an
empty catalogue, then applying it again unchanged (what a monthly re-import costs).
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_BYTES = 12_150_000  # measured item by item; the whole file, indented, comes to about 13 MB
MATERIALS_PER_ITEM = 12


def write_big_catalog(path: Path, seed: list[dict[str, Any]], target_bytes: int = TARGET_BYTES) -> int:
    """A valid catalogue file of about `target_bytes`; returns how many items it holds."""
    items: list[dict[str, Any]] = []
    size = 0
    n = 0
    while size < target_bytes:
        base = dict(seed[n % len(seed)])
        n += 1
        materials = [dict(m) for m in base["materials"]]
        while len(materials) < MATERIALS_PER_ITEM:
            extra = dict(materials[len(materials) % len(base["materials"])])
            extra["name"] = f"{extra['name']}（补充{len(materials) + 1}）"
            materials.append(extra)
        base.update(code=f"BM-{n:05d}", name=f"{base['name']}（{n}）", aliases=[f"{a}{n}" for a in base["aliases"]],
                    materials=materials)
        items.append(base)
        size += len(json.dumps(base, ensure_ascii=False, indent=1).encode("utf-8")) + 2
    document = {"format": "minsheng-catalog", "version": 1, "items": items}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(items)


def run() -> dict[str, Any]:
    from app.actor import SYSTEM_ACTOR
    from app.services.catalog import items as catalog
    from app.services.catalog.data import item_to_dict
    from app.services.catalog.files import read_catalog
    from app.services.setup import SetupRequest, perform_setup
    from app.startup import open_workstation

    with tempfile.TemporaryDirectory(prefix="bench-catalog-") as tmp:
        folder = Path(tmp)
        db, _ = open_workstation(folder / "ws")
        perform_setup(db, SetupRequest("220821100", "基准测试中心", "01", "1号窗口", "window", "admin", "abc12345"))
        seed = [item_to_dict(i) for i in catalog.load_all(db)]
        path = folder / "big.json"
        count = write_big_catalog(path, seed)
        size_mb = path.stat().st_size / 1_000_000

        start, cpu = time.perf_counter(), time.process_time()
        items = read_catalog(path)
        read_s = time.perf_counter() - start
        report = catalog.apply_items(db, SYSTEM_ACTOR, items, source=path.name)
        first_s, first_cpu = time.perf_counter() - start, time.process_time() - cpu
        assert report.added == count

        start, cpu = time.perf_counter(), time.process_time()
        again = catalog.apply_items(db, SYSTEM_ACTOR, read_catalog(path), source=path.name)
        second_s, second_cpu = time.perf_counter() - start, time.process_time() - cpu
        assert again.unchanged == count
        db.dispose()
    return {
        "file_mb": round(size_mb, 1),
        "items": count,
        "materials": count * MATERIALS_PER_ITEM,
        "read_and_check_s": round(read_s, 2),
        "import_new_s": round(first_s, 2),  # target: under 5 s
        "import_new_cpu_s": round(first_cpu, 2),  # the same without waiting (a busy machine, fsync)
        "reimport_unchanged_s": round(second_s, 2),
        "reimport_unchanged_cpu_s": round(second_cpu, 2),
    }
