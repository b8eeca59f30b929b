"""The public page's HTML: small, self-contained pages a phone browser shows without any script.

Plain forms only (every step is a POST a browser without JavaScript sends), big touch targets, one
inline style sheet whose hash the Content-Security-Policy names, so nothing else can run or load.
Every value from the database or the request is escaped here.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from html import escape

from app.center.public_case import Progress
from app.center.public_ticket import TicketView
from app.services.ratings.codes import BAD_LEVELS, LEVELS, MAX_TEXT, REASONS, level_label

STYLE = """
*{box-sizing:border-box}
body{margin:0;font:17px/1.6 system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
color:#1f2328;background:#f4f6f8}
header{background:#b3261e;color:#fff;padding:14px 16px}
header h1{font-size:19px;margin:0}header p{margin:2px 0 0;font-size:14px;opacity:.9}
main{max-width:560px;margin:0 auto;padding:12px}
section{background:#fff;border-radius:10px;padding:14px 16px;margin:0 0 12px;box-shadow:0 1px 2px #0002}
h2{font-size:17px;margin:0 0 8px}
dl{margin:0;display:grid;grid-template-columns:5.5em 1fr;gap:4px 8px}dt{color:#57606a}dd{margin:0;overflow-wrap:anywhere}
ol{margin:0;padding-left:1.3em}li{margin:2px 0}li span{color:#57606a;font-size:14px;margin-right:6px}
label{display:block;margin:10px 0 4px;font-weight:600}
input[type=text],textarea{width:100%;font-size:20px;padding:12px;border:1px solid #8c959f;border-radius:8px}
input[type=text]{letter-spacing:3px;text-transform:uppercase}
textarea{font-size:17px;min-height:5em}
button{display:block;width:100%;min-height:52px;margin:10px 0 0;font-size:18px;border:0;border-radius:8px;
background:#b3261e;color:#fff}
button.level{background:#fff;color:#1f2328;border:2px solid #b3261e;text-align:left;padding:0 16px}
.check{display:flex;align-items:center;gap:10px;min-height:48px;margin:0;font-weight:400}
.check input{width:24px;height:24px;flex:none}
.error{background:#fff1f0;border:1px solid #b3261e;color:#b3261e;border-radius:8px;padding:10px 12px}
.ok{background:#eefbf0;border:1px solid #1a7f37;color:#1a7f37;border-radius:8px;padding:10px 12px}
.note{color:#57606a;font-size:14px}
fieldset{border:0;padding:0;margin:0}
"""
STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
CSP = (f"default-src 'none'; style-src 'sha256-{STYLE_HASH}'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP, "Cache-Control": "no-store", "Pragma": "no-cache",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
}


def _day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return f"{value.astimezone():%Y年%m月%d日 %H:%M}"
    return f"{value:%Y年%m月%d日}"


def page(center: str, title: str, body: str, refresh_s: int = 0) -> str:
    """A whole page; `refresh_s` reloads it by itself (a ticket waiting to be called), no script needed."""
    again = f'<meta http-equiv="refresh" content="{int(refresh_s)}">' if refresh_s > 0 else ""
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta name="referrer" content="no-referrer">{again}'
        f"<title>{escape(title)} - {escape(center)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{escape(center)}</h1><p>{escape(title)}</p></header><main>{body}</main></body></html>"
    )


def _message(text: str, kind: str = "error") -> str:
    return f'<p class="{kind}" role="{"alert" if kind == "error" else "status"}">{escape(text)}</p>' if text else ""


def code_form(number: str, error: str = "") -> str:
    """Asks for the 查询码 printed on the receipt (it is never in the QR code's link)."""
    return (
        f"<section><h2>办件查询</h2>{_message(error)}"
        f'<p>办件编号：<b>{escape(number)}</b></p>'
        f'<form method="post" action="/q/{escape(number)}">'
        '<label for="code">查询码（印在受理回执或办结通知书上，8位）</label>'
        '<input type="text" id="code" name="code" maxlength="8" autocomplete="off" autocapitalize="characters" '
        'spellcheck="false" required>'
        '<button type="submit">查询办理进度</button></form>'
        '<p class="note">查询码错误次数过多时将暂停查询一段时间。</p></section>'
    )


def notice(text: str, back: str | None = None) -> str:
    link = f'<p><a href="{escape(back)}">返回</a></p>' if back else ""
    return f"<section>{_message(text)}{link}</section>"


def progress(p: Progress, code: str, message: str = "") -> str:
    """The case's facts, its steps in plain words and (when it may be rated) the five levels."""
    facts = [("办件编号", p.number), ("办理事项", p.item_name), ("申请人", p.applicant), ("办理状态", p.status_label),
             ("受理时间", _day(p.accepted_at)), ("承诺办结", _day(p.due_date))]
    if p.ended_at is not None:
        facts.append(("办结时间", _day(p.ended_at)))
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    steps = "".join(f"<li><span>{escape(_day(s.at))}</span>{escape(s.label)}</li>" for s in p.steps) or "<li>暂无</li>"
    given = "".join(f"<li><span>{escape(_day(at))}</span>{escape(which)}：{escape(level_label(level))}</li>"
                    for which, level, at in p.given)
    out = [_message(message, "ok"), f'<section><h2>办理进度</h2><dl>{rows}</dl></section>',
           f"<section><h2>办理过程</h2><ol>{steps}</ol></section>"]
    if given:
        out.append(f"<section><h2>您的评价</h2><ol>{given}</ol></section>")
    if p.can_rate:
        out.append(levels_form(p, code))
    elif p.ended_at is not None:
        out.append(f'<section><h2>服务评价</h2><p class="note">{escape(p.why_not)}</p></section>')
    return "".join(out)


def levels_form(p: Progress, code: str) -> str:
    """Five big buttons; the next page asks for the reasons and a few words."""
    buttons = "".join(f'<button class="level" type="submit" name="level" value="{level}">{escape(label)}</button>'
                      for level, label in LEVELS.items())
    until = f"（{_day(p.rate_until)} 前）" if p.rate_until else ""
    return (f'<section><h2>服务评价（{escape(p.next_which)}）</h2>'
            f'<p class="note">请在办结后 5 个工作日内评价{escape(until)}；可追评一次，以后一次为准。</p>'
            f'<form method="post" action="/q/{escape(p.number)}/rate">'
            f'<input type="hidden" name="code" value="{escape(code)}">{buttons}</form></section>')


def details_form(number: str, code: str, level: int, chosen: Iterable[str] = (), text: str = "",
                 private: bool = False, error: str = "") -> str:
    """The level's reasons (required for 不满意 and 非常不满意), a few words and 不公开."""
    picked = set(chosen)
    reasons = "".join(
        f'<label class="check"><input type="checkbox" name="reasons" value="{escape(c)}"'
        f'{" checked" if c in picked else ""}>{escape(label)}</label>' for c, label in REASONS[level].items())
    need = "请至少选择一项原因" if level in BAD_LEVELS else "可选"
    return (
        f"<section><h2>您的评价：{escape(level_label(level))}</h2>{_message(error)}"
        f'<form method="post" action="/q/{escape(number)}/rate">'
        f'<input type="hidden" name="code" value="{escape(code)}">'
        f'<input type="hidden" name="level" value="{level}"><input type="hidden" name="confirm" value="1">'
        f"<fieldset><legend><b>原因（{need}）</b></legend>{reasons}</fieldset>"
        f'<label for="text">意见建议（{MAX_TEXT}字以内，可不填）</label>'
        f'<textarea id="text" name="text" maxlength="{MAX_TEXT}">{escape(text)}</textarea>'
        f'<label class="check"><input type="checkbox" name="private" value="1"{" checked" if private else ""}>'
        "不公开我的评价</label>"
        '<button type="submit">提交评价</button></form>'
        f'<form method="post" action="/q/{escape(number)}"><input type="hidden" name="code" value="{escape(code)}">'
        '<button class="level" type="submit">返回重选</button></form></section>'
    )


TICKET_STATES = {"waiting": "等候中", "called": "已叫号", "done": "已办结", "skipped": "已过号"}


def ticket(view: TicketView) -> str:
    """A queue ticket for the citizen holding it: where it stands now, and a button to look again."""
    facts = [("排队号", view.number + ("（预约优先）" if view.priority else "")), ("业务类别", view.category),
             ("取号时间", _day(view.taken_at)), ("状态", TICKET_STATES.get(view.status, view.status))]
    if view.status == "waiting":
        lead = (f"同类别前面还有 {view.ahead} 人等候" if view.ahead else "您前面没有人等候，即将叫号") + "，请留意大厅叫号。"
    elif view.status == "called":
        lead = f"请到 {view.window_name} 办理。"
        facts.append(("叫号时间", _day(view.called_at)))
    elif view.status == "skipped":
        lead = "叫号后未到，已过号。请重新取号，或到服务台咨询。"
    else:
        lead = f"已在 {view.window_name} 办理完毕，感谢您的耐心等候。" if view.window_name else "已办理完毕。"
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    again = "；等候时页面每 30 秒自动刷新" if view.status == "waiting" else ""
    return (f'<section><h2>{escape(lead)}</h2><dl>{rows}</dl></section>'
            f'<form method="get" action="/t/{escape(view.number)}"><button type="submit">刷新</button></form>'
            f'<p class="note">排队号每天从头编号，本页显示今天的号{again}。</p>')
