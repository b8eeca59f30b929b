"""What the window PCs' bundle leaves out: the township centre's server, its embedded PostgreSQL and the
driver (packaging/minsheng.spec excludes these packages). One list, so that the bundle's command line
can say why a centre command does not run there instead of showing an import error."""

from __future__ import annotations

SERVER_ONLY_PACKAGES = ("psycopg", "psycopg_binary", "psycopg_c", "psycopg_pool", "pgserver", "uvicorn", "starlette",
                        "httptools", "uvloop", "watchfiles", "websockets")
WINDOW_EDITION_TEXT = ("本安装包是窗口工作站版，不含乡镇中心和县级服务（PostgreSQL 数据库及其驱动、同步服务）；"
                       "center 和 county 命令请在中心或县级服务器上用完整安装运行（见 README“乡镇中心”“县级”）")


def is_server_only(missing: str | None) -> bool:
    """Whether a module found missing is one the window bundle leaves out on purpose."""
    return bool(missing) and str(missing).split(".")[0] in SERVER_ONLY_PACKAGES


def left_out_of_bundle(exc: BaseException) -> bool:
    """Whether an error comes from a package the window bundle leaves out, raised as such or as the cause
    of another error (the centre's "missing embedded PostgreSQL" message, say)."""
    seen: BaseException | None = exc
    for _ in range(10):  # a chain is short; a cycle is not followed
        if seen is None:
            return False
        if isinstance(seen, ModuleNotFoundError) and is_server_only(seen.name):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
