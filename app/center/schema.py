"""The centre's PostgreSQL tables: every replicated table plus where each row stands in the feed.

Each replicated row carries _owner (the node that owns it; empty for centre-owned rows), _pushed_by,
and its feed position (_xid, _seq): the transaction that last wrote it and a global sequence. The
change feed is read in (_xid, _seq) order and only below the oldest transaction still running, so a
transaction that took its sequence numbers early but commits late can never be skipped.
Foreign keys are left out: integrity is enforced where a row is written (its owner), and rows of
one push may arrive in any order.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from app.models.base import NAMING, UtcDateTime
from app.models.cases import SCOPE_COLUMNS, STATS_COLUMNS_ACCEPTED, STATS_COLUMNS_COMPLETED
from app.models.ratings import RATING_STATS_COLUMNS
from app.sync.tables import REPLICATED
from app.sync.tables import table as local_table

metadata = MetaData(naming_convention=NAMING)
feed_seq = Sequence("sync_seq", metadata=metadata)

XID_NOW = text("(pg_current_xact_id()::text::bigint)")


def _feed_columns() -> list[Column]:  # type: ignore[type-arg]
    return [
        Column("_owner", String(2), nullable=True),
        Column("_pushed_by", String(2), nullable=False, server_default=""),
        Column("_xid", BigInteger, nullable=False, server_default=XID_NOW),
        Column("_seq", BigInteger, nullable=False, server_default=feed_seq.next_value()),
    ]


def _replica(name: str) -> Table:
    source = local_table(name)
    cols = [Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable) for c in source.columns]
    uniques = [UniqueConstraint(*[c.name for c in u.columns], name=f"uq_{name}_{'_'.join(c.name for c in u.columns)}")
               for u in source.constraints if isinstance(u, UniqueConstraint)]
    uniques += [UniqueConstraint(c.name, name=f"uq_{name}_{c.name}") for c in source.columns if c.unique]
    return Table(name, metadata, *cols, *_feed_columns(), *uniques,
                 Index(f"ix_{name}_feed", "_xid", "_seq"), Index(f"ix_{name}_owner", "_owner"))


REPLICA: dict[str, Table] = {name: _replica(name) for name in REPLICATED}
# A case's rows, found by its id or number when it changes hands (app.center.handover republishes them).
CASE_LINK_INDEXES = (("case_event", "case_id"), ("case_page", "case_id"), ("print_log", "doc_number"), ("issued_document", "doc_number"))
# A case's ratings by its number (the public page); a record's history by its parent (the feed, c0009).
LOOKUP_INDEXES = (("rating", "target_number"), ("rectification_event", "rectification_id"),
                  ("complaint_event", "complaint_id"))
for _name, _column in CASE_LINK_INDEXES + LOOKUP_INDEXES:
    if _name in REPLICA:
        Index(f"ix_{_name}_{_column}", REPLICA[_name].c[_column])
# What `center report` reads a month of every node by (c0014, widened by c0015 as the workstations' 0023):
# the case and rating indexes by period carry every column the figures count by, for index-only scans, and
# a month's count alone (the trend) reads the narrow ones.
STATS_INDEXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("case_file", ("status", "due_date", "ended_at", *SCOPE_COLUMNS)), ("case_file", ("accepted_at",)),
    ("complaint", ("registered_at",)), ("inquiry", ("asked_at",)), ("notice", ("issued_at",)))
for _name, _columns in STATS_INDEXES:
    Index(f"ix_{_name}_{'_'.join(_columns[:2])}", *(REPLICA[_name].c[c] for c in _columns))
COVERING_INDEXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("case_file", "ix_case_file_accepted_stats", ("accepted_at", *STATS_COLUMNS_ACCEPTED)),
    ("case_file", "ix_case_file_completed_stats", ("completed_at", *STATS_COLUMNS_COMPLETED)),
    ("case_file", "ix_case_file_completed_status", ("completed_at", "status")),
    ("rectification", "ix_rectification_excluded", ("excluded", "rating_id")),
    ("rating", "ix_rating_rated_stats", ("rated_at", *RATING_STATS_COLUMNS)))
for _name, _index, _columns in COVERING_INDEXES:
    Index(_index, *(REPLICA[_name].c[c] for c in _columns))

# The ratings a later citizen rating outweighs, kept by a trigger on rating (c0015): derived from the
# ratings held here, never replicated (app.models.ratings.RatingOutweighed).
rating_outweighed = Table(
    "rating_outweighed", metadata,
    Column("rating_id", String(36), primary_key=True),
    Column("target_number", String(24), nullable=False),
    Column("rated_at", UtcDateTime(), nullable=False),
    Index("ix_rating_outweighed_target_number", "target_number"),
    Index("ix_rating_outweighed_rated_at", "rated_at"),
)

center_info = Table(
    "center_info", metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

center_node = Table(
    "center_node", metadata,
    Column("node_code", String(2), primary_key=True),
    Column("node_name", String(60), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("token_hash", String(64), nullable=True),
    Column("enrolled_at", UtcDateTime(), nullable=True),
    Column("revoked_at", UtcDateTime(), nullable=True),
    Column("acked_seq", BigInteger, nullable=False, server_default="0"),
    Column("last_seen_at", UtcDateTime(), nullable=True),
    Column("last_sync_at", UtcDateTime(), nullable=True),
    Column("backlog", Integer, nullable=False, server_default="0"),
    Column("clock_offset_s", Float, nullable=False, server_default="0"),
    Column("protocol", Integer, nullable=False, server_default="0"),
    Column("schema_rev", String(20), nullable=False, server_default=""),
)

enroll_code = Table(
    "enroll_code", metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("node_code", String(2), nullable=False),
    Column("node_name", String(60), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("used_at", UtcDateTime(), nullable=True),
)

quarantine = Table(
    "quarantine", metadata,
    Column("id", String(36), primary_key=True),
    Column("origin_node", String(2), nullable=False),
    Column("table_name", String(40), nullable=False),
    Column("row_id", String(36), nullable=False),
    Column("outbox_seq", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    *_feed_columns(),
    Index("ix_quarantine_feed", "_xid", "_seq"),
)

tombstone = Table(
    "tombstone", metadata,
    Column("table_name", String(40), primary_key=True),
    Column("row_id", String(36), primary_key=True),
    Column("deleted_at", UtcDateTime(), nullable=False),
    *_feed_columns(),
    Index("ix_tombstone_feed", "_xid", "_seq"),
)

# Proofs that the centre itself checked a director's or administrator's password for one device;
# only these make a push of centre-owned data acceptable (a device's word for a staff id is not).
person_proof = Table(
    "person_proof", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("staff_id", String(36), nullable=False),
    Column("node_code", String(2), nullable=False),
    Column("issued_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Index("ix_person_proof_staff", "staff_id"),
)

# Wrong passwords given to the centre, per staff number: five in a row lock it for a while.
person_lock = Table(
    "person_lock", metadata,
    Column("staff_no", String(20), primary_key=True),
    Column("failed_count", Integer, nullable=False, server_default="0"),
    Column("locked_until", UtcDateTime(), nullable=True),
)

# Hand-overs of cases between nodes (移交): one row per offer, settled when the named receiver
# receives it or the sender cancels it. The case_file row's _owner moves only when a receipt applies.
case_handover = Table(
    "case_handover", metadata,
    Column("offer_id", String(36), primary_key=True),  # the transfer_offered event
    Column("case_id", String(36), nullable=False),
    Column("number", String(24), nullable=False),
    Column("batch", String(30), nullable=False),
    Column("from_node", String(2), nullable=False),
    Column("to_node", String(2), nullable=False),
    Column("is_return", Boolean, nullable=False, server_default=text("false")),
    Column("state", String(10), nullable=False),  # offered / received / cancelled
    Column("offered_at", UtcDateTime(), nullable=False),
    Column("settled_at", UtcDateTime(), nullable=True),
    Column("settled_by", String(36), nullable=True),  # the event that received or cancelled it
    Index("ix_case_handover_case", "case_id"),
)

# Nodes that may see a case besides the one holding it: every sender and every named receiver.
# The feed sends them the case, its events and its documents (by case number).
case_party = Table(
    "case_party", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("node_code", String(2), primary_key=True),
    Column("number", String(24), nullable=False),
    Index("ix_case_party_node", "node_code", "case_id"),
    Index("ix_case_party_number", "node_code", "number"),
)

# The images of case pages (电子件), by hash, as uploaded by a node after the page rows (app.center.blobs).
# In the database, not beside it: `center backup`/`restore` (pg_dump) carry them with the rows naming them.
case_blob = Table(
    "case_blob", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("stored_at", UtcDateTime(), nullable=False),
    Column("from_node", String(2), nullable=False),
)
Index("ix_case_page_sha256", REPLICA["case_page"].c.sha256)
