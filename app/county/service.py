"""`county serve`: what keeps a county's subscriptions running. The embedded server lives while a county
process holds it (pgserver stops it with the last one), and a subscription made with disable_on_error
also stops when its township's connection drops: this loop resumes those (never one a conflict stopped)
and says when a township's state changes."""

from __future__ import annotations

import time
from collections.abc import Callable

from app.clock import local_now
from app.county.errors import CountyError
from app.county.runtime import County
from app.county.status import township_status
from app.county.subscriptions import resume_interrupted

MIN_INTERVAL, MAX_INTERVAL = 5.0, 3600.0


def serve(county: County, interval: float = 30.0, passes: int | None = None,
          sleep: Callable[[float], None] = time.sleep, say: Callable[[str], None] = print) -> None:
    """Check every `interval` seconds until stopped (Ctrl+C), or `passes` times."""
    if not MIN_INTERVAL <= interval <= MAX_INTERVAL:
        raise CountyError(f"--interval 应在 {MIN_INTERVAL:g}–{MAX_INTERVAL:g} 秒之间")
    towns = township_status(county)
    say(f"县级订阅服务运行中：{len(towns)} 个乡镇，每 {interval:g} 秒检查一次；"
        "与乡镇的连接中断而停用的订阅自动恢复（Ctrl+C 停止）")
    known = {t.code: t.state for t in towns}
    done = 0
    while passes is None or done < passes:
        for name in resume_interrupted(county):
            say(f"{local_now():%Y-%m-%d %H:%M} {name}：与乡镇的连接中断后订阅停用，已自动恢复，乡镇可达时自动补齐")
        for town in township_status(county):
            if known.get(town.code) != town.state:
                known[town.code] = town.state
                hint = f"；修复：{town.repair[0]}" if town.state == "stopped" and town.repair else ""
                say(f"{local_now():%Y-%m-%d %H:%M} {town.name}（{town.code}）：{town.state_label}{hint}")
        done += 1
        if passes is None or done < passes:
            sleep(interval)
