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
    _s("leave", "Ctrl+Shift+Q", "请假值周：请假申请与审批（超过3天由代岗人接手办件），值周安排与检查记录"),
    _s("stats", "Ctrl+Shift+S", "统计：按期间、窗口、人员、事项、节点的统计表和图表"),
    _s("supervision", "Ctrl+Shift+D", "督办：各窗口黄灯红灯办件和投诉、发督办（主任）、答复督办（窗口）"),
    _s("attendance", "Ctrl+Shift+K", "考勤：签到、签退、本人本月考勤；主任、管理员打印或导出全体考勤表"),
    _s("appointments", "Ctrl+Shift+Y", "预约：今日预约、到达登记、未到、上门服务、延时服务"),
    _s("queue_call", "Shift+F5", "排队叫号：叫下一位（正在办理的号随之办结）"),
    _s("queue_recall", "Shift+F6", "排队叫号：重呼当前号"),
    _s("queue_skip", "Shift+F7", "排队叫号：过号（重呼后仍未到）"),
    _s("queue_transfer", "Shift+F8", "排队叫号：把当前号转移到其他类别的队列"),
    _s("queue_finish", "Shift+F9", "排队叫号：当前号办结（无法连接中心时在本机办结，恢复后告知中心）"),
    _s("queue_arrival", "Shift+F4", "排队叫号：叫到的预约号已到达，转到受理（F6）或首问（F3）并预填"),
    _s("queue_categories", "Ctrl+Shift+U", "排队类别：各类别的名称、号头和办理窗口（主任、管理员，须联网）"),
    _s("hall", "Ctrl+Shift+G", "叫号大厅屏幕：在第二屏幕全屏显示正在叫的号和各类别等候人数，并语音播报"),
    _s("find", "Ctrl+F", "查找：本界面的查找框（没有查找框的界面转到事项目录）"),
    _s("sync", "F12", "立即与中心同步"),
    _s("sync_issues", "Shift+F12", "查看被中心退回的记录"),
    _s("logout", "Ctrl+L", "注销"),
    _s("quit", "Ctrl+Q", "退出"),
    _s("menu_system", "Alt+X", "打开“系统”菜单"),
    _s("menu_areas", "Alt+V", "打开“功能”菜单"),
    _s("menu_help", "Alt+H", "打开“帮助”菜单"),
    _s("scan", "扫描", "扫描告知书、转介单条码或受理回执条码、二维码：直接调出", hint=True),
    _s("idcard", "放身份证", "身份证阅读器：受理（F6）中读入申请人，光标在代理人栏时读入代理人；首问登记（F3）中读入咨询人"
                         "（设置：系统—身份证阅读器设置）", hint=True),
))

# The document camera (高拍仪) beside a materials table: F6 and the 补正 window (app.ui.capture.panel).
CAPTURE_KEYS = (
    _s("capture", "Ctrl+Shift+C", "高拍仪拍摄一页，作为已收材料中当前材料的电子件"),
    _s("next_material", "Ctrl+Shift+N", "转到下一份材料（拍摄下一份）"),
    _s("scanned_file", "Ctrl+Shift+O", "添加扫描件（JPEG、PNG、PDF 等）作为当前材料的电子件"),
    _s("delete_page", "Delete", "在电子件缩略图中：删除所选页（受理或补正确认前）", hint=True),
)

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
        *CAPTURE_KEYS,
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
        *CAPTURE_KEYS,
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
    Screen("stats", "统计（Ctrl+Shift+S）", (
        _s("previous_period", "Alt+Left", "上一期（上一日、上一月、上一季度、上一年；自定义按同样长度）"),
        _s("next_period", "Alt+Right", "下一期"),
        _s("period_kind", "Alt+D", "期间：日、月、季、年、自定义", hint=True),
        _s("scope", "Alt+W", "范围：按窗口（代办点）、人员、事项、节点（中心主任、管理员）", hint=True),
        _s("figure", "Alt+G", "图表指标：受理量、办结量、按时办结率、满意度……", hint=True),
        _s("table", "Alt+T", "转到统计表（左右键选列）", hint=True),
        _s("sort", "Ctrl+O", "统计表按当前列排序，再按一次反向（合计行始终在最后；也可点击表头）"),
        _s("print_report", "Ctrl+P", "打印本期统计报表（期间为月或季度；预览后打印，中心主任、管理员）"),
        _s("export", "Ctrl+E", "本期统计报表导出Excel（期间为月或季度；中心主任、管理员）"),
        _s("drill", "Return", "在统计表中：转到督办，查看所选窗口的黄灯、红灯办件", hint=True),
        _s("read_bars", ("Left", "Right"), "在柱状图中（Tab 转到图表）：逐个读出各柱的名称和数值", hint=True),
    )),
    Screen("supervision", "督办（Ctrl+Shift+D）", (
        _s("windows", "Alt+W", "转到各窗口预警列表（红灯多的在前；中心主任）", hint=True),
        _s("drill", "Return", "在窗口列表中：查看该窗口的黄灯、红灯办件和投诉；在办件列表中：打开办件（F7）或投诉；"
                              "在督办列表中：答复", hint=True),
        _s("lit", "Alt+J", "转到所选窗口的预警办件列表", hint=True),
        _s("issue", "Alt+D", "发督办：对所选办件或投诉（中心主任）", hint=True),
        _s("list", "Alt+L", "转到督办列表", hint=True),
        _s("state", "Alt+F", "督办列表：按状态筛选（待答复、逾期未答复、已答复）", hint=True),
        _s("answer", "Alt+A", "答复所选督办（发给本窗口的）", hint=True),
    )),
    Screen("supervision_dialog", "发督办、答复督办窗口", (
        _s("confirm", ACCEPT_KEYS, "确定"),
        _s("cancel", "Esc", "取消", hint=True),
    ), in_main_window=False),
    Screen("rectification_dialog", "差评整改窗口（核实、回访、办结、申诉、申诉复核）", (
        _s("confirm", ACCEPT_KEYS, "确定"),
        _s("cancel", "Esc", "取消", hint=True),
    ), in_main_window=False),
    Screen("leave", "请假值周（Ctrl+Shift+Q）", (
        _s("switch_tab", "Ctrl+Tab", "在“我的请假”“待我审批”“值周”之间切换", hint=True),
        _s("new_leave", "Ctrl+N", "新请假"),
        _s("cancel_leave", "Alt+C", "我的请假：撤销所选的申请（尚未开始的）", hint=True),
        _s("approve_leave", "Alt+A", "待我审批：批准所选的申请", hint=True),
        _s("reject_leave", "Alt+J", "待我审批：不批准所选的申请", hint=True),
        _s("leave_note", "Alt+O", "待我审批：审批意见", hint=True),
        _s("duty_week", "Alt+W", "值周：选择周", hint=True),
        _s("duty_roster", "Alt+R", "值周：排定本周值周人（主任、管理员）", hint=True),
        _s("new_inspection", "Ctrl+I", "值周：新检查记录"),
        _s("print_duty", "Ctrl+P", "值周：打印本周值周汇总"),
    )),
    Screen("leave_dialog", "请假申请窗口（请假值周 Ctrl+N）", (
        _s("confirm", ACCEPT_KEYS, "提交申请"),
        _s("cancel", "Esc", "取消", hint=True),
    ), in_main_window=False),
    Screen("inspection_dialog", "值周检查记录窗口（请假值周 Ctrl+I）", (
        _s("confirm", ACCEPT_KEYS, "保存检查记录"),
        _s("cancel", "Esc", "取消", hint=True),
    ), in_main_window=False),
    Screen("attendance", "考勤（Ctrl+Shift+K）", (
        _s("switch_tab", "Ctrl+Tab", "在“本人考勤”和“全体考勤表”之间切换（主任、管理员）", hint=True),
        _s("sign_in", "Alt+I", "签到（现在）", hint=True),
        _s("sign_out", "Alt+O", "签退（现在）", hint=True),
        _s("month", "Alt+M", "选择月份", hint=True),
        _s("print_sheet", "Ctrl+P", "打印全体考勤表（主任、管理员；先预览）"),
        _s("export", "Ctrl+E", "全体考勤表导出Excel（主任、管理员）"),
    )),
    Screen("appointments", "预约（Ctrl+Shift+Y）", (
        _s("new", "Ctrl+N", "预约登记：到窗口或上门服务"),
        _s("check_in", "Return", "今日预约中：所选预约到达，转到受理（F6）或首问登记，信息已预填", hint=True),
        _s("no_show", "Ctrl+D", "标记未到（预约时段开始后）"),
        _s("cancel", "Ctrl+Delete", "取消所选预约"),
        _s("print_notice", "Ctrl+P", "打印所选预约的一次性告知书"),
        _s("copy_sms", "Ctrl+C", "复制所选预约的短信内容（发给群众）"),
        _s("home_outcome", "Ctrl+O", "登记上门服务结果（可关联上门受理的办件）"),
        _s("home_accept", "Ctrl+U", "上门受理（仅限上门当天、未办理的上门服务）：转到受理（F6），信息已预填，"
                                    "受理后自动关联"),
        _s("after_hours", "Ctrl+T", "登记延时服务（办公时间以外或非工作日）"),
        _s("refresh", "Ctrl+R", "刷新（显示其他程序如命令行刚登记的预约）"),
        _s("switch_tab", "Ctrl+Tab", "在“预约”和“延时服务”之间切换", hint=True),
        _s("date_keys", ("PgUp", "PgDown", "+", "-"), "日期框中：前一天、后一天；也可直接输入 20261130 或 "
                                                      "2026-11-30", hint=True),
    )),
    Screen("appointment_dialog", "预约窗口（预约登记、上门结果、延时服务）", (
        _s("confirm", ACCEPT_KEYS, "确定"),
        _s("date_keys", ("PgUp", "PgDown", "+", "-"), "日期框中：前一天、后一天；也可直接输入 20261130 或 "
                                                      "2026-11-30", hint=True),
        _s("cancel", "Esc", "取消", hint=True),
    ), in_main_window=False),
    Screen("idcard_settings_dialog", "身份证阅读器设置窗口（系统菜单）", (
        _s("confirm", ACCEPT_KEYS, "保存"),
        _s("cancel", "Esc", "取消", hint=True),
    ), in_main_window=False),
    Screen("kiosk", "取号机（main.py --kiosk）", (
        _s("category", ("1", "2", "3", "4", "5", "6", "7", "8", "9"), "取号：第 N 个业务类别（也可触摸按钮）", hint=True),
        _s("appointment", "0", "预约签到：输入手机号或预约号", hint=True),
        _s("confirm", ("Return", "Enter"), "预约签到：确定；小票页：返回首页", hint=True),
        _s("back", "Esc", "返回首页", hint=True),
        _s("quit", "Ctrl+Shift+F4", "退出取号机（工作人员）"),
    ), in_main_window=False),
    Screen("queue_categories_dialog", "排队类别窗口（Ctrl+Shift+U）", (
        _s("add", "Ctrl+N", "新增类别"),
        _s("edit", ("Return", "Enter"), "修改所选类别", hint=True),
        _s("remove", "Delete", "删除所选类别"),
        _s("up", "Ctrl+Up", "所选类别上移（取号机按钮顺序）"),
        _s("down", "Ctrl+Down", "所选类别下移"),
        _s("save", ACCEPT_KEYS, "保存到中心（整体替换）"),
        _s("cancel", "Esc", "关闭（未保存的修改不生效）", hint=True),
    ), in_main_window=False),
    Screen("kiosk_settings_dialog", "取号机设置窗口（功能菜单）", (
        _s("confirm", ACCEPT_KEYS, "保存"),
        _s("cancel", "Esc", "取消", hint=True),
    ), in_main_window=False),
    Screen("hall", "叫号大厅屏幕（Ctrl+Shift+G 或 main.py --hall）", (
        _s("full_screen", "F11", "全屏与窗口之间切换"),
        _s("replay", "F5", "再播报一次最新的叫号"),
        _s("close", "Esc", "关闭大厅屏幕"),
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
