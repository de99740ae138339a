"""Read-only views of a database for people: ad-hoc SQL, summary statistics, and the environment (doctor)."""

from __future__ import annotations

import importlib.metadata
import platform
from dataclasses import dataclass
from typing import TYPE_CHECKING

from events import __version__, store

if TYPE_CHECKING:  # DuckDB's .pl() imports polars when a result is asked for; `events run` never needs it
    import polars as pl


def query(db_path: str, sql: str, write: bool = False) -> pl.DataFrame | None:
    """Run one SQL statement, on a read-only connection unless `write`; None when it returns no rows."""
    con = store.connect(db_path, read_only=not write)
    try:
        relation = con.sql(sql)
        return relation.pl() if relation is not None else None
    finally:
        con.close()


def rejects(db_path: str, warnings: bool = True, limit: int = 100) -> pl.DataFrame:
    """Rejected records (and, with `warnings`, records kept with a problem), by file and line."""
    con = store.connect(db_path, read_only=True)
    try:
        where = "" if warnings else "WHERE severity = 'error'"
        return con.sql(
            "SELECT severity, source_file, line_number, record_id, reason, left(excerpt, 80) AS excerpt "
            f"FROM rejects {where} ORDER BY source_file, line_number NULLS FIRST LIMIT {int(limit)}"
        ).pl()
    finally:
        con.close()


@dataclass
class Stats:
    articles: int
    articles_coded: int
    sentences: int
    events: int
    rejects: int
    by_root: pl.DataFrame
    by_quad: pl.DataFrame
    top_dyads: pl.DataFrame


def stats(db_path: str, top: int = 10) -> Stats:
    con = store.connect(db_path, read_only=True)
    try:
        one = lambda q: store.scalar(con, q)  # noqa: E731
        return Stats(
            articles=one("SELECT count(*) FROM articles"),
            articles_coded=one("SELECT count(*) FROM articles WHERE coder_version IS NOT NULL"),
            sentences=one("SELECT count(*) FROM sentences"),
            events=one("SELECT count(*) FROM events"),
            rejects=one("SELECT count(*) FROM rejects WHERE severity = 'error'"),
            by_root=con.sql(
                "SELECT event_root_code AS root, count(*) AS events FROM events GROUP BY 1 ORDER BY 1"
            ).pl(),
            by_quad=con.sql(
                "SELECT quad_class, CASE quad_class WHEN 1 THEN 'verbal cooperation' "
                "WHEN 2 THEN 'material cooperation' WHEN 3 THEN 'verbal conflict' "
                "ELSE 'material conflict' END AS label, count(*) AS events FROM events GROUP BY 1 ORDER BY 1"
            ).pl(),
            top_dyads=con.sql(
                "SELECT source_code, target_code, count(*) AS events, round(avg(goldstein), 2) AS avg_goldstein "
                "FROM events WHERE target_code IS NOT NULL GROUP BY 1, 2 "
                f"ORDER BY events DESC, source_code, target_code LIMIT {int(top)}"
            ).pl(),
        )
    finally:
        con.close()


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def doctor() -> dict:
    """Versions of everything that decides the output, and whether the model loads."""
    from events.coder import coder_version
    from events.parse import ModelNotFound, default_model_name, load_model

    name = default_model_name()
    model: dict = {"name": name, "version": None, "ok": False}
    try:
        nlp = load_model(name)
        model.update(version=nlp.meta.get("version"), ok=True, pipeline=list(nlp.pipe_names))
    except ModelNotFound as exc:
        model["error"] = str(exc)
    return {
        "events": __version__,
        "coder_version": coder_version(),
        "python": platform.python_version(),
        "spacy": _version("spacy"),
        "duckdb": _version("duckdb"),
        "polars": _version("polars"),
        "pyarrow": _version("pyarrow"),
        "model": model,
    }
