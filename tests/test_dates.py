"""Resolve date: temporal expressions against the publication date, and picking an event's own date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.dates import EventDate, event_date, find_date_expressions, resolve_date

WED = dt.date(2024, 5, 15)  # a Wednesday
MON = dt.date(2024, 5, 13)  # a Monday
D = dt.date


def resolved(expression: str, published: dt.date) -> tuple[dt.date, str] | None:
    result = resolve_date(expression, published)
    return None if result is None else (result.date, result.precision)


@pytest.mark.parametrize(
    ("expression", "published", "expected"),
    [
        # Weekdays: on or before publication; "last" strictly before; never the future.
        ("on Monday", WED, (D(2024, 5, 13), "day")),
        ("Monday", WED, (D(2024, 5, 13), "day")),
        ("on Wednesday", WED, (D(2024, 5, 15), "day")),
        ("on Thursday", WED, (D(2024, 5, 9), "day")),
        ("on Monday", MON, (D(2024, 5, 13), "day")),
        ("last Monday", WED, (D(2024, 5, 13), "day")),
        ("last Monday", MON, (D(2024, 5, 6), "day")),
        ("Monday night", WED, (D(2024, 5, 13), "day")),
        ("on Tuesday morning", WED, (D(2024, 5, 14), "day")),
        ("Monday's", WED, (D(2024, 5, 13), "day")),
        ("next Monday", WED, (D(2024, 5, 20), "day")),
        # Days around publication.
        ("yesterday", WED, (D(2024, 5, 14), "day")),
        ("last night", WED, (D(2024, 5, 14), "day")),
        ("today", WED, (D(2024, 5, 15), "day")),
        ("earlier today", WED, (D(2024, 5, 15), "day")),
        ("this morning", WED, (D(2024, 5, 15), "day")),
        ("tonight", WED, (D(2024, 5, 15), "day")),
        ("the day before yesterday", WED, (D(2024, 5, 13), "day")),
        ("tomorrow", WED, (D(2024, 5, 16), "day")),
        # Weeks start on Monday (ISO).
        ("last week", WED, (D(2024, 5, 6), "week")),
        ("this week", WED, (D(2024, 5, 13), "week")),
        ("earlier this week", WED, (D(2024, 5, 13), "week")),
        ("next week", WED, (D(2024, 5, 20), "week")),
        # Months and years: the first day of the period.
        ("last month", WED, (D(2024, 4, 1), "month")),
        ("this month", WED, (D(2024, 5, 1), "month")),
        ("earlier this month", WED, (D(2024, 5, 1), "month")),
        ("late last month", WED, (D(2024, 4, 1), "month")),
        ("next month", WED, (D(2024, 6, 1), "month")),
        ("last year", D(2025, 4, 28), (D(2024, 1, 1), "year")),
        ("this year", WED, (D(2024, 1, 1), "year")),
        ("earlier this year", WED, (D(2024, 1, 1), "year")),
        ("at the end of last year", WED, (D(2023, 1, 1), "year")),
        ("next year", WED, (D(2025, 1, 1), "year")),
        # Counting back.
        ("3 days ago", WED, (D(2024, 5, 12), "day")),
        ("two days ago", WED, (D(2024, 5, 13), "day")),
        ("two weeks ago", WED, (D(2024, 4, 29), "week")),
        ("a week ago", WED, (D(2024, 5, 6), "week")),
        ("three months ago", WED, (D(2024, 2, 1), "month")),
        ("three months ago", D(2025, 1, 10), (D(2024, 10, 1), "month")),
        ("a year ago", WED, (D(2023, 1, 1), "year")),
        ("three hours ago", WED, (D(2024, 5, 15), "day")),
    ],
)
def test_relative_expressions(expression: str, published: dt.date, expected: tuple[dt.date, str]) -> None:
    assert resolved(expression, published) == expected


@pytest.mark.parametrize(
    ("expression", "published", "expected"),
    [
        ("on April 28, 2025", WED, (D(2025, 4, 28), "day")),
        ("28 April 2025", WED, (D(2025, 4, 28), "day")),
        ("2025-04-28", WED, (D(2025, 4, 28), "day")),
        ("on Jan. 5, 2024", WED, (D(2024, 1, 5), "day")),
        ("Monday, April 28, 2025", WED, (D(2025, 4, 28), "day")),
        ("in March 2024", WED, (D(2024, 3, 1), "month")),
        ("in 2023", WED, (D(2023, 1, 1), "year")),
        ("since 2014", WED, (D(2014, 1, 1), "year")),
        # No year: the publication year, unless that is more than a week ahead.
        ("on April 28", WED, (D(2024, 4, 28), "day")),
        ("(Apr 28)", WED, (D(2024, 4, 28), "day")),
        ("on Sept. 5", WED, (D(2023, 9, 5), "day")),
        ("on May 20", WED, (D(2024, 5, 20), "day")),
        ("on May 22", WED, (D(2024, 5, 22), "day")),
        ("on May 23", WED, (D(2023, 5, 23), "day")),
        ("on December 30", D(2025, 1, 3), (D(2024, 12, 30), "day")),
        ("in March", WED, (D(2024, 3, 1), "month")),
        ("in mid-March", WED, (D(2024, 3, 1), "month")),
        ("in March", D(2025, 1, 3), (D(2024, 3, 1), "month")),
        ("in May", WED, (D(2024, 5, 1), "month")),
        ("on February 29", WED, (D(2024, 2, 29), "day")),
    ],
)
def test_explicit_dates(expression: str, published: dt.date, expected: tuple[dt.date, str]) -> None:
    assert resolved(expression, published) == expected


def test_february_29_outside_a_leap_year_falls_back_to_the_leap_year() -> None:
    assert resolved("on February 29", D(2025, 5, 15)) == (D(2024, 2, 29), "day")
    assert resolved("on February 29", D(2026, 5, 15)) is None


@pytest.mark.parametrize(
    ("expression", "published", "expected"),
    [
        ("on Thursday", D(2024, 3, 1), (D(2024, 2, 29), "day")),  # across a leap-day month end
        ("last month", D(2025, 1, 1), (D(2024, 12, 1), "month")),
        ("last year", D(2025, 1, 1), (D(2024, 1, 1), "year")),
        ("on Monday", D(2025, 1, 1), (D(2024, 12, 30), "day")),
        ("last week", D(2025, 1, 1), (D(2024, 12, 23), "week")),
        ("this week", D(2025, 1, 1), (D(2024, 12, 30), "week")),
        ("yesterday", D(2025, 1, 1), (D(2024, 12, 31), "day")),
        ("next month", D(2024, 12, 20), (D(2025, 1, 1), "month")),
        ("tomorrow", D(2024, 12, 31), (D(2025, 1, 1), "day")),
    ],
)
def test_period_boundaries(expression: str, published: dt.date, expected: tuple[dt.date, str]) -> None:
    assert resolved(expression, published) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "for three hours",
        "for two weeks",
        "until Friday",
        "by the end of the year",
        "before Monday",
        "the 1990s",
        "annual",
        "recently",
        "may",
        "march",
        "5",
        "9999",
        "2025-13-45",
        "",
        "   ",
        "garbage ###",
        "the past decade",
    ],
)
def test_non_dates_are_none(expression: str) -> None:
    assert resolve_date(expression, WED) is None


def test_event_date_keeps_the_text_as_written() -> None:
    assert resolve_date("  on Monday ", WED) == EventDate(D(2024, 5, 13), "day", "on Monday")


def test_a_timestamp_publication_date_still_gives_a_date() -> None:
    result = resolve_date("yesterday", dt.datetime(2024, 5, 15, 18, 30))
    assert result is not None and type(result.date) is dt.date and result.date == D(2024, 5, 14)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=40), published=st.dates())
def test_resolve_date_never_raises(text: str, published: dt.date) -> None:
    result = resolve_date(text, published)
    assert result is None or result.precision in ("day", "week", "month", "year")


@pytest.mark.parametrize("published", [dt.date.min, dt.date.max])
@pytest.mark.parametrize(
    "expression", ["last year", "next week", "tomorrow", "yesterday", "on May 20", "in 2023"]
)
def test_extreme_publication_dates_do_not_raise(expression: str, published: dt.date) -> None:
    resolve_date(expression, published)


# ---- finding expressions in parsed sentences -------------------------------------------------------------------


def first_sentence(nlp, text: str):
    return next(iter(nlp(text).sents))


def texts(nlp, text: str) -> list[str]:
    return [found for _, _, found in find_date_expressions(first_sentence(nlp, text))]


def test_find_includes_the_preposition(nlp) -> None:
    assert texts(nlp, "Russian troops attacked Ukrainian positions near Kharkiv on Monday.") == ["on Monday"]
    assert texts(nlp, "The talks, held in March 2024, failed.") == ["in March 2024"]
    assert texts(nlp, "The ceasefire lasted until Friday.") == ["until Friday"]


def test_find_catches_what_the_entity_model_misses(nlp) -> None:
    assert texts(nlp, "The ceasefire (Apr 28) collapsed.") == ["Apr 28"]
    assert texts(nlp, "Police arrested 20 people this morning.") == ["this morning"]
    assert texts(nlp, "Israel struck Gaza on Monday night.") == ["on Monday night"]


def test_find_lists_every_expression_in_order(nlp) -> None:
    found = texts(nlp, "Putin said on Tuesday that Russian forces had captured the village last week.")
    assert found == ["on Tuesday", "last week"]
    found = texts(
        nlp, "Earlier this month, protesters marched in Tbilisi; police arrested 20 people yesterday."
    )
    assert found == ["Earlier this month", "yesterday"]


def test_find_offsets_are_doc_level(nlp) -> None:
    doc = nlp("Talks collapsed in Geneva. Russian troops attacked Kharkiv on Monday.")
    second = list(doc.sents)[1]
    [(start, end, text)] = find_date_expressions(second)
    assert text == "on Monday"
    assert doc.text[start:end] == "on Monday"
    assert start == doc.text.index("on Monday")


def test_find_nothing(nlp) -> None:
    assert texts(nlp, "Protesters marched in Tbilisi.") == []


# ---- the date of one event -------------------------------------------------------------------------------------


def anchor(sentence, word: str) -> int:
    return next(token.i for token in sentence if token.text == word)


def test_event_date_on_monday(nlp) -> None:
    sentence = first_sentence(nlp, "Russian troops attacked Ukrainian positions near Kharkiv on Monday.")
    result = event_date(sentence, anchor(sentence, "attacked"), WED)
    assert result == EventDate(D(2024, 5, 13), "day", "on Monday")


def test_event_date_last_year(nlp) -> None:
    sentence = first_sentence(nlp, "Kim Jong Un signed a treaty with Vladimir Putin last year.")
    result = event_date(sentence, anchor(sentence, "signed"), D(2025, 4, 28))
    assert result == EventDate(D(2024, 1, 1), "year", "last year")


def test_event_date_picks_the_anchor_clause(nlp) -> None:
    sentence = first_sentence(
        nlp, "Putin said on Tuesday that Russian forces had captured the village last week."
    )
    said = event_date(sentence, anchor(sentence, "said"), WED)
    captured = event_date(sentence, anchor(sentence, "captured"), WED)
    assert said == EventDate(D(2024, 5, 14), "day", "on Tuesday")
    assert captured == EventDate(D(2024, 5, 6), "week", "last week")


def test_event_date_picks_the_anchor_clause_in_coordinated_clauses(nlp) -> None:
    text = "Earlier this month, protesters marched in Tbilisi; police arrested 20 people this morning."
    sentence = first_sentence(nlp, text)
    marched = event_date(sentence, anchor(sentence, "marched"), WED)
    arrested = event_date(sentence, anchor(sentence, "arrested"), WED)
    assert marched == EventDate(D(2024, 5, 1), "month", "Earlier this month")
    assert arrested == EventDate(D(2024, 5, 15), "day", "this morning")


def test_event_date_in_a_later_sentence_uses_doc_token_indices(nlp) -> None:
    doc = nlp("Talks collapsed in Geneva last week. Russian troops attacked Kharkiv on Monday.")
    second = list(doc.sents)[1]
    result = event_date(second, anchor(second, "attacked"), WED)
    assert result == EventDate(D(2024, 5, 13), "day", "on Monday")


def test_event_date_skips_expressions_that_name_no_date(nlp) -> None:
    sentence = first_sentence(nlp, "The ceasefire lasted until Friday, officials said on Monday.")
    result = event_date(sentence, anchor(sentence, "lasted"), WED)
    assert result == EventDate(D(2024, 5, 13), "day", "on Monday")


def test_event_date_falls_back_to_the_nearest_expression(nlp) -> None:
    sentence = first_sentence(nlp, "Yesterday the army, which had withdrawn, shelled the town.")
    result = event_date(sentence, anchor(sentence, "shelled"), WED)
    assert result == EventDate(D(2024, 5, 14), "day", "Yesterday")


def test_event_date_without_anchor_takes_the_first_expression(nlp) -> None:
    sentence = first_sentence(
        nlp, "Putin said on Tuesday that Russian forces had captured the village last week."
    )
    assert event_date(sentence, None, WED) == EventDate(D(2024, 5, 14), "day", "on Tuesday")
    assert event_date(sentence, 10_000, WED) == EventDate(D(2024, 5, 14), "day", "on Tuesday")


def test_event_date_none_cases(nlp) -> None:
    sentence = first_sentence(nlp, "Russian troops attacked Ukrainian positions near Kharkiv on Monday.")
    assert event_date(sentence, anchor(sentence, "attacked"), None) is None
    plain = first_sentence(nlp, "Russian troops attacked Ukrainian positions near Kharkiv.")
    assert event_date(plain, anchor(plain, "attacked"), WED) is None
    vague = first_sentence(nlp, "The ceasefire lasted for two weeks.")
    assert event_date(vague, anchor(vague, "lasted"), WED) is None
