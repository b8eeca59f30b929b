"""`county status`: per township, whether its subscription runs, how far behind it is, its errors and,
for one a conflict stopped, the exact way to repair it.

Lag is what the subscription itself reports (pg_stat_subscription): the WAL received against what was
applied and confirmed (latest end), and when the township was last heard from; the township's own
position is not known here without its password. Error counts come from pg_stat_subscription_stats, the
text from the embedded server's log (app.county.serverlog).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import text

from app.county.runtime import County
from app.county.serverlog import LoggedError, SubscriptionLog
from app.county.subscriptions import subscription_logs

STATES = {"ok": "正常", "copying": "初始复制中", "unreachable": "未连接乡镇", "interrupted": "已停用（与乡镇的连接中断）",
          "stopped": "已停用（出错）", "disabled": "已停用", "missing": "订阅缺失"}

_QUERY = """
SELECT t.code, t.name, t.host, t.port, t.dbname, t.username, t.subscription, s.oid, s.subenabled,
       st.pid, st.received_lsn::text AS received, st.latest_end_lsn::text AS latest_end,
       pg_wal_lsn_diff(st.received_lsn, st.latest_end_lsn) AS lag_bytes, st.last_msg_receipt_time,
       EXTRACT(EPOCH FROM now() - st.last_msg_receipt_time) AS quiet_s,
       coalesce(ss.apply_error_count, 0) AS apply_errors, coalesce(ss.sync_error_count, 0) AS sync_errors,
       (SELECT count(*) FROM pg_subscription_rel r WHERE r.srsubid = s.oid) AS tables_total,
       (SELECT count(*) FROM pg_subscription_rel r WHERE r.srsubid = s.oid AND r.srsubstate = 'r') AS tables_ready
FROM township t
LEFT JOIN pg_subscription s ON s.subname = t.subscription
     AND s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
LEFT JOIN pg_stat_subscription st ON st.subid = s.oid AND st.relid IS NULL
LEFT JOIN pg_stat_subscription_stats ss ON ss.subid = s.oid
ORDER BY t.code
"""


@dataclass
class TownshipStatus:
    code: str
    name: str
    url: str
    subscription: str
    state: str  # a key of STATES
    enabled: bool
    connected: bool
    received_lsn: str | None = None
    latest_end_lsn: str | None = None
    lag_bytes: int | None = None
    last_message_at: str | None = None
    seconds_since_message: int | None = None
    tables_ready: int = 0
    tables_total: int = 0
    apply_errors: int = 0
    sync_errors: int = 0
    last_error: str = ""
    last_error_at: str = ""
    repair: list[str] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "state_label": self.state_label}


def repair_ways(code: str, subscription: str, error: LoggedError | None, has_log: bool) -> list[str]:
    """How a stopped subscription is repaired, as commands to type."""
    ways: list[str] = []
    if error is not None and error.key is not None and error.relation:
        column, value = error.key
        ways.append(f"删除县级库中与乡镇冲突的那一行（{error.relation} 表 {column} = {value}，县级库中不应有本地写入的行），"
                    f"再恢复订阅：main.py county resume {code} --delete-conflict")
    if error is not None and error.finish_lsn:
        lsn = error.finish_lsn
        ways.append(f"或跳过乡镇出错的整个事务（该事务的改动不会到达县级，不建议）：main.py county resume {code} --skip-lsn {lsn}"
                    f"（即在县级库执行 ALTER SUBSCRIPTION {subscription} SKIP (lsn = '{lsn}'); "
                    f"ALTER SUBSCRIPTION {subscription} ENABLE;）")
    if not ways:
        where = "" if has_log else f"（错误详情在县级数据库服务器的日志中，搜索 {subscription}）"
        ways.append(f"排除出错原因{where}后恢复订阅：main.py county resume {code}")
    return ways


def _state(row: Any, log: SubscriptionLog, has_log: bool) -> str:
    if row.oid is None:
        return "missing"
    if not row.subenabled:
        if log.stopped_by is not None:
            return "interrupted" if log.stopped_by.transient else "stopped"
        # without the log (an external server), errors counted since the last reset are the only sign
        return "stopped" if not has_log and (row.apply_errors or row.sync_errors) else "disabled"
    if row.pid is None:
        return "unreachable"
    return "copying" if row.tables_ready < row.tables_total else "ok"


def township_status(county: County) -> list[TownshipStatus]:
    logs = subscription_logs(county)
    has_log = county.log_path is not None
    with county.engine.connect() as conn:
        rows = conn.execute(text(_QUERY)).all()
    out = []
    for row in rows:
        log = logs.get(str(row.subscription), SubscriptionLog())
        state = _state(row, log, has_log)
        error = log.stopped_by if state in ("stopped", "interrupted") else log.last
        host = f"[{row.host}]" if ":" in str(row.host) else row.host
        received: datetime | None = row.last_msg_receipt_time
        item = TownshipStatus(
            str(row.code), str(row.name), f"postgresql://{row.username}@{host}:{row.port}/{row.dbname}",
            str(row.subscription), state, bool(row.subenabled), row.pid is not None, row.received, row.latest_end,
            None if row.lag_bytes is None else int(row.lag_bytes),
            received.isoformat() if received else None, None if row.quiet_s is None else int(row.quiet_s),
            int(row.tables_ready or 0), int(row.tables_total or 0), int(row.apply_errors), int(row.sync_errors))
        if error is not None and state != "ok":
            item.last_error, item.last_error_at = error.text(), error.at
        if state == "stopped":
            item.repair = repair_ways(item.code, item.subscription, error, has_log)
        elif state == "disabled":
            item.repair = [f"恢复订阅：main.py county resume {item.code}"]
        elif state == "interrupted":
            item.repair = [f"运行中的 county serve 会自动恢复它（乡镇恢复后自动补齐）；也可手动：main.py county resume {item.code}"]
        elif state == "missing":
            item.repair = [f"重新订阅：main.py county subscribe --township {item.url}"]
        elif state == "unreachable":
            item.repair = ["检查乡镇中心是否在运行（center serve）、网络是否畅通、乡镇 center publish 的 --listen/--allow；"
                           "连通后自动补齐，无须其他操作"]
        out.append(item)
    return out


def status_lines(rows: list[TownshipStatus]) -> list[str]:
    """The status as printed, a block per township."""
    if not rows:
        return ["县级尚未订阅任何乡镇：main.py county subscribe --township 乡镇订阅地址"]
    lines: list[str] = []
    for r in rows:
        lines.append(f"{r.code} {r.name}：{r.state_label}")
        lines.append(f"  地址：{r.url}　订阅：{r.subscription}")
        if r.tables_total:
            lines.append(f"  初始复制：{r.tables_ready}/{r.tables_total} 张表完成")
        if r.received_lsn is not None:
            quiet = "—" if r.seconds_since_message is None else f"{r.seconds_since_message} 秒前"
            lines.append(f"  已接收至 {r.received_lsn}，已应用并确认至 {r.latest_end_lsn}（差 {r.lag_bytes or 0} 字节），"
                         f"最近收到乡镇消息：{quiet}")
        lines.append(f"  出错次数：应用 {r.apply_errors}，初始复制 {r.sync_errors}")
        if r.last_error:
            lines.append(f"  最近错误（{r.last_error_at}）：{r.last_error}")
        for n, way in enumerate(r.repair, start=1):
            lines.append(f"  修复{n if len(r.repair) > 1 else ''}：{way}")
    return lines
