"""Event dates, places and `events explain`, end to end through the CLI and the DuckDB file."""

import json

import duckdb
import pytest
from click.testing import CliRunner

from events.cli import cli
from tests.conftest import write_jsonl

ARTICLES = [
    {"id": "kharkiv", "published": "2024-05-15", "publisher": "Test Wire",
     "text": "Russian troops attacked Ukrainian positions near Kharkiv on Monday."},
    {"id": "treaty", "published": "2025-04-28", "publisher": "Test Wire",
     "text": "Kim Jong Un signed a treaty with Vladimir Putin last year."},
    {"id": "newyear", "published": "2025-01-01", "publisher": "Test Wire",
     "text": "Israeli jets launched air strikes in Gaza City last month."},
]  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("when")
    feed = write_jsonl(folder / "feed.jsonl", ARTICLES)
    path = folder / "e.duckdb"
    result = CliRunner().invoke(cli, ["run", str(feed), "--db", str(path), "--workers", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    return path


def rows(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_weekday_resolves_to_the_most_recent_one_and_place_is_geocoded(db):
    [row] = rows(
        db,
        "SELECT source_code, target_code, event_code, event_date::VARCHAR, date_precision, date_text, "
        "location_name, location_country, location_type, round(latitude, 1), round(longitude, 1) "
        "FROM events WHERE article_id = 'kharkiv'",
    )
    assert row == (
        "RUSMIL",
        "UKRMIL",
        "190",
        "2024-05-13",
        "day",
        "on Monday",
        "Kharkiv",
        "UKR",
        "city",
        50.0,
        36.3,
    )


def test_last_year_has_year_precision(db):
    got = rows(
        db,
        "SELECT source_code, target_code, event_code, event_date::VARCHAR, date_precision, date_text "
        "FROM events WHERE article_id = 'treaty' ORDER BY source_code",
    )
    assert got == [
        ("PRKGOV", "RUSGOV", "057", "2024-01-01", "year", "last year"),
        ("RUSGOV", "PRKGOV", "057", "2024-01-01", "year", "last year"),
    ]


def test_last_month_across_a_year_boundary(db):
    got = rows(
        db,
        "SELECT event_date::VARCHAR, date_precision, location_country FROM events "
        "WHERE article_id = 'newyear'",
    )
    assert got == [("2024-12-01", "month", "PSE")]


def test_explain_marks_the_sentence_and_names_every_decision(db):
    [(event_id,)] = rows(db, "SELECT event_id FROM events WHERE article_id = 'kharkiv'")
    text = CliRunner().invoke(cli, ["explain", event_id, "--db", str(db)]).output
    assert "[Russian troops] {attacked} <Ukrainian positions> near Kharkiv on Monday." in text
    assert "date         2024-05-13 (day) from 'on Monday'" in text
    assert "'near Kharkiv' attached to 'attacked'" in text
    info = json.loads(CliRunner().invoke(cli, ["explain", event_id, "--db", str(db), "--json"]).output)
    assert info["pattern"].startswith("190: attack")
    assert info["source_rule"] == "adjective: Russia; role: troops"
    assert info["target_rule"] == "adjective: Ukraine; role: positions"
    assert (info["confidence"], info["modality"], info["how_found"]) == (0.9, "asserted", "clause")


def test_explain_unknown_event_is_one_line(db):
    result = CliRunner().invoke(cli, ["explain", "nope", "--db", str(db)])
    assert result.exit_code == 1
    assert result.output == f"Error: no event 'nope' in {db}\n"
