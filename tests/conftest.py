from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from events.parse import load_model

    return load_model()


@pytest.fixture(scope="session")
def coder():
    from events.coder import Coder

    return Coder()


@pytest.fixture(scope="session")
def code_text(nlp, coder):
    """Code one text as an article; return the set of (source, target, code) triples."""
    from events.pipeline import code_articles
    from events.read import Article

    def run(text: str, date: str = "2024-05-15", full: bool = False, use_prefilter: bool = True):
        article = Article(article_id="t", text=text, published_date=dt.date.fromisoformat(date))
        [coded] = code_articles([article], nlp, coder, use_prefilter)
        if full:
            return coded.events
        return {
            (e.source.code if e.source else None, e.target.code if e.target else None, e.code)
            for e in coded.events
        }

    return run


def write_jsonl(path: Path, records: list) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write((record if isinstance(record, str) else json.dumps(record)) + "\n")
    return path
