"""The cache of derived indexes (events.cache): built once, reused, rebuilt when a source changes."""

from __future__ import annotations

from pathlib import Path

from events.cache import load_or_build


def test_built_once_then_loaded(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("EVENTS_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "names.tsv"
    source.write_text("Kyiv\n")
    builds = []

    def build() -> dict[str, int]:
        builds.append(1)
        return {"kyiv": len(builds)}

    assert load_or_build("index", [source], build) == {"kyiv": 1}
    assert load_or_build("index", [source], build) == {"kyiv": 1}
    assert len(builds) == 1
    assert len(list((tmp_path / "cache").glob("index-*.pickle"))) == 1

    source.write_text("Kyiv\nKharkiv\n")  # a changed source is a new entry
    assert load_or_build("index", [source], build) == {"kyiv": 2}
    assert load_or_build("index", [source, b"spacy 3.8"], build) == {"kyiv": 3}
    assert len(builds) == 3


def test_unusable_cache_folder_only_costs_a_rebuild(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("EVENTS_CACHE_DIR", str(blocker / "cache"))
    assert load_or_build("index", [b"v1"], lambda: [1, 2]) == [1, 2]
    assert load_or_build("index", [b"v1"], lambda: [3]) == [3]


def test_corrupt_entry_is_rebuilt(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("EVENTS_CACHE_DIR", str(tmp_path))
    assert load_or_build("index", [b"v1"], lambda: "first") == "first"
    (entry,) = tmp_path.glob("index-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert load_or_build("index", [b"v1"], lambda: "second") == "second"
    assert load_or_build("index", [b"v1"], lambda: "third") == "second"
