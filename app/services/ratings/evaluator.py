"""The window's evaluator (评价器): one small interface for any device that lets a citizen rate at the window.

Why an interface: today the evaluator is a second Qt window facing the citizen (app/ui/evaluator_window.py);
halls also buy button keypads on a serial port and LCD terminals that return a level and reason codes.
Each is an `Evaluator`: it is shown a prompt (who served, for what) and reports how it ended. The rules
live once, in `EvaluationSession`, whatever the device: a level (5 = 非常满意, the stored scale), reasons of
that level required for 不满意/非常不满意, the rating written through `add_rating(channel="window")`, and a
citizen who walks away (TIMEOUT_SECONDS without input) leaves the target UNRATED: a rating is never
invented, not even 基本满意 (the default job gives that after 5 working days, with its own provenance).
A vendor adapter only maps its key codes to `press()` (or hands a finished choice to `give()`).

Qt-free: time comes from app.clock (or an injected clock), so the state machine is tested without a
screen, and the writer is injected, so a UI can write off its GUI thread.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy import func, select

from app.actor import Actor
from app.clock import utc_now
from app.database import Database
from app.models import Case, Inquiry, Notice
from app.models.ratings import Rating
from app.services.errors import UserError, ValidationError
from app.services.ratings.codes import BAD_LEVELS, LEVELS, REASONS, level_label
from app.services.ratings.ratings import RatingRecord, add_rating, find_target

TIMEOUT_SECONDS = 60  # field devices give up after 60 s: the citizen has walked away
WINDOW_CHANNEL = "window"  # 窗口评价器


class Stage(StrEnum):
    LEVEL = "level"  # waiting for one of the five levels
    REASONS = "reasons"  # a bad level chosen: waiting for at least one reason and the confirmation
    SAVING = "saving"  # the choice is being written; no timeout now, the citizen has answered
    RATED = "rated"
    WALKED_AWAY = "walked_away"  # no input for TIMEOUT_SECONDS: no rating
    CANCELLED = "cancelled"  # the clerk (or the device) withdrew the request: no rating
    REFUSED = "refused"  # the core refused the rating (say, rated meanwhile by phone): nothing written


ENDED = frozenset({Stage.RATED, Stage.WALKED_AWAY, Stage.CANCELLED, Stage.REFUSED})
STAGE_LABELS: dict[Stage, str] = {
    Stage.LEVEL: "等待评价", Stage.REASONS: "选择原因", Stage.SAVING: "正在保存", Stage.RATED: "已评价",
    Stage.WALKED_AWAY: "群众未评价（无操作超时）", Stage.CANCELLED: "已取消，未评价", Stage.REFUSED: "评价未保存",
}


@dataclass(frozen=True)
class EvaluatorPrompt:
    """What the citizen sees before rating: the clerk rated, their window, and what was done."""

    target_number: str
    target_kind: str  # case / inquiry / notice
    item_name: str
    staff_name: str
    staff_no: str
    window: str


@dataclass(frozen=True)
class Choice:
    """What the citizen chose: a level on the stored scale and reason codes of that level."""

    level: int
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvaluationOutcome:
    """How a session ended; `rating` only when one was written."""

    prompt: EvaluatorPrompt
    stage: Stage
    rating: RatingRecord | None = None
    message: str = ""

    @property
    def label(self) -> str:
        return STAGE_LABELS[self.stage]


Done = Callable[[RatingRecord], None]
Failed = Callable[[UserError], None]
# Writes a choice, then calls done(record) or failed(error) — at once, or later from a UI's worker.
Writer = Callable[[EvaluatorPrompt, Choice, Done, Failed], None]


class Evaluator(Protocol):
    """A rating device at the window. `show` puts the prompt before the citizen and starts a session;
    `on_end` is called exactly once with the outcome (rated, walked away, cancelled or refused).
    `cancel` withdraws an open request without a rating (the clerk closes it, or the next citizen)."""

    def show(self, prompt: EvaluatorPrompt, on_end: Callable[[EvaluationOutcome], None]) -> None: ...

    def cancel(self) -> None: ...


def write_choice(db: Database, actor: Actor, prompt: EvaluatorPrompt, choice: Choice) -> RatingRecord:
    """The one way an evaluator's choice is stored: a citizen's rating through the window channel."""
    return add_rating(db, actor, prompt.target_number, choice.level, list(choice.reasons), channel=WINDOW_CHANNEL)


def direct_writer(db: Database, actor: Actor) -> Writer:
    """A writer that stores at once on the calling thread (a device adapter's, a command's, a test's)."""
    def write(prompt: EvaluatorPrompt, choice: Choice, done: Done, failed: Failed) -> None:
        try:
            record = write_choice(db, actor, prompt, choice)
        except UserError as exc:
            failed(exc)
        else:
            done(record)

    return write


def prompt_for(db: Database, number: str) -> EvaluatorPrompt:
    """The prompt for a closed case, an inquiry or a notice that has no rating yet, or why not (Chinese).

    The evaluator takes the first rating only (首评): a 追评 comes later by phone or the QR page."""
    number = number.strip()
    with db.session() as s:
        target = find_target(s, number)  # refuses an open case or an unknown number
        given = s.scalar(select(func.count()).select_from(Rating).where(  # a 系统默认 one does not count here
            Rating.target_number == number, Rating.provenance != "default")) or 0
        if given:
            raise ValidationError(f"{number} 已有评价，评价器只用于首次评价；追评请通过电话回访或扫码评价")
        if target.kind == "case":
            item = s.scalar(select(Case.item_name).where(Case.number == number)) or ""
        elif target.kind == "notice":
            item = "一次性告知：" + (s.scalar(select(Notice.item_name).where(Notice.number == number)) or "")
        else:
            question = s.scalar(select(Inquiry.question).where(Inquiry.number == number)) or ""
            item = "首问咨询：" + (question[:30] + ("…" if len(question) > 30 else ""))
    return EvaluatorPrompt(number, target.kind, item, target.staff_name, target.staff_no, target.window)


class EvaluationSession:
    """One citizen's rating at the window, whatever the device: level → (reasons) → written, or nothing.

    Every input first checks the timeout, so a key pressed after the citizen walked away (perhaps by the
    next citizen) never rates the previous case. `tick()` is for a device's idle timer."""

    def __init__(self, prompt: EvaluatorPrompt, write: Writer,
                 on_end: Callable[[EvaluationOutcome], None] | None = None,
                 clock: Callable[[], datetime] = utc_now, timeout: float = TIMEOUT_SECONDS) -> None:
        self.prompt = prompt
        self._write = write
        self._on_end = on_end
        self._clock = clock
        self.timeout = timeout
        self.stage = Stage.LEVEL
        self.level: int | None = None
        self.chosen: list[str] = []  # reason codes, in the order the citizen chose them
        self.hint = ""  # why a confirmation was not taken, for the device to show
        self.outcome: EvaluationOutcome | None = None
        self._last_input = clock()

    # --- what a device reads
    @property
    def ended(self) -> bool:
        return self.stage in ENDED

    def reasons_offered(self) -> list[tuple[str, str]]:
        """The chosen level's reasons (code, label) in the national order; key n picks the n-th."""
        return list(REASONS[self.level].items()) if self.level is not None else []

    def remaining(self) -> int:
        """Whole seconds left before the session ends unrated (the countdown the citizen sees)."""
        if self.stage not in (Stage.LEVEL, Stage.REASONS):
            return 0
        left = self.timeout - (self._clock() - self._last_input).total_seconds()
        return max(0, math.ceil(left))

    def tick(self) -> Stage:
        """End the session unrated once the citizen has been idle for the timeout."""
        if self.stage in (Stage.LEVEL, Stage.REASONS) and self.remaining() <= 0:
            self._end(Stage.WALKED_AWAY, message=f"{int(self.timeout)} 秒内无操作，未评价")
        return self.stage

    # --- the citizen's inputs
    def choose_level(self, level: int) -> bool:
        """A level on the stored scale (5 = 非常满意). A good level is written at once; a bad one asks why."""
        if not self._input() or self.stage not in (Stage.LEVEL, Stage.REASONS) or level not in LEVELS:
            return False
        if level != self.level:
            self.chosen = []
        self.level = level
        if level in BAD_LEVELS:
            self.stage = Stage.REASONS
            return True
        self._save()
        return True

    def toggle_reason(self, code: str) -> bool:
        if not self._input() or self.stage != Stage.REASONS or code not in dict(self.reasons_offered()):
            return False
        if code in self.chosen:
            self.chosen.remove(code)
        else:
            self.chosen.append(code)
        self.hint = ""
        return True

    def confirm(self) -> bool:
        """Submit the bad rating with its reasons; refused (with a hint) while none is chosen."""
        if not self._input() or self.stage != Stage.REASONS:
            return False
        if not self.chosen:
            self.hint = f"请至少选择一项“{level_label(self.level or 0)}”的原因"
            return False
        self._save()
        return True

    def back(self) -> bool:
        """From the reasons back to the five levels (the citizen pressed a wrong level)."""
        if not self._input() or self.stage != Stage.REASONS:
            return False
        self.stage, self.level, self.chosen, self.hint = Stage.LEVEL, None, [], ""
        return True

    def press(self, key: str) -> bool:
        """A device key: "1"–"5" pick the level (5 = 非常满意) on the first page; on the reasons page
        "1"–"8" toggle the n-th reason, "enter" confirms, "0" or "back" returns."""
        if self.stage == Stage.LEVEL and key in {"1", "2", "3", "4", "5"}:
            return self.choose_level(int(key))
        if self.stage == Stage.REASONS:
            offered = self.reasons_offered()
            if key.isdigit() and 1 <= int(key) <= len(offered):
                return self.toggle_reason(offered[int(key) - 1][0])
            if key == "enter":
                return self.confirm()
            if key in {"0", "back"}:
                return self.back()
        self._input()  # any other key still shows someone is there
        return False

    def give(self, level: int, reasons: tuple[str, ...] | list[str] = ()) -> bool:
        """A terminal that returns a finished choice (level + codes) at once."""
        if not self.choose_level(level):
            return False
        if self.stage != Stage.REASONS:
            return True
        for code in reasons:
            self.toggle_reason(str(code))
        return self.confirm()

    def cancel(self) -> None:
        """Withdrawn by the clerk or the device: no rating."""
        if self.stage in (Stage.LEVEL, Stage.REASONS):
            self._end(Stage.CANCELLED, message="已取消，未评价")

    # --- inside
    def _input(self) -> bool:
        """Note that someone is there; False once the session has ended (late keys are ignored)."""
        if self.tick() in ENDED or self.stage == Stage.SAVING:
            return False
        self._last_input = self._clock()
        return True

    def _save(self) -> None:
        assert self.level is not None
        choice = Choice(self.level, tuple(self.chosen))
        self.stage = Stage.SAVING
        self._write(self.prompt, choice, self._saved, self._refused)

    def _saved(self, record: RatingRecord) -> None:
        self._end(Stage.RATED, record)

    def _refused(self, error: UserError) -> None:
        self._end(Stage.REFUSED, message=error.message)

    def _end(self, stage: Stage, record: RatingRecord | None = None, message: str = "") -> None:
        if self.stage in ENDED:
            return
        self.stage = stage
        self.outcome = EvaluationOutcome(self.prompt, stage, record, message)
        if self._on_end is not None:
            self._on_end(self.outcome)
