"""Export: the database as files for BI tools and for code written against GDELT, ICEWS or PLOVER data.

A layout (events/layouts.py) says which tables and columns; a format says how they are written: Parquet (zstd,
with key-value metadata), CSV (with a header) or JSONL. Parquet files go to `OUT/<table>/`, CSV and JSONL files to
`OUT/<format>/<table>/`, so exports of several formats can share one output folder.

Three promises shape the code:

- The database is read read-only; the write at the end (the `exports` row and the dimension tables) is one short
  read-write connection, so exports can run next to readers of the same file most of the time.
- A BI tool polling the folder never reads half a file: everything is written under a hidden staging folder next to
  the table's folder and renamed into place. A full export swaps the whole folder; an incremental one renames
  each new file into it.
- `--since-last` writes only what is new since the previous export to the same target, format and layout: the
  mentions of articles coded since then, and the events first coded since then (GDELT's rule: an event is exported
  once, when first seen; its later mentions go to the mentions table). The `exports` row is inserted in the same
  transaction that publishes the files, so the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from events import __version__, store
from events.aggregate import dimension_tables, refresh_dimensions
from events.cameo import DATA_DIR
from events.coder import coder_version
from events.errors import ExportError
from events.layouts import BASES, DIMENSION_TABLES, FORMATS, LAYOUTS, Base, Layout, lookup_tables

PARTITIONS = pa.schema([("year", pa.int16()), ("month", pa.int8())])


@dataclass(frozen=True)
class ExportOptions:
    """What to export: format, layout and the row filters."""

    fmt: str = "parquet"
    layout: str = "native"
    since: dt.date | None = None
    until: dt.date | None = None
    since_last: bool = False
    one_a_day: bool = False
    overwrite: bool = False  # write into a non-empty folder that events export did not create

    def filter_json(self) -> str:
        return json.dumps(
            {
                "since": self.since and self.since.isoformat(),
                "until": self.until and self.until.isoformat(),
                "since_last": self.since_last,
                "one_a_day": self.one_a_day,
            }
        )


@dataclass
class TableResult:
    name: str
    rows: int
    files: int
    path: Path


@dataclass
class ExportResult:
    tables: list[TableResult] = field(default_factory=list)
    incremental: bool = False

    @property
    def main(self) -> TableResult:
        return self.tables[0]

    @property
    def rows(self) -> int:
        return self.main.rows

    @property
    def files(self) -> int:
        return self.main.files

    @property
    def path(self) -> Path:
        return self.main.path


def export(db_path: str | Path, out_dir: str | Path, options: ExportOptions | None = None) -> ExportResult:
    """Export one layout in one format; return what was written, main table first."""
    options = options or ExportOptions()
    layout = _layout(options)
    out = Path(out_dir)
    guard_folder(out, options.overwrite)
    target = str(out.resolve())
    snapshot = read_snapshot(db_path, out, target, layout, options)
    exported_at = store.utcnow()
    metadata = _metadata(options, layout, exported_at, snapshot.coded_through)
    staged: list[Staged] = []
    try:
        for name, table in snapshot.tables.items():
            replace = not snapshot.incremental or name in DIMENSION_TABLES
            partitioned = options.fmt == "parquet" and _partitioned(layout, name)
            folder = table_folder(out, options.fmt, name)
            staged.append(stage_table(table, folder, options.fmt, partitioned, replace, metadata))
        _record_and_publish(db_path, staged, target, options, exported_at, snapshot)
    finally:
        for item in staged:
            item.discard()
    (out / EXPORT_MARKER).touch()
    return ExportResult(
        [TableResult(s.name, s.rows, len(s.files), s.final) for s in staged], snapshot.incremental
    )


EXPORT_MARKER = (
    "_EVENTS_EXPORT"  # in every folder events export writes; "_" names are skipped by Spark, Hive and Arrow
)


def guard_folder(out: Path, overwrite: bool) -> None:
    """Refuse to write into a non-empty folder that events export did not create: replacing a table folder
    there could delete someone's files."""
    if overwrite or not out.exists() or (out / EXPORT_MARKER).exists():
        return
    if not out.is_dir():
        raise ExportError(f"{out} is not a folder")
    if any(out.iterdir()):
        raise ExportError(
            f"folder {out} is not empty and was not written by events export; pass --overwrite "
            "to write into it anyway"
        )


@dataclass
class Snapshot:
    """What one read-only pass over the database gave: the tables, and the marker to record."""

    tables: dict[str, pa.Table]
    incremental: bool
    coded_through: dt.datetime | None


def read_snapshot(
    db_path: str | Path, out: Path, target: str, layout: Layout, options: ExportOptions
) -> Snapshot:
    """Read every table of the export in one read-only connection, so they agree with each other."""
    _ensure_schema(db_path)
    con = store.connect(db_path, read_only=True)
    try:
        previous = _previous_export(con, target, options) if options.since_last else None
        # A previous export whose folder was deleted since gets everything again.
        incremental = previous is not None and table_folder(out, options.fmt, layout.main.name).exists()
        marker = previous[0] if previous is not None and incremental else None
        coded_through = store.scalar(con, "SELECT max(coded_at) FROM articles")
        return Snapshot(read_tables(con, layout, options, marker), incremental, coded_through)
    finally:
        con.close()


def _layout(options: ExportOptions) -> Layout:
    if options.fmt not in FORMATS:
        raise ExportError(f"unknown format {options.fmt!r}: choose one of {', '.join(FORMATS)}")
    if options.layout not in LAYOUTS:
        raise ExportError(f"unknown layout {options.layout!r}: choose one of {', '.join(LAYOUTS)}")
    if options.since and options.until and options.since > options.until:
        raise ExportError(f"--since {options.since} is after --until {options.until}")
    return LAYOUTS[options.layout]


def table_folder(out: Path, fmt: str, table: str) -> Path:
    """Parquet tables in OUT/<table>/, the text formats in OUT/<format>/<table>/."""
    return out / table if fmt == "parquet" else out / fmt / table


def _partitioned(layout: Layout, name: str) -> bool:
    return any(t.partitioned for t in layout.tables if t.name == name)


def _ensure_schema(db_path: str | Path) -> None:
    """Migrate an older database first (a brief read-write open), so the views the export reads exist."""
    con = store.connect(db_path, read_only=True)
    try:
        current = max(store.applied_versions(con), default=0)
    finally:
        con.close()
    if current < max(version for version, _, _ in store.migrations()):
        store.connect(db_path).close()


def _previous_export(con: duckdb.DuckDBPyConnection, target: str, options: ExportOptions) -> tuple | None:
    """(coded_through,) of the latest export to the same target, format and layout; None when there is none."""
    rows = con.execute(
        "SELECT coded_through FROM exports WHERE target = ? AND format = ? AND layout = ? "
        "ORDER BY exported_at DESC LIMIT 1",
        [target, options.fmt, options.layout],
    ).fetchall()
    return rows[0] if rows else None


# ---------------------------------------------------------------- reading


def read_tables(
    con: duckdb.DuckDBPyConnection, layout: Layout, options: ExportOptions, marker: dt.datetime | None
) -> dict[str, pa.Table]:
    """Every table of the layout as Arrow, in the layout's types; dimension tables after the layout's own."""
    bases = {table.base for table in layout.tables}
    for name in bases:
        where, params = _where(BASES[name], options, marker)
        con.execute(
            f"CREATE TEMP TABLE base_{name} AS SELECT * FROM ({BASES[name].sql}) AS x {where}", params
        )
    if any(table.lookups for table in layout.tables):
        _register_lookups(con, bases, layout.actor_geo)
    tables = {
        table.name: con.sql(table.select_sql(f"base_{table.base}")).to_arrow_table().cast(table.schema)
        for table in layout.tables
    }
    if layout.dimensions:
        tables.update(dimension_tables(con))
    return tables


def _where(base: Base, options: ExportOptions, marker: dt.datetime | None) -> tuple[str, list]:
    """The filters: event dates, the incremental marker, and Phoenix's one-a-day (root mentions only)."""
    clauses, params = [], []
    if options.since:
        clauses.append("event_date >= ?")
        params.append(options.since)
    if options.until:
        clauses.append("event_date <= ?")
        params.append(options.until)
    if marker is not None:
        clauses.append(f"{base.marker} > ?")
        params.append(marker)
    if options.one_a_day and base.mentions:
        clauses.append("event_id IN (SELECT root_event_id FROM aggregates)")
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def _register_lookups(con: duckdb.DuckDBPyConnection, bases: set[str], actor_geo: bool) -> None:
    codes: set[str] = set()
    places: set[str] = set()
    for name in bases:
        codes.update(
            row[0]
            for row in con.execute(
                f"SELECT source_code FROM base_{name} WHERE source_code IS NOT NULL UNION "
                f"SELECT target_code FROM base_{name} WHERE target_code IS NOT NULL"
            ).fetchall()
        )
        places.update(
            row[0]
            for row in con.execute(
                f"SELECT DISTINCT location_feature_id FROM base_{name} WHERE location_feature_id IS NOT NULL"
            ).fetchall()
        )
    for name, table in lookup_tables(codes, places, actor_geo).items():
        con.register(name, table)


# ---------------------------------------------------------------- metadata


def lexicon_version() -> str:
    """Hash of the event lexicon and frame verbs: which patterns produced the codes."""
    digest = hashlib.sha256()
    for path in sorted([*(DATA_DIR / "lexicon").glob("*.yaml"), DATA_DIR / "frames.yaml"]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def _metadata(
    options: ExportOptions, layout: Layout, exported_at: dt.datetime, coded_through: dt.datetime | None
) -> dict[str, str]:
    return {
        "events_version": __version__,
        "coder_version": coder_version(),
        "lexicon_version": lexicon_version(),
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "filter": options.filter_json(),
        "layout": layout.name,
        "coded_through": coded_through.isoformat() if coded_through else "",
    }


# ---------------------------------------------------------------- writing


@dataclass
class Staged:
    """A table's new files under a hidden staging folder, waiting to be renamed into the table's folder."""

    name: str
    staging: Path
    final: Path
    replace: bool
    rows: int
    files: list[Path] = field(default_factory=list)  # relative to staging

    def publish(self) -> None:
        """Full export: swap the folders. Incremental: rename each new file in (each rename is atomic)."""
        if self.replace:
            self._swap()
        else:
            for relative in self.files:
                destination = self.final / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.staging / relative, destination)
            shutil.rmtree(self.staging)

    def _swap(self) -> None:
        if self.final.exists():
            retired = self.final.parent / f".{self.final.name}.old-{uuid.uuid4().hex[:8]}"
            self.final.rename(retired)
            self.staging.rename(self.final)
            shutil.rmtree(retired)
        else:
            self.staging.rename(self.final)

    def discard(self) -> None:
        """Remove what is left of the staging folder (everything, when publishing never happened)."""
        shutil.rmtree(self.staging, ignore_errors=True)


def stage_table(
    table: pa.Table, final: Path, fmt: str, partitioned: bool, replace: bool, metadata: dict[str, str]
) -> Staged:
    """Write `table` under a staging folder beside `final`; an incremental export of no rows writes no file."""
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = final.parent / f".{final.name}.tmp-{uuid.uuid4().hex[:8]}"
        staging.mkdir()
    except OSError as exc:
        raise ExportError(f"cannot write to {final.parent}: {exc.strerror or exc}") from exc
    staged = Staged(final.name, staging, final, replace, table.num_rows)
    if table.num_rows == 0 and not replace:
        return staged
    stem = f"part-{store.utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **_encoded(metadata, final.name)})
    if fmt == "parquet" and partitioned:
        written = _write_partitioned(table, staging, stem)
    else:
        written = [_WRITERS[fmt](table, staging / f"{stem}.{fmt}")]
    staged.files = [path.relative_to(staging) for path in written]
    return staged


def _encoded(metadata: dict[str, str], table_name: str) -> dict[bytes, bytes]:
    return {k.encode(): v.encode() for k, v in {**metadata, "table": table_name}.items()}


def _write_partitioned(table: pa.Table, staging: Path, stem: str) -> list[Path]:
    """Hive year=/month= folders by event_date; no rows still gives one empty, readable file."""
    if table.num_rows == 0:
        return [_write_parquet(table, staging / f"{stem}.parquet")]
    dates = table.column("event_date")
    with_partitions = table.append_column("year", pc.cast(pc.year(dates), pa.int16())).append_column(
        "month", pc.cast(pc.month(dates), pa.int8())
    )
    written: list[Path] = []
    ds.write_dataset(
        with_partitions,
        staging,
        format="parquet",
        partitioning=ds.partitioning(PARTITIONS, flavor="hive"),
        file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"),
        basename_template=f"{stem}-{{i}}.parquet",
        existing_data_behavior="overwrite_or_ignore",
        file_visitor=lambda f: written.append(Path(f.path)),
    )
    return written


def _write_parquet(table: pa.Table, path: Path) -> Path:
    pq.write_table(table, path, compression="zstd")
    return path


def _write_csv(table: pa.Table, path: Path) -> Path:
    import pyarrow.csv as pacsv

    pacsv.write_csv(table, path)
    return path


def _write_jsonl(table: pa.Table, path: Path) -> Path:
    import polars as pl

    pl.from_arrow(table).write_ndjson(path)
    return path


_WRITERS = {"parquet": _write_parquet, "csv": _write_csv, "jsonl": _write_jsonl}


# ---------------------------------------------------------------- recording


def _record_and_publish(
    db_path: str | Path,
    staged: list[Staged],
    target: str,
    options: ExportOptions,
    exported_at: dt.datetime,
    snapshot: Snapshot,
) -> None:
    """Refresh the dimension tables, then record the export and publish its files in one transaction, so a
    failure leaves neither. `staged[0]` is the layout's main table, whose rows the exports row counts."""
    con = store.connect(db_path)
    try:
        refresh_dimensions(con)
        with store.transaction(con):
            con.execute(
                "INSERT INTO exports (export_id, target, format, layout, exported_at, coded_through, incremental, "
                "rows_written, files_written, filter_used, events_version, coder_version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    str(uuid.uuid4()),
                    target,
                    options.fmt,
                    options.layout,
                    exported_at,
                    snapshot.coded_through,
                    snapshot.incremental,
                    staged[0].rows,
                    sum(len(s.files) for s in staged),
                    options.filter_json(),
                    __version__,
                    coder_version(),
                ],
            )
            for item in staged:
                item.publish()
    finally:
        con.close()
