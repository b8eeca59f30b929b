"""A township's address as `center publish` prints it (postgresql://county_reader@host:5432/postgres),
read within bounds before anything connects; and the connection string a subscription keeps."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from app.county.errors import CountyError

MAX_URL = 500
MAX_PASSWORD = 200
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$")
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
CONNECT_TIMEOUT_S = 10
URL_HINT = "乡镇地址应为 center publish 打印的订阅地址，如 postgresql://county_reader@10.2.3.4:5432/postgres"


@dataclass(frozen=True)
class TownshipAddress:
    host: str
    port: int
    dbname: str
    user: str
    password: str | None = None  # given in the URL (visible in the process list: warned, still accepted)
    sslmode: str | None = None

    @property
    def url(self) -> str:
        """The address without its password, as the registry keeps and status shows it."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        ssl = f"?sslmode={self.sslmode}" if self.sslmode else ""
        return f"postgresql://{self.user}@{host}:{self.port}/{self.dbname}{ssl}"

    def conninfo(self, password: str) -> str:
        """key='value' pairs for libpq and CREATE SUBSCRIPTION, every value quoted."""
        pairs = {"host": self.host, "port": str(self.port), "dbname": self.dbname, "user": self.user,
                 "password": password, "connect_timeout": str(CONNECT_TIMEOUT_S)}
        if self.sslmode:
            pairs["sslmode"] = self.sslmode
        return " ".join(f"{key}={_quoted(value)}" for key, value in pairs.items())


def _quoted(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _host_ok(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(_HOST.match(host)) and len(host) <= 253


def parse_url(url: str) -> TownshipAddress:
    """The township's address, refused in Chinese when it is not one."""
    text = (url or "").strip()
    if not text or len(text) > MAX_URL or any(ord(ch) < 33 for ch in text):
        raise CountyError(URL_HINT)
    try:
        parts = urlsplit(text)
        port = parts.port or 5432
    except ValueError:
        raise CountyError(URL_HINT) from None
    if parts.scheme not in ("postgresql", "postgres") or parts.fragment:
        raise CountyError(URL_HINT)
    host, user = parts.hostname or "", unquote(parts.username or "")
    dbname = unquote(parts.path.lstrip("/")) or "postgres"
    if not _host_ok(host):
        raise CountyError(f"乡镇地址中的主机名不对：{host[:60] or '（空）'}；{URL_HINT}")
    if not 1 <= port <= 65535:
        raise CountyError("乡镇地址中的端口应在 1–65535 之间")
    if not _NAME.match(user) or not _NAME.match(dbname):
        raise CountyError(f"乡镇地址应写明账号和库名（字母、数字、下划线）；{URL_HINT}")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = sorted(set(query) - {"sslmode"})
    if unknown:
        raise CountyError(f"乡镇地址中只能有 sslmode 参数，不认识：{'、'.join(k[:20] for k in unknown[:3])}")
    sslmode = query.get("sslmode")
    if sslmode is not None and sslmode not in SSL_MODES:
        raise CountyError("sslmode 应为 " + "、".join(SSL_MODES))
    password = unquote(parts.password) if parts.password else None
    if password is not None:
        check_password(password)
    return TownshipAddress(host, port, dbname, user, password, sslmode)


def check_password(password: str) -> str:
    if not password or len(password) > MAX_PASSWORD or any(ord(ch) < 32 for ch in password):
        raise CountyError(f"订阅账号密码应为1–{MAX_PASSWORD}个字符（center publish 首次运行时显示）")
    return password
