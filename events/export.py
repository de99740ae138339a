"""Export: the events table as Parquet (zstd), hive-partitioned by year and month of event_date.

Files are written with the explicit `EVENTS` Arrow schema into a temporary folder that replaces the old export in
one rename, so a BI tool reading the folder never sees half an export.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from events import __version__, store
from events.coder import coder_version
from events.tables import EVENTS

PARTITIONS = pa.schema([("year", pa.int16()), ("month", pa.int8())])


@dataclass
class ExportResult:
    rows: int
    files: int
    path: Path


def select_events(con, since: dt.date | None = None, until: dt.date | None = None) -> pa.Table:
    where, params = [], []
    if since:
        where.append("event_date >= ?")
        params.append(since)
    if until:
        where.append("event_date <= ?")
        params.append(until)
    columns = ", ".join(EVENTS.names)
    query = f"SELECT {columns} FROM events"
    if where:
        query += " WHERE " + " AND ".join(where)
    query += " ORDER BY event_date, article_id, sentence_index, event_id"
    table = con.sql(query, params=params).to_arrow_table()
    return table.cast(EVENTS)


def export_parquet(
    db_path: str | Path, out_dir: str | Path, since: dt.date | None = None, until: dt.date | None = None
) -> ExportResult:
    out = Path(out_dir)
    con = store.connect(db_path, read_only=True)
    try:
        events = select_events(con, since, until)
    finally:
        con.close()
    metadata = {
        "events_version": __version__,
        "coder_version": coder_version(),
        "exported_at": store.utcnow().isoformat(timespec="seconds"),
        "filter": json.dumps({"since": since and since.isoformat(), "until": until and until.isoformat()}),
    }
    dates = events.column("event_date")
    with_partitions = events.append_column("year", pc.cast(pc.year(dates), pa.int16())).append_column(
        "month", pc.cast(pc.month(dates), pa.int8())
    )
    schema = with_partitions.schema.with_metadata({k.encode(): v.encode() for k, v in metadata.items()})
    with_partitions = with_partitions.replace_schema_metadata(schema.metadata)

    out.mkdir(parents=True, exist_ok=True)
    final = out / "events"
    staging = out / f".events.tmp-{uuid.uuid4().hex[:8]}"
    written: list[str] = []
    ds.write_dataset(
        with_partitions,
        staging,
        format="parquet",
        partitioning=ds.partitioning(PARTITIONS, flavor="hive"),
        file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"),
        basename_template="part-{i}.parquet",
        existing_data_behavior="error",
        file_visitor=lambda f: written.append(f.path),
    )
    if not written:  # no events: still leave a readable, empty file with the schema
        staging.mkdir(parents=True, exist_ok=True)
        import pyarrow.parquet as pq

        pq.write_table(
            with_partitions.drop_columns(["year", "month"]), staging / "part-0.parquet", compression="zstd"
        )
        written.append(str(staging / "part-0.parquet"))
    if final.exists():
        retired = out / f".events.old-{uuid.uuid4().hex[:8]}"
        final.rename(retired)
        staging.rename(final)
        shutil.rmtree(retired)
    else:
        staging.rename(final)
    return ExportResult(rows=events.num_rows, files=len(written), path=final)
