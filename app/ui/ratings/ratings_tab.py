"""评价记录: every rating given (by citizens, by default, typed in from paper), newest first, a page at a
time with the true total, filtered by level, bad ones only, date range and the staff member rated."""

from __future__ import annotations

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app import changes
from app.database import Database
from app.services.errors import UserError
from app.services.people.staff import StaffRecord, list_staff
from app.services.ratings.codes import BAD_LEVELS, LEVELS, TARGET_KINDS, reason_label
from app.services.ratings.listing import RatingFilter, check_rating_filter, page_ratings
from app.services.ratings.ratings import RatingRecord
from app.ui.change_watch import watch
from app.ui.forms import status_label, to_date, today_qdate
from app.ui.table_model import PagedRecordModel, make_table
from app.ui.tasks import TaskRunner

BAD_COLOUR = "#f8d7da"


def counted_text(rating: RatingRecord) -> str:
    """Whether the rating is in the figures, and why not."""
    if rating.excluded:
        return "申诉成立，不计入"
    return "计入" if rating.counts else "已被追评取代"


class RatingsTab(QWidget):
    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.runner = db, runner
        self.level = QComboBox()
        self.level.setObjectName("ratingLevel")
        self.level.addItem("全部等级", None)
        for value, text in LEVELS.items():
            self.level.addItem(text, value)
        self.bad_only = QCheckBox("只看差评(&B)")
        self.by_date = QCheckBox("按评价日期(&D)")
        today = today_qdate()
        self.date_from = self._date_edit(QDate(today.year(), today.month(), 1))
        self.date_to = self._date_edit(today)
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(False)
            self.by_date.toggled.connect(edit.setEnabled)
        self.staff = QComboBox()
        self.staff.setObjectName("ratingStaff")
        self.staff.addItem("全部人员", "")
        self.count = QLabel()
        self.problem = status_label("ratingFilterStatus")
        self.model: PagedRecordModel[RatingRecord] = PagedRecordModel(
            [
                ("评价时间", lambda r: f"{r.rated_at.astimezone():%Y-%m-%d %H:%M}"),
                ("评价对象", lambda r: f"{TARGET_KINDS.get(r.target_kind, r.target_kind)} {r.target_number}"),
                ("等级", lambda r: r.level_label),
                ("原因", lambda r: "、".join(reason_label(c) for c in r.reasons)),
                ("评价内容", lambda r: r.text + ("（不公开）" if r.private else "")),
                ("渠道", lambda r: r.channel_label),
                ("来源", lambda r: r.provenance_label),
                ("被评价人", lambda r: f"{r.staff_name}（{r.staff_no}）"),
                ("首评/追评", lambda r: r.which),
                ("统计", counted_text),
            ],
            runner,
            self,
        )
        self.model.set_background(lambda r: BAD_COLOUR if r.level in BAD_LEVELS and r.counts and not r.excluded
                                  else None)
        self.model.set_muted(lambda r: r.excluded or not r.counts)
        self.model.total_changed.connect(lambda total: self.count.setText(f"共 {total} 条"))
        self.table = make_table(self.model, "ratingTable", 4)
        top = QHBoxLayout()
        for text, widget in (("等级(&G)", self.level), ("被评价人(&R)", self.staff)):
            label = QLabel(text)
            label.setBuddy(widget)
            top.addWidget(label)
            top.addWidget(widget)
        top.addWidget(self.bad_only)
        top.addWidget(self.by_date)
        top.addWidget(self.date_from)
        top.addWidget(QLabel("至"))
        top.addWidget(self.date_to)
        top.addWidget(self.count)
        top.addWidget(self.problem, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.load)
        for signal in (self.level.currentIndexChanged, self.staff.currentIndexChanged, self.bad_only.toggled,
                       self.by_date.toggled, self.date_from.dateChanged, self.date_to.dateChanged):
            signal.connect(self._timer.start)
        self.setFocusProxy(self.table)
        watch(self, db, changes.RATINGS, self.refresh)
        watch(self, db, changes.STAFF, self._load_staff)  # a new colleague appears among 被评价人

    @staticmethod
    def _date_edit(day: QDate) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def current_filter(self) -> RatingFilter:
        dated = self.by_date.isChecked()
        level = self.level.currentData()
        return RatingFilter(level=int(level) if level is not None else None, bad_only=self.bad_only.isChecked(),
                            date_from=to_date(self.date_from.date()) if dated else None,
                            date_to=to_date(self.date_to.date()) if dated else None,
                            staff_no=str(self.staff.currentData() or ""))

    def load(self) -> None:
        """The first page of the filtered list; a filter that cannot be (an end before the start) is
        said in red and the list is left as it was."""
        try:
            flt = check_rating_filter(self.current_filter())
        except UserError as exc:
            self.problem.setText(exc.message)
            return
        self.problem.setText("")
        self.model.load(lambda offset, limit: page_ratings(self.db, flt, offset, limit))
        if self.staff.count() == 1:
            self._load_staff()

    def refresh(self) -> None:
        self.model.reload()

    def _load_staff(self) -> None:
        self.runner.submit(lambda: list_staff(self.db), self._fill_staff)

    def _fill_staff(self, staff: list[StaffRecord]) -> None:
        kept = self.staff.currentData()
        self.staff.blockSignals(True)
        self.staff.clear()
        self.staff.addItem("全部人员", "")
        for member in staff:
            self.staff.addItem(f"{member.name}（{member.staff_no}）", member.staff_no)
        self.staff.setCurrentIndex(max(0, self.staff.findData(kept)))
        self.staff.blockSignals(False)
