"""The text message that tells a citizen their result is ready (办结通知短信).

The centre has no SMS gateway yet: the text and the number are stored with the 办结通知 event (so the
gateway, when it comes, finds every message it should have sent) and shown to the clerk, who calls the
citizen instead. One message stays within 140 characters, so that a phone shows it whole: the centre's
signature, the citizen's name, the item, what to do, where and the phone to call.
"""

from __future__ import annotations

from dataclasses import dataclass

SMS_LIMIT = 140


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    text: str


def shortened(text: str, limit: int) -> str:
    """The text cut to `limit` characters with an ellipsis (what an SMS has room for)."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def completion_sms(center: str, applicant: str, phone: str, item: str, number: str, approved: bool,
                   method: str, window: str, hours: str, window_phone: str) -> SmsMessage:
    """The message for the result of case `number` going out by `method` (pickup/post/agent/electronic)."""
    outcome = "已办结" if approved else "已作出不予许可决定"
    action = {
        "pickup": f"请于工作时间（{hours}）持受理回执、身份证到{window}领取，代领须带委托书",
        "post": "结果将邮寄至您登记的地址，请留意查收",
        "agent": "结果将由村代办员送达，请保持电话畅通",
        "electronic": "电子结果已发送，请按受理时约定的方式查收",
    }.get(method, f"请到{window}了解领取方式")
    head = f"【{shortened(center, 16)}】{shortened(applicant, 12)}您好，您申请的“"
    for call in ([f"咨询电话{window_phone}。"] if window_phone else []) + [""]:  # the phone goes first if too long
        tail = f"”（办件编号{number}）{outcome}，{action}。{call}"
        room = SMS_LIMIT - len(head) - len(tail)
        if room >= 6:
            break
    return SmsMessage(phone, shortened(head + shortened(item, max(room, 6)) + tail, SMS_LIMIT))
