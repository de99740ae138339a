"""`events evaluate` on a small gold file written for the tests, with the exact scores worked out by hand.

The coder's events on tests/data/evaluate_small.jsonl (articles dated 2024-05-15):
  e1  EGY->ISR 111                   gold EGY->ISR 111                  1 match at every level
  e2  KEN->ETH 057, ETH->KEN 057     gold the same                      2 matches
  e3  RUSMIL->UKRMIL 190             gold RUS->UKR 193, accepts 190     matches at every level by country (190 is
                                                                        accepted), not as whole codes
  e4  (nothing: sports)              gold nothing
  e5  IGOEUREEC->IRN 163             gold IGOEUREEC->IRN 172            root 17 vs 16: no match
  e6  CHN->USA 111                   gold code null: actors only        1 match at every level
  e7  evaluate=false: skipped
So 6 predicted, 6 gold; matched by country: root 5, base 5, exact 5; as whole codes: 4 (e3's actors differ).
"""

from pathlib import Path

import pytest
from click.testing import CliRunner

from events.cli import cli
from events.evaluate import ActorNormalizer, GoldEvent, Predicted, evaluate, match_events

GOLD = Path(__file__).parent / "data" / "evaluate_small.jsonl"


@pytest.fixture(scope="module")
def report(nlp):
    return evaluate(GOLD)


def test_scores(report):
    got = {key: (s.matched, s.predicted, s.gold) for key, s in report.scores.items()}
    assert got == {
        ("root", "country"): (5, 6, 6),
        ("root", "whole"): (4, 6, 6),
        ("base", "country"): (5, 6, 6),
        ("base", "whole"): (4, 6, 6),
        ("exact", "country"): (5, 6, 6),
        ("exact", "whole"): (4, 6, 6),
    }
    root = report.scores[("root", "country")]
    assert (round(root.precision, 4), round(root.recall, 4), round(root.f1, 4)) == (0.8333, 0.8333, 0.8333)
    assert report.sentences == 6
    assert (report.empty_sentences, report.false_positives_on_empty) == (1, 0)
    assert {r: (s.matched, s.gold) for r, s in report.root_recall.items()} == {
        "11": (1, 1), "05": (2, 2), "19": (1, 1), "17": (0, 1), "--": (1, 1),
    }  # fmt: skip
    assert [m["id"] for m in report.misses] == ["e5"]


def test_matching_is_one_to_one():
    norm = ActorNormalizer({"ROU": "ROM"})
    gold = [GoldEvent("ROU", "HUN", "040")]
    twice = [Predicted("ROMGOV", "HUN", "040"), Predicted("ROM", "HUN", "040")]
    assert match_events(twice, gold, "root", "country", norm) == 1
    assert match_events(twice, gold, "root", "whole", norm) == 1  # ROU is ROM: only the second matches whole
    assert (
        match_events(
            [Predicted("NGOHRIAMN", "SDN", "111")], [GoldEvent("IGO", "SDN", "111")], "exact", "country", norm
        )
        == 1
    )


def test_cli_prints_one_table(nlp):
    output = CliRunner().invoke(cli, ["evaluate", str(GOLD), "--level", "root"]).output
    lines = output.splitlines()
    assert lines[0].split() == ["gold", "set", "level", "actors", "P", "R", "F1", "matched", "pred", "gold"]
    assert lines[1].split() == ["evaluate_small", "root", "country", "0.833", "0.833", "0.833", "5", "6", "6"]
    assert "evaluate_small: pre-filter lost 0 of 5 gold events found without it" in output
