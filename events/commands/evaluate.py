"""`events evaluate`: score the coder against gold-standard sentences."""

from __future__ import annotations

import json

import click

from events.coder import CoderOptions
from events.evaluate import LEVELS, evaluate, format_reports


@click.command("evaluate")
@click.argument("gold_files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--level",
    type=click.Choice(LEVELS),
    default=None,
    help="Show only this code level (default: root, base and exact).",
)
@click.option(
    "--misses",
    "misses_path",
    type=click.Path(dir_okay=False),
    help="Write sentences with missed or extra events here (JSONL).",
)
@click.option("--model", default=None, envvar="EVENTS_MODEL", help="spaCy model.")
@click.option("--keep-negated", is_flag=True, help="Score negated events too.")
def evaluate_command(gold_files, level, misses_path, model, keep_negated):
    """Score the coder on gold files (JSONL with id, text, date, events).

    Example: events evaluate ../shared/benchmarks/plover_gsr_cameo.jsonl --misses misses.jsonl
    """
    reports = [evaluate(path, model, CoderOptions(keep_negated=keep_negated)) for path in gold_files]
    if level:
        for report in reports:
            report.scores = {key: s for key, s in report.scores.items() if key[0] == level}
    click.echo(format_reports(reports))
    if misses_path:
        with open(misses_path, "w", encoding="utf-8") as handle:
            for report in reports:
                for miss in report.misses:
                    handle.write(json.dumps({"set": report.name, **miss}, ensure_ascii=False) + "\n")


COMMANDS = [evaluate_command]
