"""The centre's public page: a citizen scans the QR code on the receipt or the 办结通知书, types the
query code printed beside it, sees the case's progress and, within 5 working days of its end, rates it.

Routes on the centre's Starlette app (app.center.server): GET /q/<number> asks for the query code;
POST /q/<number> shows the progress; POST /q/<number>/rate takes a level, then its reasons and words.
GET /t/<number> shows today's queue ticket of that number (app.center.public_ticket).
The link carries the case number only, so a photographed QR code tells nobody anything. Wrong codes
are counted per address and per case number in bounded memory: past a few in a quarter of an hour
the page answers 429 for a while, so codes (32^6 per node) cannot be guessed. Bodies are capped as
they stream, and every answer is no-store with a strict Content-Security-Policy (app.center.public_html).
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict, deque
from urllib.parse import parse_qsl

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from app.center import public_html as html
from app.center.public_case import PublicCases
from app.center.public_ticket import ticket_view
from app.center.queue import today
from app.services.errors import UserError
from app.services.queue.rules import PREFIXES
from app.services.ratings.codes import LEVELS
from app.sync.wire import TooLarge  # the same refusal as an oversized sync body

NUMBER = re.compile(r"[0-9]{10,24}")
CODE = re.compile(r"[0-9A-Za-z]{8}")
MAX_BODY = 4096  # a rating with 150 characters of text and 8 reasons is under 2 KB
MAX_FIELDS = 20
WINDOW_S = 15 * 60.0
PER_ADDRESS = 10  # wrong codes from one address within the window
PER_NUMBER = 20  # wrong codes for one case number within the window (from anywhere)
MAX_KEYS = 20_000  # remembered addresses and numbers each; the oldest are forgotten first
TICKET = re.compile(rf"[{PREFIXES}][0-9]{{3,4}}")
TICKET_LOOKS = 120  # ticket look-ups from one address within the window: a page refreshing every 30 s uses 30
TICKET_REFRESH_S = 30


class Attempts:
    """Wrong query codes per key within a sliding window, in bounded memory (used on the event loop)."""

    def __init__(self, limit: int, window_s: float = WINDOW_S, max_keys: int = MAX_KEYS) -> None:
        self.limit, self.window_s, self.max_keys = limit, window_s, max_keys
        self.seen: OrderedDict[str, deque[float]] = OrderedDict()

    def blocked(self, key: str, now: float) -> bool:
        times = self.seen.get(key)
        return times is not None and len(times) >= self.limit and times[0] > now - self.window_s

    def failed(self, key: str, now: float) -> None:
        times = self.seen.pop(key, None) or deque(maxlen=self.limit)
        times.append(now)
        self.seen[key] = times  # most recent last
        while len(self.seen) > self.max_keys:
            self.seen.popitem(last=False)


async def _form(request: Request) -> dict[str, list[str]]:
    """The posted form fields, read within MAX_BODY bytes and MAX_FIELDS fields."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise TooLarge
        chunks.append(chunk)
    try:
        pairs = parse_qsl(b"".join(chunks).decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        return {}
    fields: dict[str, list[str]] = {}
    for key, value in pairs:
        fields.setdefault(key, []).append(value)
    return fields


def _one(fields: dict[str, list[str]], name: str, limit: int = 200) -> str:
    values = fields.get(name) or [""]
    return values[0][:limit]


class PublicPage:
    """The routes and the wrong-code counters of one centre app."""

    def __init__(self, engine: Engine) -> None:
        self.cases = PublicCases(engine)
        self.by_address = Attempts(PER_ADDRESS)
        self.by_number = Attempts(PER_NUMBER)
        self.ticket_looks = Attempts(TICKET_LOOKS)

    def routes(self) -> list[Route]:
        return [Route("/q/{number}", self.query, methods=["GET", "POST"]),
                Route("/q/{number}/rate", self.rate, methods=["POST"]),
                Route("/t/{number}", self.ticket, methods=["GET"])]

    def _page(self, title: str, body: str, status: int = 200, refresh_s: int = 0) -> Response:
        return HTMLResponse(html.page(self.cases.center_name, title, body, refresh_s), status, headers=html.HEADERS)

    async def ticket(self, request: Request) -> Response:
        """Today's queue ticket by its number (the kiosk ticket's QR code): every look counts against the
        address, so the hall's queue cannot be read out wholesale."""
        number = request.path_params["number"][:8].upper()
        await self._center_name()
        address = request.client.host if request.client else "-"
        now = time.monotonic()
        if self.ticket_looks.blocked(address, now):
            return self._page("排队查询", html.notice("查询过于频繁，请稍后再试"), 429)
        self.ticket_looks.failed(address, now)
        if not TICKET.fullmatch(number):
            return self._page("排队查询", html.notice("排队号有误，请核对小票上的号码"), 404)
        found = await run_in_threadpool(ticket_view, self.cases.engine, number, today())
        if found is None:
            return self._page("排队查询", html.notice(f"今天没有 {number} 号。排队号每天从头编号，请核对小票上的日期"), 404)
        return self._page("排队查询", html.ticket(found), refresh_s=TICKET_REFRESH_S if found.status == "waiting" else 0)

    async def _center_name(self) -> None:
        """The centre's name for the page's heading, read off the event loop when its copy is old."""
        if not self.cases.name_is_fresh():
            await run_in_threadpool(lambda: self.cases.center_name)

    async def query(self, request: Request) -> Response:
        number = request.path_params["number"]
        await self._center_name()
        if not NUMBER.fullmatch(number):
            return self._page("办件查询", html.notice("办件编号有误，请核对二维码或回执上的编号"), 404)
        if request.method == "GET":
            return self._page("办件查询", html.code_form(number))
        try:
            fields = await _form(request)
        except TooLarge:
            return self._page("办件查询", html.notice("提交的内容过长"), 413)
        return await self._with_code(request, number, _one(fields, "code", 40), None)

    async def _with_code(self, request: Request, number: str, typed: str, then: dict[str, list[str]] | None
                         ) -> Response:
        """Check the code (within the limits) and show the progress, or run `then` (a rating)."""
        address = request.client.host if request.client else "-"
        now = time.monotonic()
        if self.by_address.blocked(address, now) or self.by_number.blocked(number, now):
            return self._page("办件查询", html.notice("查询码错误次数过多，请15分钟后再试"), 429)
        code = typed.strip().replace(" ", "").upper()
        found = await run_in_threadpool(self.cases.progress, number, code) if CODE.fullmatch(code) else None
        if found is None:
            self.by_address.failed(address, now)
            self.by_number.failed(number, now)
            return self._page("办件查询", html.code_form(number, "办件编号或查询码不正确，请核对后重新输入"), 403)
        if then is None:
            return self._page("办理进度", html.progress(found, code))
        return await self._rate(number, code, then)

    async def rate(self, request: Request) -> Response:
        number = request.path_params["number"]
        await self._center_name()
        if not NUMBER.fullmatch(number):
            return self._page("服务评价", html.notice("办件编号有误，请核对二维码或回执上的编号"), 404)
        try:
            fields = await _form(request)
        except TooLarge:
            return self._page("服务评价", html.notice("提交的内容过长，意见建议请在150字以内"), 413)
        return await self._with_code(request, number, _one(fields, "code", 40), fields)

    async def _rate(self, number: str, code: str, fields: dict[str, list[str]]) -> Response:
        level_text = _one(fields, "level", 2)
        level = int(level_text) if level_text.isdigit() and int(level_text) in LEVELS else None
        if level is None:
            return self._page("服务评价", html.notice("请选择评价等级", f"/q/{number}"), 400)
        reasons = [r[:8] for r in fields.get("reasons", [])[:10]]
        text = _one(fields, "text", 400)
        private = _one(fields, "private", 2) == "1"
        if _one(fields, "confirm", 2) != "1":
            return self._page("服务评价", html.details_form(number, code, level))
        try:
            after = await run_in_threadpool(self.cases.rate, number, code, level, reasons, text, private)
        except UserError as exc:
            return self._page("服务评价", html.details_form(number, code, level, reasons, text[:150], private,
                                                         exc.message), 400)
        return self._page("办理进度", html.progress(after, code, "评价已提交，感谢您对我们工作的监督！"))
