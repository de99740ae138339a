"""Explain an event row: the sentence with the source, action and target marked, and every decision behind the
row (lexicon pattern, dictionary entries, date expression, place, attribution, modality, confidence)."""

from __future__ import annotations

from pathlib import Path

from events import store

FIELDS = (
    "event_id", "article_id", "sentence_index", "source_code", "source_name", "source_rule", "target_code",
    "target_name", "target_rule", "event_code", "action_text", "pattern", "how_found", "event_date",
    "date_precision", "date_text", "published_date", "location_name", "location_country", "location_type",
    "latitude", "longitude", "location_rule", "attribution", "modality", "confidence", "source_start",
    "source_end", "target_start", "target_end", "action_start", "action_end",
)  # fmt: skip


class EventNotFound(LookupError):
    """No event with that id."""


def explain(db_path: str | Path, event_id: str) -> dict:
    """Everything known about one event row, as plain data."""
    con = store.connect(db_path, read_only=True)
    try:
        columns = ", ".join(f"e.{f}" for f in FIELDS)
        rows = con.execute(
            f"SELECT {columns}, s.text, s.char_start FROM events e "
            "JOIN sentences s USING (article_id, sentence_index) WHERE e.event_id = ?",
            [event_id],
        ).fetchall()
    finally:
        con.close()
    if not rows:
        raise EventNotFound(f"no event {event_id!r} in {db_path}")
    *values, sentence, sentence_start = rows[0]
    info = dict(zip(FIELDS, values, strict=True))
    from events.cameo import cameo_codes

    code = cameo_codes().get(info["event_code"])
    info["event_name"] = code.name if code else None
    info["sentence"] = sentence
    info["marked_sentence"] = mark(sentence, sentence_start, info)
    for key in ("event_date", "published_date"):
        info[key] = info[key].isoformat() if info[key] else None
    return info


def mark(sentence: str, offset: int, info: dict) -> str:
    """The sentence with [source], {action} and <target> marked (offsets are article offsets)."""
    spans = []
    for key, left, right in (("source", "[", "]"), ("action", "{", "}"), ("target", "<", ">")):
        start, end = info.get(f"{key}_start"), info.get(f"{key}_end")
        if start is not None and end is not None and offset <= start < end <= offset + len(sentence):
            spans.append((start - offset, end - offset, left, right))
    # Insert from the end so earlier offsets stay valid; overlapping spans (an actor inside the action phrase)
    # are skipped rather than garbled.
    text = sentence
    taken: list[tuple[int, int]] = []
    for start, end, _left, _right in sorted(spans, key=lambda s: s[0]):
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
    for start, end, left, right in sorted(spans, key=lambda s: -s[0]):
        if (start, end) in taken:
            text = text[:start] + left + text[start:end] + right + text[end:]
    return text


def render(info: dict) -> str:
    """Human-readable explanation."""

    def line(label: str, value) -> str:
        return f"{label:<12} {value if value not in (None, '') else '-'}"

    place = info["location_name"]
    if place:
        place = (
            f"{place} ({info['location_country']}, {info['location_type']}, {info['latitude']:.2f}, "
            f"{info['longitude']:.2f}) - {info['location_rule']}"
        )
    when = f"{info['event_date']} ({info['date_precision']})"
    when += f" from {info['date_text']!r}" if info["date_text"] else " = publication date"
    return "\n".join(
        [
            f"event {info['event_id']}  {info['source_code']} -> {info['event_code']} "
            f"({info['event_name']}) -> {info['target_code'] or '(no target)'}",
            "",
            line("sentence", info["marked_sentence"]),
            line("", "[source] {action} <target>"),
            line("action", f"{info['action_text']!r}, matched {info['pattern']}"),
            line("source", f"{info['source_name']!r} -> {info['source_code']}: {info['source_rule']}"),
            line(
                "target",
                f"{info['target_name']!r} -> {info['target_code']}: {info['target_rule']}"
                if info["target_code"]
                else None,
            ),
            line("found as", info["how_found"]),
            line("date", when),
            line("place", place),
            line("attribution", info["attribution"]),
            line("modality", info["modality"]),
            line("confidence", info["confidence"]),
            line("article", f"{info['article_id']}, sentence {info['sentence_index']}"),
        ]
    )
