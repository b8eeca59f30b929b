"""The county's PostgreSQL tables, made by code at every start instead of a migration chain of its own.

The subscribed tables are copies of the centre's replica tables (app.center.schema.REPLICA) with every
published column, so the county's schema is derived, never designed: ensure_schema creates what is missing
and adds the columns a newer centre publishes (an older county missing one would stop its subscriptions),
and there is no data of the county's own to migrate (rating_outweighed is recounted). Upgrade the county's
program before the townships'; a column it lacks stops the subscription with that column's name.

Constraints are primary keys only: a township's own unique keys (a case's 8-character query code) repeat
across townships, and a refusal at the county stops that township's subscription. The indexes are those
the figures read, each with the record's number, which names its township (app.services.numbering).

Logical replication applies rows as `session_replication_role = replica`, where ordinary triggers do not
fire: rating_outweighed's trigger is ENABLE ALWAYS, and a plain trigger refuses every local write to the
subscribed tables, which therefore only the townships write (the repair of a conflict deletes as replica).
"""

from __future__ import annotations

from importlib import import_module

from sqlalchemy import Column, Connection, Engine, Index, Integer, MetaData, String, Table, Text, inspect, text

from app.center.publication import PUBLISHED_TABLES
from app.center.schema import REPLICA
from app.center.schema import rating_outweighed as centre_outweighed
from app.models.base import NAMING, UtcDateTime
from app.models.cases import SCOPE_COLUMNS, STATS_COLUMNS_ACCEPTED, STATS_COLUMNS_COMPLETED
from app.models.ratings import RATING_STATS_COLUMNS

metadata = MetaData(naming_convention=NAMING)
SUBSCRIPTION_PREFIX = "township_"  # + the division code: the subscription, and its slot at the township
SCHEMA_LOCK = 0x636F_756E  # 'coun': one process at a time makes or widens the schema
RATINGS_LOCK = 0x7261_7469  # as the centre's (c0015): two workers recounting one target wait for each other


def _subscribed(name: str) -> Table:
    """Every column the centre has (and so publishes), its key the only constraint."""
    columns = [Column(c.name, c.type, primary_key=c.primary_key, nullable=not c.primary_key)
               for c in REPLICA[name].columns]
    return Table(name, metadata, *columns)


SUBSCRIBED: dict[str, Table] = {name: _subscribed(name) for name in PUBLISHED_TABLES}

# What the figures read (app.services.stats: by period, grouped by township and item), the number last so
# a month by township is read from the index alone; and what joins and triggers look rows up by.
INDEXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("case_file", "ix_case_file_accepted_stats", ("accepted_at", *STATS_COLUMNS_ACCEPTED, "number")),
    ("case_file", "ix_case_file_completed_stats", ("completed_at", *STATS_COLUMNS_COMPLETED, "number")),
    ("case_file", "ix_case_file_status_due", ("status", "due_date", "ended_at", *SCOPE_COLUMNS, "number")),
    ("case_file", "ix_case_file_accepted_at", ("accepted_at",)),
    ("case_file", "ix_case_file_completed_status", ("completed_at", "status")),
    ("case_file", "ix_case_file_number", ("number",)),  # a complaint's case, by its number
    ("case_file", "ix_case_file_item_code", ("item_code", "accepted_at")),  # an item's name, from its latest case
    ("case_event", "ix_case_event_case_id", ("case_id",)),
    ("rating", "ix_rating_rated_stats", ("rated_at", *RATING_STATS_COLUMNS, "target_kind", "target_number")),
    ("rating", "ix_rating_target_number", ("target_number",)),  # the outweighed ratings' trigger
    ("rectification", "ix_rectification_rating_id", ("rating_id",)),
    ("rectification", "ix_rectification_excluded", ("excluded", "rating_id")),
    ("rectification_event", "ix_rectification_event_rectification_id", ("rectification_id",)),
    ("complaint", "ix_complaint_registered_at", ("registered_at", "number")),
    ("complaint_event", "ix_complaint_event_complaint_id", ("complaint_id",)),
    ("supervision", "ix_supervision_case_number", ("case_number",)),
    ("supervision_answer", "ix_supervision_answer_supervision_id", ("supervision_id",)),
    ("inquiry", "ix_inquiry_asked_at", ("asked_at", "number")),
    ("notice", "ix_notice_issued_at", ("issued_at", "number")),
)
for _table, _name, _columns in INDEXES:
    Index(_name, *(SUBSCRIBED[_table].c[c] for c in _columns))

rating_outweighed = centre_outweighed.to_metadata(metadata)

# The townships this county subscribes to. The password is not here: it is only in the subscription's
# connection (pg_subscription.subconninfo, which only superusers can read).
township = Table(
    "township", metadata,
    Column("code", String(9), primary_key=True),
    Column("name", String(60), nullable=False),
    Column("host", String(253), nullable=False),
    Column("port", Integer, nullable=False),
    Column("dbname", String(63), nullable=False),
    Column("username", String(63), nullable=False),
    Column("subscription", String(63), nullable=False),
    Column("added_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

county_info = Table(
    "county_info", metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

_OUTWEIGHED = import_module("app.migrations.versions.0023_stats_covering")
GUARD_MESSAGE = ("'县级库的 ' || TG_TABLE_NAME || ' 表只由乡镇订阅写入：在此写入会与乡镇的数据冲突并使该乡镇的订阅停止'")


def _functions() -> list[str]:
    """The trigger functions; replication workers run with an empty search_path, so each sets its own."""
    refresh = " ".join(f"{s};" for s in _OUTWEIGHED.refresh_sql("OLD.target_number"))
    renew = " ".join(f"{s};" for s in _OUTWEIGHED.refresh_sql("NEW.target_number"))
    return [
        "CREATE OR REPLACE FUNCTION rating_outweighed_refresh() RETURNS trigger LANGUAGE plpgsql"
        " SET search_path = public AS $$ BEGIN"
        f" PERFORM pg_advisory_xact_lock({RATINGS_LOCK});"
        f" IF TG_OP IN ('UPDATE', 'DELETE') THEN {refresh} END IF;"
        f" IF TG_OP IN ('INSERT', 'UPDATE') THEN {renew} END IF; RETURN NULL; END $$",
        "CREATE OR REPLACE FUNCTION county_subscribed_only() RETURNS trigger LANGUAGE plpgsql"
        " SET search_path = public AS $$ BEGIN"
        f" RAISE EXCEPTION USING MESSAGE = {GUARD_MESSAGE}; END $$",
    ]


def _triggers(conn: Connection) -> None:
    """The outweighed ratings' trigger fires for replicated rows too (ALWAYS); when it was missing or not
    ALWAYS, the table is recounted. The guard fires for local writes only (the default, ORIGIN)."""
    for statement in _functions():
        conn.exec_driver_sql(statement)
    state = conn.exec_driver_sql("SELECT tgenabled FROM pg_trigger WHERE tgname = 'rating_outweighed_refresh'"
                                 " AND tgrelid = 'rating'::regclass").scalar()
    if state != "A":
        conn.exec_driver_sql(
            "CREATE OR REPLACE TRIGGER rating_outweighed_refresh AFTER INSERT OR DELETE OR UPDATE OF target_number,"
            " provenance, rated_at ON rating FOR EACH ROW EXECUTE FUNCTION rating_outweighed_refresh()")
        conn.exec_driver_sql("ALTER TABLE rating ENABLE ALWAYS TRIGGER rating_outweighed_refresh")
        conn.exec_driver_sql("DELETE FROM rating_outweighed")
        conn.exec_driver_sql(_OUTWEIGHED.fill_sql())
    guarded = {str(r[0]) for r in conn.exec_driver_sql(
        "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'county_subscribed_only'")}
    for name in PUBLISHED_TABLES:
        if name not in guarded:
            conn.exec_driver_sql(f'CREATE TRIGGER county_subscribed_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE'
                                 f' ON "{name}" FOR EACH STATEMENT EXECUTE FUNCTION county_subscribed_only()')


def ensure_schema(engine: Engine) -> None:
    """Create what is missing, add the columns and indexes a newer program has; never drops anything."""
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        metadata.create_all(conn, checkfirst=True)
        inspector = inspect(conn)
        for table in metadata.tables.values():
            have = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in have:
                    kind = column.type.compile(dialect=conn.dialect)
                    conn.exec_driver_sql(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}')
            indexed = {i["name"] for i in inspector.get_indexes(table.name)}
            for index in table.indexes:
                if index.name not in indexed:
                    index.create(conn)
        _triggers(conn)
