"""Opening a document for preview, print and save, with every output kept and logged.

The first output of a document keeps it as issued (app.services.documents.issue: the data the clerk
previewed, stored with the print log in one transaction); the dialog is then given the 补打 version,
rendered from what was kept, so a second copy printed from the same dialog is marked as a reprint
too. A character that no shipped font can draw (a name with a character newer than the fonts) is
printed as □, and the preview warns the clerk to check it and correct it by hand before the citizen
leaves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.actor import Actor
from app.database import Database
from app.printing.text import collect_unprintable, unprintable_warning
from app.services.documents import Document, build_document, issue
from app.services.errors import UserError
from app.services.inquiries.notices import record_print
from app.services.labels import DOC_TYPES
from app.sync.client import clock_warning
from app.ui.document_dialog import DocumentDialog
from app.ui.messages import show_user_error
from app.ui.tasks import TaskRunner


def build_checked(db: Database, doc_type: str, number: str, source: str = "",
                  reader: Actor | None = None) -> tuple[Document, str | None]:
    """Build a document for `reader`; the second value warns about characters it could not print, or is None."""
    with collect_unprintable() as missing:
        document = build_document(db, doc_type, number, source, reader=reader)
    return document, unprintable_warning(missing)


def dialog_title(document: Document) -> str:
    label = DOC_TYPES.get(document.doc_type, document.title)  # the printed title follows when it differs
    exact = f"（{document.title}）" if document.title != label else ""
    return f"{label} {document.number}{exact}" + ("（补打）" if document.reprint else "")


class DocumentOpener:
    def __init__(self, db: Database, actor: Actor, runner: TaskRunner, parent: QWidget) -> None:
        self.db = db
        self.actor = actor
        self.runner = runner
        self.parent = parent
        self.dialog: DocumentDialog | None = None
        self.document: Document | None = None  # what the open dialog shows

    def open(self, doc_type: str, number: str, then: Callable[[], None] | None = None, source: str = "") -> None:
        """Build and show the document; `then` runs when its dialog closes (the next document, say).
        `source` names the case event it reports (one of several extensions); empty: the newest."""
        self.runner.submit(
            lambda: (*build_checked(self.db, doc_type, number, source, self.actor), clock_warning(self.db)),
            lambda result: self._show(result[0], then, "\n".join(w for w in (result[2], result[1]) if w) or None),
            self._failed,
        )

    def _show(self, document: Document, then: Callable[[], None] | None = None, warning: str | None = None) -> None:
        current = [document]  # what this dialog shows: the 补打 version after its first output

        def logged(target: str) -> None:
            shown = current[0]

            def keep_and_rebuild() -> Document:
                issue(self.db, self.actor, shown, target)  # the first output keeps what was previewed
                return build_document(self.db, shown.doc_type, shown.number, shown.source)

            def replace(reprint: Document) -> None:
                current[0] = reprint
                dialog.data = reprint.pdf
                if self.dialog is dialog:
                    self.document = reprint

            self.runner.submit(keep_and_rebuild, replace)

        dialog = DocumentDialog(dialog_title(document), document.pdf, f"{document.title}{document.number}.pdf",
                                logged, self.parent, warning)
        self.dialog, self.document = dialog, document
        if then is not None:
            dialog.finished.connect(lambda _result: then())
        dialog.open()

    def show_pdf(self, title: str, data: bytes, file_name: str, doc_type: str, number: str) -> None:
        """A document built elsewhere (the register ledger): logged, not rebuilt."""

        def logged(target: str) -> None:
            self.runner.submit(lambda: record_print(self.db, self.actor, doc_type, number, target), lambda _r: None)

        self.dialog = DocumentDialog(title, data, file_name, logged, self.parent)
        self.dialog.open()

    def _failed(self, exc: BaseException) -> bool:
        if isinstance(exc, UserError):
            show_user_error(self.parent, exc)
            return True
        return False
