"""Store: the DuckDB file. Opening, migrations, and batched writes of articles, sentences, events and rejects.

All writes go in as Arrow tables inside one transaction per batch, never row by row, so a killed run leaves
whole batches or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from events import __version__

SCHEMA_VERSION_TABLE = "schema_version"


class StoreError(Exception):
    """A database problem the user can act on (wrong path, locked file, newer schema)."""


def schema_dir() -> Path:
    """The folder of migration files: `events/schema` in an installed wheel, `schema/` in a checkout."""
    packaged = Path(__file__).parent / "schema"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "schema"


def migrations() -> list[tuple[int, str, Path]]:
    """(version, name, path) of every `NNN_name.sql` file, in order."""
    found = []
    for path in sorted(schema_dir().glob("*.sql")):
        match = re.match(r"(\d+)_(.+)\.sql$", path.name)
        if match:
            found.append((int(match.group(1)), match.group(2), path))
    return found


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def connect(db_path: str | Path, read_only: bool = False, wait: float = 0.0) -> duckdb.DuckDBPyConnection:
    """Open the database; a writable connection is migrated to the newest schema first. DuckDB allows one
    writing process per file: when another holds it, retry for up to `wait` seconds, then fail with a message
    naming the holder."""
    path = Path(db_path)
    if read_only and not path.exists():
        raise StoreError(f"no database at {path}: run `events run` or `events ingest` first")
    if not read_only and path.parent and not path.parent.exists():
        raise StoreError(f"folder {path.parent} does not exist")
    deadline = time.monotonic() + wait
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower() and time.monotonic() < deadline:
                time.sleep(0.25)
                continue
            raise StoreError(_lock_message(path, exc)) from exc
        except duckdb.Error as exc:
            raise StoreError(f"cannot open {path}: {str(exc).splitlines()[0]}") from exc
    if not read_only:
        migrate(con)
    return con


def _lock_message(path: Path, exc: Exception) -> str:
    text = str(exc)
    if "lock" in text.lower():
        holder = re.search(r"PID (\d+)", text)
        who = f" (held by process {holder.group(1)})" if holder else ""
        return (
            f"database {path} is in use by another process{who}; try again when it finishes, "
            "or pass --wait SECONDS"
        )
    return f"cannot open {path}: {text.splitlines()[0]}"


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """The single value of a one-row, one-column query."""
    return con.execute(sql, params or []).fetchall()[0][0]


def applied_versions(con: duckdb.DuckDBPyConnection) -> list[int]:
    exists = scalar(
        con, "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [SCHEMA_VERSION_TABLE]
    )
    if not exists:
        return []
    return [
        row[0] for row in con.sql(f"SELECT version FROM {SCHEMA_VERSION_TABLE} ORDER BY version").fetchall()
    ]


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration not yet recorded in `schema_version`; return the versions applied now."""
    con.execute(
        f"""CREATE TABLE IF NOT EXISTS {SCHEMA_VERSION_TABLE} (
                version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"""
    )
    con.execute(
        f"COMMENT ON TABLE {SCHEMA_VERSION_TABLE} IS 'Schema migrations applied to this file, one row each.'"
    )
    done = set(applied_versions(con))
    known = migrations()
    newest_known = max((v for v, _, _ in known), default=0)
    if done and max(done) > newest_known:
        raise StoreError(
            f"database schema version {max(done)} is newer than this events ({newest_known}); upgrade events"
        )
    applied = []
    for version, name, path in known:
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute(f"INSERT INTO {SCHEMA_VERSION_TABLE} VALUES (?, ?, ?)", [version, name, utcnow()])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


# ---------------------------------------------------------------- runs


def start_run(
    con: duckdb.DuckDBPyConnection,
    command: str,
    inputs: Iterable[str] = (),
    coder_version: str | None = None,
    model: str | None = None,
) -> str:
    """Record a new run; runs left 'running' by a killed process are marked failed first."""
    con.execute(
        "UPDATE runs SET status = 'failed', message = 'interrupted: the process ended before the run finished' "
        "WHERE status = 'running'"
    )
    run_id = str(uuid.uuid4())
    con.execute(
        "INSERT INTO runs (run_id, command, status, started_at, events_version, coder_version, model, inputs) "
        "VALUES (?, ?, 'running', ?, ?, ?, ?, ?)",
        [run_id, command, utcnow(), __version__, coder_version, model, "\n".join(inputs)],
    )
    return run_id


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    counts: dict[str, int],
    message: str | None = None,
) -> None:
    con.execute(
        "UPDATE runs SET status = ?, finished_at = ?, articles_ingested = ?, articles_rejected = ?, "
        "articles_coded = ?, events_coded = ?, message = ? WHERE run_id = ?",
        [
            status,
            utcnow(),
            counts.get("ingested", 0),
            counts.get("rejected", 0),
            counts.get("coded", 0),
            counts.get("events", 0),
            message,
            run_id,
        ],
    )


# ---------------------------------------------------------------- batched writes


def insert_rows(
    con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table, ignore_duplicates: bool = True
) -> None:
    """INSERT (OR IGNORE) an Arrow table whose columns are named as in `table`: one statement, never row by row."""
    if rows.num_rows == 0:
        return
    con.register("incoming_batch", rows)
    try:
        columns = ", ".join(rows.column_names)
        verb = "INSERT OR IGNORE" if ignore_duplicates else "INSERT"
        con.execute(f"{verb} INTO {table} ({columns}) SELECT {columns} FROM incoming_batch")
    finally:
        con.unregister("incoming_batch")


def insert_ignoring_duplicates(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> int:
    """INSERT OR IGNORE an Arrow table (columns named as in `table`); return how many rows were new."""
    if rows.num_rows == 0:
        return 0
    before = scalar(con, f"SELECT count(*) FROM {table}")
    insert_rows(con, table, rows)
    return scalar(con, f"SELECT count(*) FROM {table}") - before


def replace_coding(
    con: duckdb.DuckDBPyConnection,
    article_ids: list[str],
    sentences: pa.Table,
    events: pa.Table,
    coder_version: str,
) -> None:
    """Store the coding of a batch of articles, replacing any earlier coding of them, in one transaction."""
    ids = pa.table({"article_id": pa.array(article_ids, pa.string())})
    con.register("coded_ids", ids)
    try:
        with transaction(con):
            con.execute("DELETE FROM events WHERE article_id IN (SELECT article_id FROM coded_ids)")
            con.execute("DELETE FROM sentences WHERE article_id IN (SELECT article_id FROM coded_ids)")
            # A repeated event_id within one batch can only be an exact duplicate: keep one.
            insert_rows(con, "sentences", sentences)
            insert_rows(con, "events", events)
            con.execute(
                "UPDATE articles SET coder_version = ?, coded_at = ? "
                "WHERE article_id IN (SELECT article_id FROM coded_ids)",
                [coder_version, utcnow()],
            )
    finally:
        con.unregister("coded_ids")
