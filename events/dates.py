"""Resolve date: turn "on Monday", "last week" or "in March 2024" into the date an event happened.

News reports events days after they happen, so the publication date is only an upper bound. This module finds the
temporal expressions in a parsed sentence, picks the one that belongs to an event's action word, and resolves it
against the publication date. It is pure (no I/O, no global state beyond caches) so the coder can call it per event.

Reading rules, chosen to match how wire copy is written:

* A bare or "on" weekday ("on Monday", "Monday night") is the most recent such day on or before publication: a
  story published on a Monday that says "on Monday" means that same day. Weekdays are never read as the future,
  because a forward reference cannot be told apart from a backward one without tense.
* "last Monday" is the most recent Monday strictly before publication (published Wednesday 2024-05-15, "last Monday"
  is 2024-05-13; published Monday 2024-05-13, it is 2024-05-06). "next Monday" is the first Monday strictly after.
* Week, month and year expressions resolve to the first day of the period (weeks start on Monday, as in ISO 8601),
  with the precision saying how much of the date to trust.
* An explicit date without a year falls in the publication year unless that would put it more than a week after
  publication, in which case it is last year's ("on December 30" in a story of 2025-01-03 is 2024-12-30).
* Future expressions ("tomorrow", "next week") resolve to the future date; the caller decides what to do with them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from dateparser.date import DateDataParser
from spacy.tokens import Doc, Span, Token

__all__ = ["EventDate", "event_date", "find_date_expressions", "resolve_date"]

DAY, WEEK, MONTH, YEAR = "day", "week", "month", "year"

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)

# How far after publication an explicit year-less date may fall before it is read as last year's: stories do
# announce events a few days ahead ("talks on May 20"), but "on December 30" in early January is the past.
YEARLESS_LOOKAHEAD = dt.timedelta(days=7)

# Prepositions that place an event at the time they govern ("on Monday", "since 2014"): stripped, then resolved.
PLACING_PREPOSITIONS = ("on", "in", "at", "during", "over", "throughout", "since", "from", "as of")
# Prepositions that make the time a duration, a deadline or a bound rather than when the event happened
# ("for three weeks", "until Friday", "before Monday's vote"): the expression names no event date.
BOUNDING_PREPOSITIONS = ("for", "until", "till", "by", "within", "before", "after", "through", "to")
ALL_PREPOSITIONS = frozenset(PLACING_PREPOSITIONS + BOUNDING_PREPOSITIONS)

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}

_PART_OF_DAY = r"(?:morning|afternoon|evening|night)"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUMBER = r"(?:\d{1,3}|" + "|".join(NUMBER_WORDS) + ")"

# Normalised (lower-case) forms that resolve_date reads with its own rules.
_LEADING_PREP = re.compile(r"^(?P<prep>" + "|".join(PLACING_PREPOSITIONS + BOUNDING_PREPOSITIONS) + r")\s+")
_MODIFIER = re.compile(
    r"^(?:(?:earlier|later|early|late|around|about|mid)[\s-]+|(?:the\s+)?(?:start|beginning|end|middle)\s+of\s+)"
)
_RELATIVE_DAY = re.compile(
    r"(?P<word>the day before yesterday|the day after tomorrow|yesterday|today|tonight|tomorrow"
    r"|last night|this " + _PART_OF_DAY + r"|(?:yesterday|tomorrow) " + _PART_OF_DAY + ")"
)
_WEEKDAY_EXPR = re.compile(
    r"(?:(?P<which>last|this|next|past)\s+)?(?P<day>" + _WEEKDAY + r")(?:\s+" + _PART_OF_DAY + ")?"
)
_PERIOD_EXPR = re.compile(r"(?P<which>last|this|next)\s+(?P<unit>week|month|year)")
_AGO_EXPR = re.compile(r"(?P<count>" + _NUMBER + r")\s+(?P<unit>minute|hour|day|week|month|year)s?\s+ago")

# Evidence that a string is an explicit calendar date, checked before it is handed to dateparser, which otherwise
# reads almost anything ("5", "the 1990s") as some date. Month names must be capitalised so "may" and "march" as
# words are not dates.
_EXPLICIT_EVIDENCE = re.compile(
    rf"\b(?:{MONTHS})\b|\b\d{{4}}-\d{{1,2}}-\d{{1,2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b|\b(?:1[0-9]|20)\d\d\b(?!s)"
)
_DECADE = re.compile(r"\b\d{2,4}s\b|\b(?:decade|century|centuries)\b", re.IGNORECASE)

# Phrases to look for in sentence text, in addition to spaCy's DATE entities, which miss "(Apr 28)" and tag
# "this morning" or "Monday night" as TIME. Weekdays and months must be capitalised, as in news copy.
_SCAN_PATTERNS = (
    re.compile(
        r"\b(?:the day before yesterday|the day after tomorrow|yesterday|today|tonight|tomorrow|last night"
        r"|this (?:morning|afternoon|evening))\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:(?:earlier|later|early|late) )?(?:last|this|next) (?:week|month|year)\b", re.IGNORECASE
    ),
    re.compile(
        r"\b(?:(?:[Ll]ast|[Tt]his|[Nn]ext) )?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
        r"(?: (?:morning|afternoon|evening|night))?\b"
    ),
    re.compile(r"\b" + _NUMBER + r" (?:day|week|month|year)s? ago\b", re.IGNORECASE),
    re.compile(r"\b(?:" + MONTHS + r")\.? \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?\b"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
)

# Dependency labels that start a clause of their own: a date under one of them belongs to that clause's verb.
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "csubjpass", "parataxis"})
# Labels that start a clause only when the token is a verb ("attacked ... and withdrew on Tuesday"), not when it
# joins nouns ("on Monday and Tuesday").
_VERBAL_CLAUSE_DEPS = frozenset({"conj", "pcomp"})


@dataclass(frozen=True)
class EventDate:
    """A resolved event date; for week, month and year precision `date` is the first day of that period."""

    date: dt.date
    precision: str
    text: str


# --------------------------------------------------------------------------------------------------------------
# resolve_date


def resolve_date(expression: str, published: dt.date) -> EventDate | None:
    """Resolve one temporal expression against the publication date.

    Returns None when the expression is not a date, is a duration or a bound ("for three weeks", "until Friday"),
    or is too vague to place ("the 1990s", "recently"). Future expressions ("tomorrow", "next week") resolve to
    the future date. Never raises: this runs on whatever text the parser hands over.
    """
    if not isinstance(expression, str) or not isinstance(published, dt.date):
        return None
    if isinstance(published, dt.datetime):  # a timestamp would make every resolved date a datetime
        published = published.date()
    text = expression.strip()
    core = _core(text)
    if core is None:
        return None
    try:
        resolved = _resolve_core(core, text, published)
    except (ValueError, OverflowError):  # date arithmetic past year 1 or 9999
        return None
    return None if resolved is None else EventDate(resolved[0], resolved[1], text)


def _core(text: str) -> str | None:
    """Lower-case the expression and strip brackets, a placing preposition and vagueness modifiers.

    "(Apr 28)" and "earlier this month" keep their date; a bounding preposition ("until Friday") means the
    expression is not when the event happened, so None.
    """
    core = text.replace("\u2019", "'").strip(" \t\n()[],.;:")
    core = re.sub(r"'s$", "", core)
    core = re.sub(r"\s+", " ", core).lower()
    match = _LEADING_PREP.match(core)
    if match:
        if match.group("prep") in BOUNDING_PREPOSITIONS:
            return None
        core = core[match.end() :]
    core = _MODIFIER.sub("", core, count=1).strip()
    return core or None


def _resolve_core(core: str, original: str, published: dt.date) -> tuple[dt.date, str] | None:
    """Try each family of rules in turn; the relative ones first, because dateparser gets them wrong."""
    for rule in (_relative_day, _weekday, _period, _ago):
        resolved = rule(core, published)
        if resolved is not None:
            return resolved
    return _explicit(_strip_original(original), published)


def _relative_day(core: str, published: dt.date) -> tuple[dt.date, str] | None:
    match = _RELATIVE_DAY.fullmatch(core)
    if not match:
        return None
    word = match.group("word")
    if word == "the day before yesterday":
        offset = -2
    elif word == "the day after tomorrow":
        offset = 2
    elif word.startswith(("yesterday", "last night")):
        offset = -1
    elif word.startswith("tomorrow"):
        offset = 1
    else:
        offset = 0
    return published + dt.timedelta(days=offset), DAY


def _weekday(core: str, published: dt.date) -> tuple[dt.date, str] | None:
    """Weekdays are read as past-or-today; "last" makes it strictly before publication, "next" strictly after."""
    match = _WEEKDAY_EXPR.fullmatch(core)
    if not match:
        return None
    target = WEEKDAYS.index(match.group("day"))
    back = (published.weekday() - target) % 7
    which = match.group("which")
    if which in ("last", "past"):
        back = back or 7
    elif which == "next":
        return published + dt.timedelta(days=(target - published.weekday()) % 7 or 7), DAY
    return published - dt.timedelta(days=back), DAY


def _period(core: str, published: dt.date) -> tuple[dt.date, str] | None:
    match = _PERIOD_EXPR.fullmatch(core)
    if not match:
        return None
    step = {"last": -1, "this": 0, "next": 1}[match.group("which")]
    unit = match.group("unit")
    if unit == WEEK:
        return _week_start(published) + dt.timedelta(weeks=step), WEEK
    if unit == MONTH:
        return _add_months(published.replace(day=1), step), MONTH
    return dt.date(published.year + step, 1, 1), YEAR


def _ago(core: str, published: dt.date) -> tuple[dt.date, str] | None:
    """Count back from publication ("three weeks ago"); the unit sets the precision and so the period start."""
    match = _AGO_EXPR.fullmatch(core)
    if not match:
        return None
    unit = match.group("unit")
    count = match.group("count")
    amount = int(count) if count.isdigit() else NUMBER_WORDS[count]
    if unit in ("minute", "hour"):
        # The publication time is unknown; read from midday, "three hours ago" is the publication day.
        moved = _parse(f"{amount} {unit}s ago", published)
        return (moved[0].date(), DAY) if moved else None
    if unit == "day":
        return published - dt.timedelta(days=amount), DAY
    if unit == "week":
        return _week_start(published - dt.timedelta(weeks=amount)), WEEK
    if unit == "month":
        return _add_months(published.replace(day=1), -amount), MONTH
    return dt.date(published.year - amount, 1, 1), YEAR


def _strip_original(original: str) -> str:
    """Strip brackets, preposition and modifiers but keep the case, which the explicit-date check relies on."""
    text = re.sub(r"\s+", " ", original.replace("\u2019", "'").strip(" \t\n()[],;:"))
    text = re.sub(r"'s$", "", text)
    lowered = text.lower()
    match = _LEADING_PREP.match(lowered)
    if match:
        text = text[match.end() :]
        lowered = lowered[match.end() :]
    modifier = _MODIFIER.match(lowered)
    return text[modifier.end() :] if modifier else text


def _explicit(text: str, published: dt.date) -> tuple[dt.date, str] | None:
    """Calendar dates ("April 28, 2025", "in March", "2023") through dateparser, with our own year-less rule."""
    if not _EXPLICIT_EVIDENCE.search(text) or _DECADE.search(text):
        return None
    parsed = _parse(text, published)
    if parsed is None:
        return None
    value, parts = parsed
    if "month" not in parts and "year" not in parts:
        return None
    if "year" in parts:
        if "month" not in parts:
            return dt.date(value.year, 1, 1), YEAR
        if "day" not in parts:
            return dt.date(value.year, value.month, 1), MONTH
        return value.date(), DAY
    day = value.day if "day" in parts else 1
    resolved = _yearless(value.month, day, published)
    if resolved is None:
        return None
    return resolved, DAY if "day" in parts else MONTH


def _yearless(month: int, day: int, published: dt.date) -> dt.date | None:
    """The publication year's date, or last year's when this year's would be more than a week in the future."""
    for year in (published.year, published.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # February 29 outside a leap year
            continue
        if candidate <= published + YEARLESS_LOOKAHEAD:
            return candidate
    return None


def _parse(text: str, published: dt.date) -> tuple[dt.datetime, tuple[str, ...]] | None:
    """dateparser's reading of `text` and which parts (day, month, year) the text actually gave."""
    try:
        data = _parser(published).get_date_data(text)
    except Exception:  # dateparser is third-party and has raised on odd input; a bad date is just no date
        return None
    if data is None or data.date_obj is None:
        return None
    return data.date_obj, tuple(data.parts or ())


@lru_cache(maxsize=256)
def _parser(published: dt.date) -> DateDataParser:
    """One parser per publication date: articles of a batch share dates, and building one reloads settings."""
    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime.combine(published, dt.time(12)),
            "PREFER_DATES_FROM": "past",
            "PREFER_DAY_OF_MONTH": "first",
            # No timestamps or digit runs: "20240428" and "1714521600" in news copy are rarely dates.
            "PARSERS": ["relative-time", "absolute-time"],
        },
    )


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _add_months(first_of_month: dt.date, months: int) -> dt.date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


# --------------------------------------------------------------------------------------------------------------
# find_date_expressions


def find_date_expressions(sentence: Span) -> list[tuple[int, int, str]]:
    """Temporal expressions in a sentence as (start_char, end_char, text), doc-level offsets, in order.

    Combines spaCy's DATE entities (and TIME entities that name a day, such as "Monday night") with a scan for
    phrases the model misses, merges overlaps, and takes in a preceding preposition, since "until Friday" and
    "on Friday" mean different things to resolve_date.
    """
    doc = sentence.doc
    spans = [*_entity_spans(sentence), *_scanned_spans(sentence)]
    found = []
    for start, end in _merge(spans):
        start = _with_preposition(doc, start, sentence.start)
        first, last = doc[start], doc[end - 1]
        start_char, end_char = first.idx, last.idx + len(last.text)
        found.append((start_char, end_char, doc[start:end].text))
    return found


def _entity_spans(sentence: Span) -> Iterable[tuple[int, int]]:
    for ent in sentence.ents:
        if ent.label_ == "DATE" or (ent.label_ == "TIME" and _names_a_day(ent.text)):
            yield max(ent.start, sentence.start), min(ent.end, sentence.end)


def _names_a_day(text: str) -> bool:
    """A TIME entity such as "Monday night" or "this morning" says which day; "three hours" does not."""
    return bool(
        re.search(r"\b(?:" + _WEEKDAY + r"|today|tonight|yesterday|tomorrow|this|last night)\b", text.lower())
    )


def _scanned_spans(sentence: Span) -> Iterable[tuple[int, int]]:
    doc, base = sentence.doc, sentence.start_char
    for pattern in _SCAN_PATTERNS:
        for match in pattern.finditer(sentence.text):
            span = doc.char_span(base + match.start(), base + match.end(), alignment_mode="expand")
            if span is not None and len(span):
                yield span.start, span.end


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union overlapping token ranges, so "Monday" (entity) and "last Monday" (scan) become one expression."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _with_preposition(doc: Doc, start: int, floor: int) -> int:
    """Extend a span left over "on", "until", "as of" and the like, without leaving the sentence."""
    for width in (2, 1):
        if start - width >= floor:
            words = " ".join(token.lower_ for token in doc[start - width : start])
            if words in ALL_PREPOSITIONS:
                return start - width
    return start


# --------------------------------------------------------------------------------------------------------------
# event_date


def event_date(sentence: Span, anchor_token_index: int | None, published: dt.date | None) -> EventDate | None:
    """The date of the event whose action word is token `anchor_token_index` (a doc-level index, `token.i`).

    A sentence often holds two times: "Putin said on Tuesday that troops captured the village last week". The
    event's own clause wins (the expression hangs from the action word without crossing into another clause);
    otherwise the expression nearest the action word, since wire copy puts the time next to the verb. Expressions
    that do not resolve ("annual", "for three weeks") are skipped. With no anchor, or an anchor outside the
    sentence, the first expression that resolves is used. None when there is none or `published` is None.
    """
    if published is None:
        return None
    expressions = find_date_expressions(sentence)
    if not expressions:
        return None
    doc = sentence.doc
    anchor = None
    if anchor_token_index is not None and sentence.start <= anchor_token_index < sentence.end:
        anchor = doc[anchor_token_index]
    for _start, _end, text in _by_preference(doc, expressions, anchor):
        resolved = resolve_date(text, published)
        if resolved is not None:
            return resolved
    return None


def _by_preference(
    doc: Doc, expressions: list[tuple[int, int, str]], anchor: Token | None
) -> list[tuple[int, int, str]]:
    if anchor is None:
        return expressions

    def rank(expression: tuple[int, int, str]) -> tuple[bool, int, int]:
        span = doc.char_span(expression[0], expression[1], alignment_mode="expand")
        tokens = list(span) if span is not None else []
        attached = any(_in_clause_of(token, anchor) for token in tokens)
        distance = min((abs(token.i - anchor.i) for token in tokens), default=len(doc))
        return (not attached, distance, expression[0])

    return sorted(expressions, key=rank)


def _in_clause_of(token: Token, anchor: Token) -> bool:
    """Whether walking up from `token` reaches `anchor` before entering another clause."""
    node = token
    while True:
        if node.i == anchor.i:
            return True
        if node.dep_ in _CLAUSE_DEPS or (node.dep_ in _VERBAL_CLAUSE_DEPS and node.pos_ in ("VERB", "AUX")):
            return False
        if node.head.i == node.i:
            return False
        node = node.head
