"""Evaluate the coder against a gold standard (JSONL: id, text, date, events: [{source, target, code}]).

Predicted and gold events of a sentence are matched one to one on (source actor, target actor, code). Codes are
compared at root (2 digits), base (3 digits) and exact level; actors either at country/IGO level (the first three
letters, so RUSGOV matches RUS) or as whole codes. A gold event whose code is null is scored on its actors only;
`accept` lists other codes a gold event accepts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from events.cameo import read_tsv
from events.coder import Coder, CoderOptions
from events.parse import load_model
from events.pipeline import code_articles
from events.read import Article

LEVELS = ("root", "base", "exact")
ACTOR_MODES = ("country", "whole")
CODE_LENGTH = {"root": 2, "base": 3, "exact": 4}


@dataclass(frozen=True)
class GoldEvent:
    source: str | None
    target: str | None
    code: str | None
    accept: tuple[str, ...] = ()


@dataclass
class GoldSentence:
    id: str
    text: str
    date: dt.date | None
    events: list[GoldEvent]


@dataclass(frozen=True)
class Predicted:
    source: str | None
    target: str | None
    code: str


@dataclass
class Score:
    matched: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    name: str
    sentences: int = 0
    scores: dict[tuple[str, str], Score] = field(default_factory=dict)  # (level, actor mode) -> score
    root_recall: dict[str, Score] = field(default_factory=dict)  # gold root -> root/country score
    empty_sentences: int = 0
    false_positives_on_empty: int = 0
    misses: list[dict] = field(default_factory=list)
    # The pre-filter's cost: gold events (base code, country actors) found with it off, and of those, lost with it on.
    found_without_prefilter: int = 0
    lost_to_prefilter: int = 0


def read_gold(path: str | Path) -> list[GoldSentence]:
    sentences = []
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            if record.get("evaluate") is False:
                continue
            events = [
                GoldEvent(e.get("source"), e.get("target"), e.get("code"), tuple(e.get("accept") or ()))
                for e in record.get("events") or []
            ]
            date = dt.date.fromisoformat(record["date"]) if record.get("date") else None
            sentences.append(GoldSentence(str(record["id"]), record["text"], date, events))
    return sentences


@dataclass
class ActorNormalizer:
    """Maps gold actor codes written with ISO-3 country codes (ROU, JAP, ...) onto the project's CAMEO codes."""

    iso_to_cameo: dict[str, str]

    @classmethod
    def default(cls) -> ActorNormalizer:
        mapping = {}
        for row in read_tsv(Path(__file__).parent / "data" / "countries.tsv"):
            if row.get("iso3") and row["iso3"] != row["code"]:
                mapping[row["iso3"]] = row["code"]
        mapping.setdefault("JAP", "JPN")  # a common slip for Japan in hand-coded gold
        return cls(mapping)

    def whole(self, code: str | None) -> str | None:
        if not code:
            return None
        code = code.strip().upper()
        head = self.iso_to_cameo.get(code[:3], code[:3])
        return head + code[3:]

    def country(self, code: str | None) -> str | None:
        """The country or international level: the first three letters, where international organizations,
        governmental or not, are one level (IGO), as in the PLOVER gold, which writes IGO for Amnesty or the
        Red Cross."""
        whole = self.whole(code)
        if not whole:
            return None
        return "IGO" if whole[:3] == "NGO" else whole[:3]


def _code_matches(predicted: str, gold: GoldEvent, level: str) -> bool:
    if gold.code is None:
        return True
    n = CODE_LENGTH[level]
    return any(
        predicted[:n] == code[:n] and (level != "exact" or predicted == code)
        for code in (gold.code, *gold.accept)
    )


def match_events(
    predicted: list[Predicted], gold: list[GoldEvent], level: str, mode: str, norm: ActorNormalizer
) -> int:
    """Size of a maximum one-to-one matching between predicted and gold events."""
    actor = norm.country if mode == "country" else norm.whole

    def fits(p: Predicted, g: GoldEvent) -> bool:
        return (
            actor(p.source) == actor(g.source)
            and actor(p.target) == actor(g.target)
            and _code_matches(p.code, g, level)
        )

    edges = [[j for j, g in enumerate(gold) if fits(p, g)] for p in predicted]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(predicted)))


def evaluate(
    gold_path: str | Path,
    model: str | None = None,
    options: CoderOptions | None = None,
    coder: Coder | None = None,
    use_prefilter: bool = True,
    measure_prefilter: bool = True,
) -> Report:
    """Score the coder on a gold file; with `measure_prefilter`, also code every sentence without the pre-filter
    to count the gold events the pre-filter loses."""
    nlp = load_model(model)
    coder = coder or Coder(options)
    norm = ActorNormalizer.default()
    report = Report(name=Path(gold_path).stem)
    for level in LEVELS:
        for mode in ACTOR_MODES:
            report.scores[(level, mode)] = Score()
    for sentence in read_gold(gold_path):
        predicted = code_sentence(sentence, nlp, coder, use_prefilter)
        report.sentences += 1
        if measure_prefilter and use_prefilter:
            unfiltered = code_sentence(sentence, nlp, coder, use_prefilter=False)
            found = match_events(unfiltered, sentence.events, "base", "country", norm)
            kept = match_events(predicted, sentence.events, "base", "country", norm)
            report.found_without_prefilter += found
            report.lost_to_prefilter += max(0, found - kept)
        if not sentence.events:
            report.empty_sentences += 1
            report.false_positives_on_empty += len(predicted)
        for (level, mode), score in report.scores.items():
            score.matched += match_events(predicted, sentence.events, level, mode, norm)
            score.predicted += len(predicted)
            score.gold += len(sentence.events)
        for event in sentence.events:
            root = event.code[:2] if event.code else "--"
            score = report.root_recall.setdefault(root, Score())
            score.gold += 1
            score.matched += match_events(predicted, [event], "root", "country", norm)
        if match_events(predicted, sentence.events, "base", "country", norm) != max(
            len(predicted), len(sentence.events)
        ):
            report.misses.append(
                {
                    "id": sentence.id,
                    "text": sentence.text,
                    "gold": [e.__dict__ for e in sentence.events],
                    "predicted": [p.__dict__ for p in predicted],
                }
            )
    return report


def code_sentence(sentence: GoldSentence, nlp, coder: Coder, use_prefilter: bool = True) -> list[Predicted]:
    article = Article(article_id=sentence.id, text=sentence.text, published_date=sentence.date)
    [coded] = code_articles([article], nlp, coder, use_prefilter)
    return [
        Predicted(e.source.code if e.source else None, e.target.code if e.target else None, e.code)
        for e in coded.events
    ]


def format_reports(reports: Iterable[Report]) -> str:
    """One table: P/R/F1 per gold file, level and actor mode; then per-root recall and false positives."""
    reports = list(reports)
    lines = [
        f"{'gold set':<28} {'level':<6} {'actors':<8} {'P':>6} {'R':>6} {'F1':>6} {'matched':>8} "
        f"{'pred':>6} {'gold':>6}"
    ]
    for report in reports:
        for (level, mode), s in report.scores.items():
            lines.append(
                f"{report.name:<28} {level:<6} {mode:<8} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
                f"{s.matched:8d} {s.predicted:6d} {s.gold:6d}"
            )
    for report in reports:
        roots = ", ".join(f"{root}: {s.matched}/{s.gold}" for root, s in sorted(report.root_recall.items()))
        lines.append(
            f"\n{report.name}: {report.sentences} sentences; recall by gold root (root level, country "
            f"actors): {roots}"
        )
        if report.found_without_prefilter:
            lost = report.lost_to_prefilter / report.found_without_prefilter
            lines.append(
                f"{report.name}: pre-filter lost {report.lost_to_prefilter} of {report.found_without_prefilter} "
                f"gold events found without it ({lost:.1%}; base code, country actors)"
            )
        lines.append(
            f"{report.name}: {report.false_positives_on_empty} events predicted on "
            f"{report.empty_sentences} sentences with no gold event"
        )
    return "\n".join(lines)
