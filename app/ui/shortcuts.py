"""Every keyboard shortcut of the workstation, declared once: per screen, key → action id and label.

The F1 list is generated from this table and the views bind their shortcuts from it, so what the
clerk reads is what the keys do. tests/test_ui_keyboard.py walks the real widgets and fails when a
shortcut is not declared here, or when two keys clash within a screen (a screen key shadowing a
global one, such as a menu mnemonic, counts as a clash). This module imports no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain


@dataclass(frozen=True)
class Shortcut:
    """`keys` are in QKeySequence's portable text ("Ctrl+Return"); the first is the one shown.

    `hint` marks a key the focused widget handles itself (Space ticks, Enter opens): listed in F1,
    but not a shortcut that could clash."""

    action: str
    keys: tuple[str, ...]
    label: str
    hint: bool = False

    @property
    def shown(self) -> str:
        return self.keys[0]


@dataclass(frozen=True)
class Screen:
    """`in_main_window`: the main window's global keys (menus, function keys) also act here."""

    id: str
    title: str
    shortcuts: tuple[Shortcut, ...]
    in_main_window: bool = True


def _s(action: str, keys: str | tuple[str, ...], label: str, hint: bool = False) -> Shortcut:
    return Shortcut(action, (keys,) if isinstance(keys, str) else keys, label, hint)


ACCEPT_KEYS = ("Ctrl+Return", "Ctrl+Enter")  # Enter on the main block and on the keypad

# The menu bar's mnemonics are global keys too: no screen may use Alt+X, Alt+V or Alt+H.
MENU_SYSTEM = "系统(&X)"
MENU_AREAS = "功能(&V)"
MENU_HELP = "帮助(&H)"

GLOBAL = Screen("global", "任何界面", (
    _s("help", "F1", "快捷键一览"),
    _s("catalog", "F2", "事项目录"),
    _s("inquiry", "F3", "首问登记（任何界面）"),
    _s("notices", "F4", "一次性告知"),
    _s("register", "F5", "首问登记簿"),
    _s("acceptance", "F6", "受理"),
    _s("cases", "F7", "办件"),
    _s("calendar", "F8", "节假日安排（主任、管理员）"),
    _s("staff", "F9", "人员管理（管理员）"),
    _s("departments", "F10", "部门名录（管理员）"),
    _s("agency_ledger", "F11", "代办台账（村代办点）"),
    _s("reassign", "Ctrl+B", "AB岗转办：离岗人员的未办结办件转给B岗（主任、管理员）"),
    _s("case_ledger", "Ctrl+Shift+L", "办件登记簿：按日期、状态、类型、经办人、事项导出或打印"),
    _s("board", "Ctrl+Shift+B", "超期公示：在大厅屏幕或第二屏幕全屏显示"),
    _s("ratings", "Ctrl+Shift+R", "好差评：评价记录、差评整改、回访、申诉复核"),
    _s("complaints", "Ctrl+Shift+T", "投诉：登记、交办、答复、回访、办结，被投诉预警"),
    _s("find", "Ctrl+F", "查找：本界面的查找框（没有查找框的界面转到事项目录）"),
    _s("sync", "F12", "立即与中心同步"),
    _s("sync_issues", "Shift+F12", "查看被中心退回的记录"),
    _s("logout", "Ctrl+L", "注销"),
    _s("quit", "Ctrl+Q", "退出"),
    _s("menu_system", "Alt+X", "打开“系统”菜单"),
    _s("menu_areas", "Alt+V", "打开“功能”菜单"),
    _s("menu_help", "Alt+H", "打开“帮助”菜单"),
    _s("scan", "扫描", "扫描告知书、转介单条码或受理回执条码、二维码：直接调出", hint=True),
))

SCREENS: dict[str, Screen] = {s.id: s for s in (
    Screen("catalog", "事项目录（F2）", (
        _s("pick", ("Up", "Down", "PgUp", "PgDown"), "在查找框中直接选择事项", hint=True),
        _s("open_guide", "Return", "从查找框进入办事指南；Esc 返回查找框", hint=True),
        _s("import_catalog", "Alt+I", "导入事项清单（中心主任、管理员）", hint=True),
    )),
    Screen("notices", "一次性告知（F4）", (
        _s("print_notice", "Ctrl+P", "打印告知书"),
        _s("new_notice", "Ctrl+Shift+N", "新告知"),
        _s("reprint_notice", "Ctrl+R", "补打告知书（告知书记录中）"),
        _s("tick", "Space", "勾选材料清单中的当前材料", hint=True),
        _s("switch_tab", "Ctrl+Tab", "在“出具告知书”和“告知书记录”之间切换", hint=True),
    )),
    Screen("register", "首问登记簿（F5）", (
        _s("export", "Ctrl+E", "导出Excel"),
        _s("print_ledger", "Ctrl+P", "打印登记簿"),
    )),
    Screen("acceptance", "受理（F6）", (
        _s("accept", ACCEPT_KEYS, "受理并打印"),
        _s("agent", "Alt+G", "代理人或村代办员代办：勾选并转到代理人姓名"),
        _s("tick", "Space", "勾选已收材料中的当前材料", hint=True),
        _s("edit_counts", "F2", "在已收材料中修改实收份数", hint=True),
    )),
    Screen("cases", "办件（F7）", (
        _s("reprint_receipt", "Ctrl+R", "补打回执"),
        _s("print_slip", "Ctrl+P", "打印通知书"),
        _s("next_step", "Alt+D", "办理：列出当前可办的环节（决定、通知、送达、撤回、归档），再按数字选择", hint=True),
        _s("transfer", "Alt+J", "移交：移交所选办件、扫描接收移交、撤销移交、打印移交清单，再按数字选择", hint=True),
        _s("papers", "Alt+W", "文书：列出该办件的全部文书（已出具的按原样补打），再按数字选择", hint=True),
        _s("evaluate", "Ctrl+Shift+E", "请群众评价：在面向群众的第二屏幕（或评价窗口）打开评价器（已办结、未评价的办件）"),
        _s("enter_rating", "Ctrl+Shift+H", "录入评价：电话回访或补录纸质评价"),
        _s("rate", "Alt+E", "评价：列出请群众评价和录入评价，再按数字选择", hint=True),
    )),
    Screen("complaints", "投诉（Ctrl+Shift+T）", (
        _s("register", "Ctrl+N", "登记投诉"),
        _s("reprint_receipt", "Ctrl+R", "补打投诉登记回执"),
        _s("print_reply", "Ctrl+P", "打印投诉答复书（书面答复后）"),
        _s("next_step", "Alt+D", "办理：列出当前可办的环节（交办、答复、回访满意度、重新核实、办结），再按数字选择", hint=True),
        _s("show", "Alt+F", "范围：未办结、已超期、全部", hint=True),
    )),
    Screen("complaint_register_dialog", "登记投诉窗口（投诉 Ctrl+N）", (
        _s("register", ACCEPT_KEYS, "登记"),
        _s("cancel", "Esc", "取消", hint=True),
    ), in_main_window=False),
    Screen("complaint_step_dialog", "投诉办理窗口（投诉 Alt+D）", (
        _s("confirm", ACCEPT_KEYS, "确定"),
        _s("cancel", "Esc", "取消", hint=True),
    ), in_main_window=False),
    Screen("calendar", "节假日安排（F8）", (
        _s("import", "Ctrl+I", "导入安排文件"),
    )),
    Screen("staff", "人员管理（F9）", (
        _s("add", "Ctrl+N", "新增人员"),
        _s("unlock", "Ctrl+U", "解除账号锁定"),
    )),
    Screen("departments", "部门名录（F10）", (
        _s("add", "Ctrl+N", "新增部门"),
        _s("refusal_bodies", "Alt+B", "转到各承办部门的复议机关和法院，回车修改所选部门", hint=True),
    )),
    Screen("agency_ledger", "代办台账（F11）", (
        _s("export", "Ctrl+E", "导出Excel"),
        _s("open_case", "Return", "在办件（F7）中打开所选办件", hint=True),
    )),
    Screen("evaluator", "群众评价器（办件 F7：Ctrl+Shift+E）", (
        _s("level", ("1", "2", "3", "4", "5"), "选择评价：5 非常满意 … 1 非常不满意（主键盘或数字小键盘）", hint=True),
        _s("reason", ("1", "2", "3", "4", "5", "6", "7", "8"), "差评原因页：勾选或取消第 N 项原因", hint=True),
        _s("submit", ("Return", "Enter"), "差评原因页：提交评价", hint=True),
        _s("back", ("0", "Backspace"), "差评原因页：返回重新选择", hint=True),
        _s("close", "Esc", "关闭评价器（不计评价）；原因页上为返回", hint=True),
    ), in_main_window=False),
    Screen("reassign_dialog", "AB岗转办窗口（Ctrl+B）", (
        _s("confirm", ACCEPT_KEYS, "确认转办"),
        _s("cancel", "Esc", "取消", hint=True),
    ), in_main_window=False),
    Screen("case_ledger_dialog", "办件登记簿窗口（Ctrl+Shift+L）", (
        _s("export", "Ctrl+E", "导出Excel"),
        _s("print", "Ctrl+P", "打印登记簿"),
        _s("close", "Esc", "关闭", hint=True),
    ), in_main_window=False),
    Screen("board", "超期公示（Ctrl+Shift+B）", (
        _s("full_screen", "F11", "全屏与窗口之间切换"),
        _s("next_page", ("PgDown", "Right", "Space"), "下一页（也会每隔一段时间自动翻页）"),
        _s("previous_page", ("PgUp", "Left"), "上一页"),
        _s("refresh", "F5", "立即刷新（办件有变化时也会自动刷新）"),
        _s("close", "Esc", "退出公示"),
    ), in_main_window=False),
    Screen("inquiry_dialog", "首问登记窗口（F3）", (
        _s("register", ACCEPT_KEYS, "登记"),
        _s("answered", "Alt+1", "处理结果：已当场解答"),
        _s("notice", "Alt+2", "处理结果：出具一次性告知书"),
        _s("referred", "Alt+3", "处理结果：转介"),
        _s("cancel", "Esc", "取消（已填写内容时先询问）", hint=True),
    ), in_main_window=False),
    Screen("transfer_dialog", "移交窗口（F7 移交）", (
        _s("confirm", ACCEPT_KEYS, "移交并打印移交清单"),
        _s("scan", "Return", "扫描或输入办件编号后回车：加入本批", hint=True),
        _s("remove", "Delete", "在本批清单中：移除所选办件"),
        _s("cancel", "Esc", "取消", hint=True),
    ), in_main_window=False),
    Screen("receive_dialog", "接收移交窗口（F7 移交）", (
        _s("scan", "Return", "扫描或输入办件编号后回车：接收该办件，逐件显示结果", hint=True),
        _s("close", "Esc", "完成", hint=True),
    ), in_main_window=False),
    Screen("supplement_dialog", "补齐材料窗口（F7 补齐材料）", (
        _s("confirm", ACCEPT_KEYS, "确认补齐，开始计时"),
        _s("tick", "Space", "勾选本次带来的材料", hint=True),
        _s("edit_counts", "F2", "修改实收份数", hint=True),
    ), in_main_window=False),
    Screen("ratings", "好差评（Ctrl+Shift+R）", (
        _s("switch_tab", "Ctrl+Tab", "在“评价记录”和“差评整改”之间切换", hint=True),
        _s("rating_level", "Alt+G", "评价记录：按等级筛选", hint=True),
        _s("rating_bad", "Alt+B", "评价记录：只看差评", hint=True),
        _s("rating_dates", "Alt+D", "评价记录：按评价日期筛选", hint=True),
        _s("rating_staff", "Alt+R", "评价记录：按被评价人筛选", hint=True),
        _s("rect_view", "Alt+L", "差评整改：列表（全部、未办结、已超期、未回访）", hint=True),
        _s("verify", "Alt+Y", "差评整改：核实，转入整改中", hint=True),
        _s("callback", "Alt+C", "差评整改：记录回访", hint=True),
        _s("close", "Alt+J", "差评整改：办结（已整改或无法整改）", hint=True),
        _s("appeal", "Alt+A", "差评整改：被评价人申诉", hint=True),
        _s("decide", "Alt+F", "差评整改：申诉复核（中心主任）", hint=True),
        _s("print_ledger", "Ctrl+P", "打印差评整改台账"),
        _s("export", "Ctrl+E", "差评整改台账导出Excel"),
    )),
    Screen("rectification_dialog", "差评整改窗口（核实、回访、办结、申诉、申诉复核）", (
        _s("confirm", ACCEPT_KEYS, "确定"),
        _s("cancel", "Esc", "取消", hint=True),
    ), in_main_window=False),
    Screen("document", "文书预览", (
        _s("print", "Ctrl+P", "打印"),
        _s("save_pdf", "Ctrl+S", "保存为PDF"),
        _s("close", "Esc", "关闭", hint=True),
    ), in_main_window=False),
)}


def shortcut(screen: str, action: str) -> Shortcut:
    """The declaration a view binds from; a KeyError here means an undeclared action."""
    table = GLOBAL if screen == "global" else SCREENS[screen]
    return next(s for s in table.shortcuts if s.action == action)


def bound_keys(screen: str) -> list[str]:
    """Every real shortcut key acting on a screen: its own and, in the main window, the global ones."""
    own = SCREENS[screen]
    tables = (own, GLOBAL) if own.in_main_window else (own,)
    return [key for s in chain.from_iterable(t.shortcuts for t in tables) if not s.hint for key in s.keys]


def clashes(screen: str, extra: list[str] | None = None) -> list[str]:
    """Keys bound twice on a screen (declared plus `extra`, such as the screen's mnemonics)."""
    seen: set[str] = set()
    twice: list[str] = []
    for key in [*bound_keys(screen), *(extra or [])]:
        normal = key.replace(" ", "").lower()
        if normal in seen and key not in twice:
            twice.append(key)
        seen.add(normal)
    return twice


def help_lines(screens: list[str]) -> list[str]:
    """The F1 list: global keys first, then each given screen's own."""
    lines: list[str] = []
    for table in (GLOBAL, *(SCREENS[s] for s in screens)):
        lines.append(f"【{table.title}】")
        lines += [f"{_display(s.shown)}　{s.label}" for s in table.shortcuts]
    return lines


def _display(key: str) -> str:
    return {"Return": "回车", "Ctrl+Return": "Ctrl+Enter", "PgDown": "PgDn", "Up": "↑ ↓ PgUp PgDn"}.get(key, key)
