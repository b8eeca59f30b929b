"""Opening a stored document for preview, print and save, with every output logged.

After the first output the dialog is given the 补打 version, so a second copy printed from the
same dialog is marked as a reprint too. A character that no shipped font can draw (a name with a
character newer than the fonts) is printed as □, and the preview warns the clerk to check it and
correct it by hand before the citizen leaves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.actor import Actor
from app.database import Database
from app.printing.text import collect_unprintable, unprintable_warning
from app.services import documents
from app.services.errors import UserError
from app.services.inquiries.notices import record_print
from app.sync.client import clock_warning
from app.ui.document_dialog import DocumentDialog
from app.ui.messages import show_user_error
from app.ui.tasks import TaskRunner

Builder = Callable[[Database, str], tuple[bytes, bool]]
BUILDERS: dict[str, tuple[str, Builder]] = {
    "notice": ("一次性告知书", documents.notice_document),
    "referral": ("转介告知单", documents.referral_document),
    "receipt": ("受理回执", documents.receipt_document),
    "slip": ("办件通知书", documents.slip_document),
}


def build_checked(build: Builder, db: Database, number: str) -> tuple[bytes, bool, str | None]:
    """Build a document; the third value warns about characters it could not print, or is None."""
    with collect_unprintable() as missing:
        data, reprint = build(db, number)
    return data, reprint, unprintable_warning(missing)


class DocumentOpener:
    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, parent: QWidget) -> None:
        self.db = db
        self.actor = actor
        self.runner = runner
        self.parent = parent
        self.dialog: DocumentDialog | None = None

    def open(self, doc_type: str, number: str, then: Callable[[], None] | None = None) -> None:
        """Build and show the document; `then` runs when its dialog closes (the next document, say)."""
        label, build = BUILDERS[doc_type]
        self.runner.submit(
            lambda: (*build_checked(build, self.db, number), clock_warning(self.db)),
            lambda result: self._show(doc_type, label, number, result[0], result[1], then,
                                      "\n".join(w for w in (result[3], result[2]) if w) or None),
            self._failed,
        )

    def _show(self, doc_type: str, label: str, number: str, data: bytes, reprint: bool,
              then: Callable[[], None] | None = None, warning: str | None = None) -> None:
        title = f"{label} {number}" + ("（补打）" if reprint else "")

        def logged(target: str) -> None:
            build = BUILDERS[doc_type][1]

            def log_and_rebuild() -> bytes:
                record_print(self.db, self.actor, doc_type, number, target)
                return build(self.db, number)[0]

            self.runner.submit(log_and_rebuild, self._replace)

        self.dialog = DocumentDialog(title, data, f"{label}{number}.pdf", logged, self.parent, warning)
        if then is not None:
            self.dialog.finished.connect(lambda _result: then())
        self.dialog.open()

    def show_pdf(self, title: str, data: bytes, file_name: str, doc_type: str, number: str) -> None:
        """A document built elsewhere (the register ledger): logged, not rebuilt."""

        def logged(target: str) -> None:
            self.runner.submit(lambda: record_print(self.db, self.actor, doc_type, number, target), lambda _r: None)

        self.dialog = DocumentDialog(title, data, file_name, logged, self.parent)
        self.dialog.open()

    def _replace(self, data: bytes) -> None:
        if self.dialog is not None:
            self.dialog.data = data

    def _failed(self, exc: BaseException) -> bool:
        if isinstance(exc, UserError):
            show_user_error(self.parent, exc)
            return True
        return False
