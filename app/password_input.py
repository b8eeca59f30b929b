"""Passwords for command-line set-up: from a hidden prompt or from standard input, never from argv.

Anything on the command line is visible to every user of the machine (`ps`, /proc/*/cmdline,
the Task Manager's command-line column) and lands in shell history, so `--admin-password VALUE`
is refused with a reason; `--admin-password-stdin` serves scripts (`… < file`, a pipe from a
secret store) and a terminal gets a prompt that asks twice.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from typing import TextIO

from app.services.errors import UserError

ARGV_REFUSED = ("出于安全考虑，密码不能写在命令行上（本机其他用户能在进程列表中看到，命令历史中也会留下）。"
                "请去掉 --admin-password，按提示输入；脚本中请用 --admin-password-stdin 从标准输入读取")
NO_TERMINAL = ("没有可输入密码的终端。请在命令行窗口中运行以按提示输入，"
               "或加 --admin-password-stdin 从标准输入读取（如 … --admin-password-stdin < 密码文件）")


def read_stdin_password(stream: TextIO | None = None) -> str:
    """The first line of standard input, without its line ending (the rest is ignored)."""
    source = stream if stream is not None else sys.stdin
    line = source.readline() if source is not None else ""
    password = line.rstrip("\r\n")
    if not password:
        raise UserError("标准输入中没有密码（应为第一行），未做任何修改")
    return password


def prompt_new_password(
    label: str,
    ask: Callable[[str], str] | None = None,
    allow_empty: bool = False,
) -> str:
    """Ask twice without echo; an empty first answer is returned as "" only when allow_empty."""
    ask = ask or getpass.getpass
    first = ask(f"{label}：")
    if not first and allow_empty:
        return ""
    if not first:
        raise UserError("未输入密码，未做任何修改")
    if ask("再输入一次：") != first:
        raise UserError("两次输入的密码不一致，未做任何修改")
    return first


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # closed or detached stdin
        return False


def read_new_password(from_stdin: bool, label: str, allow_empty: bool = False,
                      ask: Callable[[str], str] | None = None) -> str:
    """From stdin when asked to, else from a prompt on a terminal; UserError when neither is possible."""
    if from_stdin:
        return read_stdin_password()
    if not stdin_is_terminal():
        if allow_empty:
            return ""
        raise UserError(NO_TERMINAL)
    return prompt_new_password(label, ask, allow_empty)
