import duckdb

from events import store


def test_migrations_on_empty_and_existing_database(tmp_path):
    path = tmp_path / "e.duckdb"
    con = store.connect(path)
    versions = [v for v, _, _ in store.migrations()]
    assert store.applied_versions(con) == versions
    con.close()
    con = store.connect(path)  # reopening applies nothing new
    assert store.migrate(con) == []
    assert store.scalar(con, "SELECT count(*) FROM schema_version") == len(versions)
    con.close()


def test_every_table_and_column_has_a_comment(tmp_path):
    con = store.connect(tmp_path / "e.duckdb")
    missing_tables = con.sql(
        "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND (comment IS NULL OR comment = '')"
    ).fetchall()
    missing_columns = con.sql(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE NOT internal AND (comment IS NULL OR comment = '') AND table_name <> 'schema_version'"
    ).fetchall()
    assert missing_tables == []
    assert missing_columns == []


def test_events_table_has_the_contract_columns(tmp_path):
    con = store.connect(tmp_path / "e.duckdb")
    columns = [
        r[0]
        for r in con.sql(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'events' ORDER BY column_index"
        ).fetchall()
    ]
    contract = [
        "event_id",
        "article_id",
        "sentence_index",
        "event_date",
        "date_precision",
        "published_date",
        "source_code",
        "source_name",
        "source_country",
        "source_role",
        "target_code",
        "target_name",
        "target_country",
        "target_role",
        "event_code",
        "event_base_code",
        "event_root_code",
        "quad_class",
        "goldstein",
        "action_text",
        "is_root_event",
        "attribution",
        "modality",
        "confidence",
        "location_name",
        "location_country",
        "location_admin1",
        "latitude",
        "longitude",
        "coder_version",
    ]
    assert columns[: len(contract)] == contract


def test_read_only_open_of_missing_file_is_a_clear_error(tmp_path):
    try:
        store.connect(tmp_path / "nope.duckdb", read_only=True)
    except store.StoreError as exc:
        assert (
            str(exc)
            == f"no database at {tmp_path / 'nope.duckdb'}: run `events run` or `events ingest` first"
        )
    else:
        raise AssertionError("expected StoreError")


def test_interrupted_runs_are_marked_failed(tmp_path):
    con = store.connect(tmp_path / "e.duckdb")
    first = store.start_run(con, "run")
    second = store.start_run(con, "run")
    rows = dict(con.sql("SELECT run_id, status FROM runs").fetchall())
    assert rows == {first: "failed", second: "running"}
    assert isinstance(con, duckdb.DuckDBPyConnection)
