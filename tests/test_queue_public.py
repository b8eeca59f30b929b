"""The queue ticket's citizen page on the centre's public page (/t/<number>, the kiosk ticket's QR code):
today's ticket, how many are ahead now, whether and where it was called; bounded and rate-limited."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from starlette.testclient import TestClient

import app.clock
from app.center import queue
from app.center.nodes import Node
from app.center.runtime import Center
from app.center.server import create_app

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MORNING = datetime(2026, 11, 30, 8, 30, tzinfo=CN)
KIOSK = Node("09", "取号机", "kiosk")
WINDOW = Node("01", "1号综合窗口", "window")


def words(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(response.text)))


def _take(center: Center, category: str = "综合") -> str:
    with center.engine.begin() as conn:
        return str(queue.take(conn, KIOSK, {"category": category})["ticket"]["number"])


def test_a_ticket_page_shows_its_place_then_its_window(center: Center, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.clock, "_fixed", MORNING)
    client = TestClient(create_app(center.api))
    first, second, third = _take(center), _take(center), _take(center)
    page = client.get(f"/t/{third}")
    assert page.status_code == 200 and "同类别前面还有 2 人等候" in words(page) and "综合" in words(page)
    assert '<meta http-equiv="refresh" content="30">' in page.text and "<script" not in page.text
    assert page.headers["cache-control"] == "no-store" and "default-src 'none'" in page.headers["content-security-policy"]
    assert f'action="/t/{third}"' in page.text  # 刷新 is a plain form
    with center.engine.begin() as conn:
        queue.call(conn, WINDOW, {"staff_no": "1002", "staff_name": "王晓东"})  # calls A001
    assert "同类别前面还有 1 人等候" in words(client.get(f"/t/{third}"))  # counted now, not when taken
    called = client.get(f"/t/{first.lower()}")  # typed by hand in lower case: the same ticket
    assert called.status_code == 200 and "请到 01号窗口 办理" in words(called) and "已叫号" in words(called)
    assert "http-equiv" not in called.text  # called: nothing more to wait for
    assert "您前面没有人等候" in words(client.get(f"/t/{second}"))
    with center.engine.begin() as conn:
        queue.call(conn, WINDOW, {})  # A001 done, A002 called
    assert "已办结" in words(client.get(f"/t/{first}"))
    monkeypatch.setattr(app.clock, "_fixed", MORNING + timedelta(days=1))
    gone = client.get(f"/t/{first}")  # day-scoped: yesterday's A001 is not today's
    assert gone.status_code == 404 and "今天没有 A001 号" in words(gone)


def test_the_ticket_page_refuses_what_is_not_a_ticket_and_limits_each_address(
        center: Center, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.center import public

    monkeypatch.setattr(app.clock, "_fixed", MORNING)
    monkeypatch.setattr(public, "TICKET_LOOKS", 5)
    client = TestClient(create_app(center.api))
    number = _take(center)
    for bad in ("A1", "I001", "A00001", "1234", "A0%3Cb%3E"):
        answer = client.get(f"/t/{bad}")
        assert answer.status_code == 404 and "排队号有误" in words(answer) and "<b>" not in answer.text
    limited = client.get(f"/t/{number}")  # the sixth look from this address within the window
    assert limited.status_code == 429 and "查询过于频繁" in words(limited)
