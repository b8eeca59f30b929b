"""PostgreSQL's own tools for the centre's backups: which pg_dump fits the server, how they connect,
and what a pg_dump archive says about itself.

pg_dump refuses a server newer than itself, so the tools are chosen by the server's major version among
pgserver's (the embedded centre's) and the machine's (Debian's versioned folders, PATH). They connect
with the address on the command line but never the password: every user of the machine can read a
command line (`ps`), so the password travels in PGPASSWORD. An archive is input like any other: its
size is bounded, its first bytes and its table of contents checked, and what is read from it capped.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from sqlalchemy.engine import URL, make_url

from app.center.errors import CenterError

ARCHIVE_MAGIC = b"PGDMP"
MIN_ARCHIVE_BYTES = 1024  # an empty centre's archive is over 100 KB
MAX_ARCHIVE_BYTES = 64 * 1024**3
MAX_PATH_CHARS = 1024
LIST_CAP = 4 * 1024**2  # pg_restore --list of a centre: about 20 KB
DATA_CAP = 1024**2  # the rows of alembic_version, center_info and center_node
CENTRE_TABLES = ("alembic_version", "center_info", "center_node", "case_file")
TOOLS = ("pg_dump", "pg_restore", "psql")


class CenterBackupError(CenterError):
    """A backup or restore that cannot be done; the message says why, and nothing was changed."""


@dataclass(frozen=True)
class PgTools:
    """pg_dump, pg_restore and psql of one PostgreSQL version, in one folder."""

    folder: Path
    major: int

    def path(self, name: str) -> str:
        return shutil.which(name, path=str(self.folder)) or str(self.folder / name)


@dataclass(frozen=True)
class ArchiveInfo:
    path: Path
    center_code: str
    center_name: str
    generation: str
    revision: str  # alembic revision of the centre's schema in the backup
    created_at: datetime | None
    nodes: dict[str, tuple[str, bool]]  # node code: (device token hash, revoked)
    dumped_by: int  # pg_dump's major version: pg_restore must be as new


def find_tools(server_major: int | None = None) -> PgTools:
    """The oldest tool set at least as new as the server (pgserver's first among equals); without a
    server, the newest (pg_restore reads archives of every older pg_dump)."""
    found = _available()
    fitting = sorted(f for f in found if server_major is None or f[0] >= server_major)
    if fitting:
        major, _order, folder = fitting[-1] if server_major is None else fitting[0]
        return PgTools(folder, major)
    if not found:
        raise CenterBackupError("本机找不到 PostgreSQL 客户端工具（pg_dump、pg_restore、psql）；"
                                "它们随 pgserver 安装，请重新安装本程序的依赖")
    newest = max(f[0] for f in found)
    raise CenterBackupError(
        f"中心数据库服务器或备份是 PostgreSQL {server_major}，本机的 pg_dump 只到 {newest} 版，不能处理更新的版本；"
        f"请在本机安装 PostgreSQL {server_major} 的客户端工具（Debian/Ubuntu：apt install postgresql-client-{server_major}）"
        "后重试")


@functools.cache
def _available() -> list[tuple[int, int, Path]]:
    found: list[tuple[int, int, Path]] = []
    for order, folder in enumerate(_tool_folders()):
        major = _tools_major(folder)
        if major is not None:
            found.append((major, order, folder))
    return found


def _tool_folders() -> list[Path]:
    folders: list[Path] = []
    try:
        from pgserver._commands import POSTGRES_BIN_PATH

        folders.append(Path(POSTGRES_BIN_PATH))
    except ImportError:  # pragma: no cover - pinned dependency
        pass
    folders += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)  # Debian's versioned tools
    on_path = shutil.which("pg_dump")
    if on_path:
        folders.append(Path(on_path).parent)
    return list(dict.fromkeys(folders))


def _tools_major(folder: Path) -> int | None:
    if not all(shutil.which(name, path=str(folder)) for name in TOOLS):
        return None
    try:
        out = subprocess.run([PgTools(folder, 0).path("pg_dump"), "--version"], capture_output=True, text=True,
                             timeout=30, stdin=subprocess.DEVNULL).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", out)
    return int(match.group(1)) if match else None


def libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """The address for the tools' command line, without the password, and the environment carrying it."""
    parsed = make_url(url)
    query = {k: v for k, v in parsed.query.items() if k != "password"}
    password = parsed.password or parsed.query.get("password")
    address = URL.create("postgresql", username=parsed.username, host=parsed.host, port=parsed.port,
                         database=parsed.database, query=query).render_as_string(hide_password=False)
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password if isinstance(password, str) else password[0])
    return address, env


def bounded(path: Path) -> Path:
    if len(str(path)) > MAX_PATH_CHARS or "\x00" in str(path):
        raise CenterBackupError(f"文件路径过长或含非法字符（不超过 {MAX_PATH_CHARS} 个字符）")
    return Path(path)


def read_archive(path: Path, tools: PgTools) -> ArchiveInfo:
    """What a centre backup says about itself; anything else is refused with the reason."""
    path = bounded(path)
    name = path.name
    if not path.is_file():
        raise CenterBackupError(f"找不到备份文件 {path}")
    size = path.stat().st_size
    if not MIN_ARCHIVE_BYTES <= size <= MAX_ARCHIVE_BYTES:
        raise CenterBackupError(f"{name} 的大小（{size} 字节）不像中心备份")
    with open(path, "rb") as handle:
        if handle.read(len(ARCHIVE_MAGIC)) != ARCHIVE_MAGIC:
            raise CenterBackupError(f"{name} 不是 center backup 生成的备份（不是 pg_dump 自定义格式的文件）")
    listing = capture([tools.path("pg_restore"), "--list", str(path)], LIST_CAP, f"{name} 已损坏或不是完整的中心备份")
    if not re.search(r"^;\s+Format: CUSTOM$", listing, re.MULTILINE):
        raise CenterBackupError(f"{name} 不是 pg_dump 自定义格式（-Fc）的备份")
    entries = set(re.findall(r"^\d+; \d+ \d+ (TABLE(?: DATA)?) public (\w+) ", listing, re.MULTILINE))
    missing = [t for t in CENTRE_TABLES if ("TABLE", t) not in entries or ("TABLE DATA", t) not in entries]
    if missing:
        raise CenterBackupError(f"{name} 是 pg_dump 备份，但不是民生服务中心的数据库（缺少表 {'、'.join(missing)}）")
    script = capture([tools.path("pg_restore"), "--data-only", "--table=alembic_version", "--table=center_info",
                      "--table=center_node", "--file=-", str(path)], DATA_CAP, f"{name} 已损坏，读不出中心信息")
    columns, rows = copy_blocks(script)
    info = {r[0]: r[1] or "" for r in rows.get("center_info", []) if len(r) == 2 and r[0]}
    revision = next((r[0] for r in rows.get("alembic_version", []) if r and r[0]), "")
    if not info.get("center_code") or not re.fullmatch(r"\w{1,32}", revision):
        raise CenterBackupError(f"{name} 中没有建立好的中心（缺少中心信息或结构版本）")
    created = re.search(r"^; Archive created at (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC$", listing, re.MULTILINE)
    made = datetime.strptime(created.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC) if created else None
    dumped_by = re.search(r"^;\s+Dumped by pg_dump version: (\d+)", listing, re.MULTILINE)
    return ArchiveInfo(path, info["center_code"], info.get("center_name", ""), info.get("generation", ""), revision,
                       made, _nodes(columns.get("center_node", []), rows.get("center_node", [])),
                       int(dumped_by.group(1)) if dumped_by else 0)


def _nodes(columns: list[str], rows: list[list[str | None]]) -> dict[str, tuple[str, bool]]:
    if not {"node_code", "token_hash", "revoked_at"} <= set(columns):
        return {}
    at = {c: i for i, c in enumerate(columns)}
    return {str(r[at["node_code"]]): (r[at["token_hash"]] or "", r[at["revoked_at"]] is not None)
            for r in rows if len(r) == len(columns) and r[at["node_code"]]}


def capture(argv: list[str], cap: int, failure: str) -> str:
    """A tool's output, read up to `cap` bytes."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            code = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, timeout=300).returncode
        except subprocess.TimeoutExpired as exc:
            raise CenterBackupError(f"{failure}（读取超时）") from exc
        if code != 0:
            raise CenterBackupError(f"{failure}（{reason(err)}）")
        if out.tell() > cap:
            raise CenterBackupError(f"{failure}（内容超出中心备份应有的大小）")
        out.seek(0)
        return out.read().decode("utf-8", "replace")


def reason(stream: IO[bytes]) -> str:
    """The tool's own error line (PostgreSQL's tools speak English here), shortened."""
    stream.seek(0)
    lines = [ln.strip() for ln in stream.read(64 * 1024).decode("utf-8", "replace").splitlines() if ln.strip()]
    errors = [ln for ln in lines if "error" in ln.lower() or "错误" in ln]
    return first_line((errors or lines or ["无详细信息"])[0])


def first_line(message: str) -> str:
    return (message.strip().splitlines() or [""])[0][:300]


_COPY = re.compile(r"^COPY public\.(\w+) \(([^)]*)\) FROM stdin;$")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}


def copy_blocks(script: str) -> tuple[dict[str, list[str]], dict[str, list[list[str | None]]]]:
    """Columns and rows of the COPY blocks in pg_restore's script (text format: tabs, backslash escapes).
    Split on newlines only: a value may hold other line separators (U+2028) that COPY does not escape."""
    columns: dict[str, list[str]] = {}
    rows: dict[str, list[list[str | None]]] = {}
    table: str | None = None
    for line in script.split("\n"):
        if table is None:
            match = _COPY.match(line)
            if match:
                table = match.group(1)
                columns[table] = [c.strip().strip('"') for c in match.group(2).split(",")]
                rows[table] = []
        elif line == "\\.":
            table = None
        else:
            rows[table].append([None if v == "\\N" else _unescape(v) for v in line.split("\t")])
    return columns, rows


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), value)
