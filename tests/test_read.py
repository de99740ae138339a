import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq

from events.read import Article, ReadOptions, Reject, parse_published, read_inputs, text_id
from tests.conftest import write_jsonl


def test_jsonl_good_and_bad_records(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(
        b'{"id": "a1", "text": "Egypt condemned the attack.", "published": "2024-05-15"}\n'
        b'{"id": "a2", "text": ""}\n'
        b"not json\n"
        b"[1, 2]\n"
        b'{"id": "a3", "title": "no text"}\n'
        b'{"id": "a4", "text": "caf\xe9 invalid utf8"}\n'
        b'{"text": "Jordan praised the deal.", "date": "2024-05-14T09:30:00Z", "publisher": "Wire"}\n'
    )
    records = list(read_inputs([str(path)]))
    articles = [r for r in records if isinstance(r, Article)]
    rejects = [r for r in records if isinstance(r, Reject)]
    assert [a.article_id for a in articles] == ["a1", text_id("Jordan praised the deal.")]
    assert articles[0].published_date == dt.date(2024, 5, 15)
    assert articles[1].published_at == dt.datetime(2024, 5, 14, 9, 30)
    assert articles[1].publisher == "Wire"
    assert [(r.line_number, r.reason) for r in rejects] == [
        (2, "empty text"),
        (3, "malformed JSON: Expecting value at column 1"),
        (4, "record is a JSON list, not an object"),
        (5, "missing text field"),
        (6, "invalid UTF-8 at byte 25"),
    ]
    assert rejects[0].record_id == "a2"


def test_invalid_utf8_can_be_replaced(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"id": "a4", "text": "caf\xe9 talks"}\n')
    [record] = read_inputs([str(path)], ReadOptions(encoding_errors="replace"))
    assert record.text == "caf\ufffd talks"


def test_text_id_ignores_whitespace_differences():
    assert text_id("Egypt  condemned\nthe attack. ") == text_id("Egypt condemned the attack.")
    assert len(text_id("x")) == 16


def test_csv_parquet_text_and_folders(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.csv").write_text('id,text,published\nc1,"Iran, Iraq talks.",2024-01-02\n')
    pq.write_table(pa.table({"id": ["p1"], "text": ["Chile signed a deal."]}), tmp_path / "in" / "b.parquet")
    (tmp_path / "in" / "c.txt").write_text("Kenya hosted Ethiopia.\n")
    (tmp_path / "in" / "ignored.bin").write_bytes(b"\x00\x01")
    records = list(read_inputs([str(tmp_path / "in")]))
    assert [(r.article_id, r.source_line) for r in records] == [
        ("c1", 2),
        ("p1", 1),
        (text_id("Kenya hosted Ethiopia."), None),
    ]
    assert records[0].text == "Iran, Iraq talks."
    assert records[0].published_date == dt.date(2024, 1, 2)


def test_whole_file_rejects(tmp_path):
    (tmp_path / "no_text.csv").write_text("id,body\n1,hello\n")
    (tmp_path / "data.xml").write_text("<a/>")
    (tmp_path / "bin.jsonl").write_bytes(b"\x00\x01\x02")
    paths = [str(tmp_path / n) for n in ("no_text.csv", "data.xml", "bin.jsonl", "missing.jsonl")]
    reasons = [r.reason for r in read_inputs(paths)]
    assert reasons == [
        "CSV has no text column",
        "unknown file type .xml: use .jsonl, .csv, .parquet or .txt",
        "binary file, not JSON lines",
        "no such file or folder",
    ]


def test_size_limit_and_bad_dates(tmp_path):
    path = write_jsonl(
        tmp_path / "f.jsonl",
        [
            {"id": "big", "text": "x" * 50},
            {"id": "ok", "text": "Peru recalled its envoy.", "published": "not a date"},
        ],
    )
    records = list(read_inputs([str(path)], ReadOptions(max_chars=40)))
    assert records[0].reason == "text has 50 characters, over the limit of 40"
    assert records[1].article_id == "ok" and records[1].published_date is None


def test_parse_published_formats():
    assert parse_published("2024-05-15") == (dt.date(2024, 5, 15), None)
    assert parse_published("2024-05-15T23:30:00+02:00") == (
        dt.date(2024, 5, 15),
        dt.datetime(2024, 5, 15, 21, 30),
    )
    assert parse_published("May 15, 2024")[0] == dt.date(2024, 5, 15)
    assert parse_published(None) == (None, None)
