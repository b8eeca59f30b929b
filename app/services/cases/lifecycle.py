"""The life of a case as data: its states, and which action leads from which state to which.

Every change of a case's state is one of these actions, recorded as an event of the same name; the
state is the fold of those events (`state_after`), so the case list, the documents, the command line
and the statistics all read one answer. A refused action says in Chinese why and changes nothing.
What an action must be given is checked by the service that performs it; the table says which
fields, which document it prints and who may perform it, so screens offer only what will be accepted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.services.errors import ValidationError

# State codes as stored on case_file.status (the cache of the fold), with what screens and papers call them.
STATES: dict[str, str] = {
    "supplementing": "待补正",
    "accepted": "办理中",
    "suspended": "特别程序中",
    "approved": "已决定（准予）",
    "denied": "已决定（不予）",
    "ready": "待领取",
    "to_deliver": "待送达",
    "done": "已办结",
    "archived": "已归档",
    "withdrawn": "已撤回",
    "terminated": "已终止",
    "rejected": "不予受理",
}
OPEN_STATES = frozenset({"supplementing", "accepted", "suspended"})  # the clock may run: lights apply
DECIDED_STATES = frozenset({"approved", "denied", "ready", "to_deliver"})
CLOSED_STATES = frozenset({"done", "archived", "withdrawn", "terminated", "rejected"})
CLOCK_STOPPED = frozenset({"supplementing", "suspended"})  # no working days count while in these

# The state a case starts in, by its class at acceptance.
INITIAL_STATE = {"rejected": "rejected", "supplement": "supplementing"}


def initial_state(case_class: str) -> str:
    return INITIAL_STATE.get(case_class, "accepted")


@dataclass(frozen=True)
class Transition:
    action: str  # also the kind of the event it records
    label: str  # what the button and the history call it
    sources: frozenset[str]
    target: str | None  # None: the state stays (an extension)
    needs: tuple[str, ...]  # fields the action must be given
    prints: str | None  # the document handed to the citizen, if any
    classes: frozenset[str] | None = None  # only cases of these classes (None: every class)


def _t(action: str, label: str, sources: Iterable[str], target: str | None, needs: tuple[str, ...] = (),
       prints: str | None = None, classes: Iterable[str] | None = None) -> Transition:
    return Transition(action, label, frozenset(sources), target, needs, prints,
                      frozenset(classes) if classes is not None else None)


TRANSITIONS: tuple[Transition, ...] = (
    _t("supplemented", "材料补齐，开始计时", {"supplementing"}, "accepted", ("materials",), "slip"),
    _t("paused", "进入特别程序", {"accepted"}, "suspended", ("procedure", "start", "expected_days"), "procedure"),
    _t("resumed", "结束特别程序", {"suspended"}, "accepted", ("end",)),
    _t("extended", "批准延期", {"accepted", "suspended"}, None, ("days", "reason", "approver"), "extension"),
    _t("approved", "准予", {"accepted"}, "approved", ("result",), "decision"),
    _t("denied", "不予许可", {"accepted"}, "denied", ("reason", "basis"), "decision"),
    _t("completed_on_spot", "当场办结", {"accepted"}, "done", ("result",), "receipt", classes={"immediate"}),
    _t("notified", "办结通知", {"approved", "denied"}, None, ("method",), "completion"),
    _t("delivered", "送达", {"approved", "denied", "ready", "to_deliver"}, "done", ("method", "receiver"),
       "delivery"),
    _t("withdrawn", "撤回", {"supplementing", "accepted", "suspended"}, "withdrawn", ("reason",), "withdrawal"),
    _t("terminated", "终止", {"supplementing", "accepted", "suspended"}, "terminated", ("reason",)),
    _t("archived", "归档", {"done", "withdrawn", "terminated", "rejected"}, "archived", ("box",)),
)
BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}
LEGACY_KINDS = {"materials_completed": "supplemented"}  # event kinds written before this table existed
DELIVERY_METHODS = {"pickup": "窗口领取", "post": "邮寄", "agent": "村代办员送达", "electronic": "电子送达"}
# After a 办结通知 the case waits for the citizen at the window, or goes out by post, agent or e-mail.
NOTIFIED_TARGET = {"pickup": "ready"}
NOTIFIED_OTHERWISE = "to_deliver"


def state_label(state: str) -> str:
    return STATES.get(state, state)


def allowed(state: str, case_class: str) -> list[Transition]:
    """The actions a case in this state and class offers now (for the screen's buttons)."""
    return [t for t in TRANSITIONS if state in t.sources and (t.classes is None or case_class in t.classes)]


def check(state: str, case_class: str, action: str) -> Transition:
    """The transition for `action`, or a ValidationError saying in Chinese why the case cannot take it."""
    transition = BY_ACTION.get(action)
    if transition is None:
        raise ValidationError(f"没有“{action}”这一办理环节")
    if transition.classes is not None and case_class not in transition.classes:
        raise ValidationError(f"只有即办件可以{transition.label}")
    if state not in transition.sources:
        can_from = "、".join(state_label(s) for s in sorted(transition.sources, key=list(STATES).index))
        raise ValidationError(f"办件当前为“{state_label(state)}”，不能{transition.label}（应为{can_from}）")
    return transition


def next_state(state: str, transition: Transition, method: str = "") -> str:
    if transition.action == "notified":
        return NOTIFIED_TARGET.get(method, NOTIFIED_OTHERWISE)
    return transition.target or state


def state_after(case_class: str, events: Iterable[tuple[str, str] | tuple[str, str, str]]) -> str:
    """The state a case of this class (as accepted) is in after its events, oldest first: (kind,
    method) pairs, or (kind, method, class) where a 补正 names the class the case becomes.

    Events that are not transitions (the deadline recomputed, a document printed) leave it as it is;
    so does an event its state did not allow (one written by an older version): the fold never fails.
    """
    state = initial_state(case_class)
    for kind, method, *changed in events:
        transition = BY_ACTION.get(LEGACY_KINDS.get(kind, kind))
        if transition is None or state not in transition.sources:
            continue
        if transition.classes is not None and case_class not in transition.classes:
            continue
        state = next_state(state, transition, method)
        if changed and changed[0]:
            case_class = changed[0]  # a 补办件 complete: its item's class from now on
    return state


# Visits a citizen makes for a case (跑动次数): each of these events is one trip to the window.
TRIP_EVENTS = {"accepted": "受理", "supplemented": "补正", "materials_completed": "补正",
               "supplement_visit": "补正（未补齐）", "visited": "其他来访"}
# The method of an acceptance made at the citizen's home (上门服务, app.services.appointments.visits.
# accepted_at_home): the clerk went to the citizen, so it is no trip.
HOME_ACCEPTANCE = "home"
ACCEPTANCE_METHODS = {HOME_ACCEPTANCE: "上门受理"}


def trips_after(followed_notice: bool, events: Iterable[tuple[str, str] | tuple[str, str, object]]) -> int:
    """Trips for one case from its (kind, method[, day]) events: the visit for the one-time notice it
    followed, acceptance, each 补正 visit, collecting the result at the window, and visits recorded by
    hand. Collecting on the day of an earlier visit is that same visit (a 即办件 handed over at once).
    An acceptance at the citizen's home (method HOME_ACCEPTANCE) is no trip: the clerk came to them.
    The reform's promise is 最多跑一次: more than one is flagged."""
    trips = 1 if followed_notice else 0
    last_day: object = None
    for kind, method, *day in events:
        on = day[0] if day else None
        if kind == "accepted" and method == HOME_ACCEPTANCE:
            continue
        if kind in TRIP_EVENTS:
            trips, last_day = trips + 1, on
        elif kind == "delivered" and method == "pickup" and (on is None or on != last_day):
            trips, last_day = trips + 1, on
    return trips
