"""`events run`, `events ingest` and `events code`: get articles in and code them."""

from __future__ import annotations

import contextlib

import click

from events import pipeline
from events.coder import CoderOptions
from events.commands.options import coding_options, db_option, progress_reporter
from events.read import DEFAULT_MAX_CHARS, ReadOptions

INPUT = click.argument("inputs", nargs=-1, required=True)


def read_options(func):
    func = click.option(
        "--max-chars",
        type=click.IntRange(min=1),
        default=DEFAULT_MAX_CHARS,
        show_default=True,
        help="Reject articles longer than this many characters.",
    )(func)
    func = click.option(
        "--encoding-errors",
        type=click.Choice(["strict", "replace"]),
        default="strict",
        show_default=True,
        help="Invalid UTF-8: reject the record (strict) or keep it with U+FFFD (replace).",
    )(func)
    return func


EXIT_REJECTS = 3  # --strict: the run finished, but some input was rejected


def write_options(func):
    """Options of the commands that write: how long to wait for another writer, and --strict."""
    func = click.option(
        "--wait",
        type=click.FloatRange(min=0),
        default=0,
        show_default=True,
        metavar="SECONDS",
        help="Wait this long for another process that is writing to the database.",
    )(func)
    return func


def strict_option(func):
    return click.option(
        "--strict", is_flag=True, help=f"Exit with code {EXIT_REJECTS} when any input record was rejected."
    )(func)


def _summary(result: pipeline.RunResult, coded: bool) -> str:
    parts = [f"{result.ingested:,} articles ingested"]
    if result.duplicates:
        parts.append(f"{result.duplicates:,} already stored")
    see = ": see `events rejects`"
    parts.append(f"{result.rejected:,} rejected" + (see if result.rejected else ""))
    if result.warnings:
        parts.append(f"{result.warnings:,} warnings" + (see if not result.rejected else ""))
    if coded:
        parts.append(f"{result.coded:,} coded, {result.events:,} events")
    return ", ".join(parts)


def _finish(result: pipeline.RunResult, quiet: bool, strict: bool, coded: bool) -> None:
    if not quiet:
        for reason in result.reject_reasons[:10]:
            click.echo(reason, err=True)
        if len(result.reject_reasons) > 10:
            click.echo(f"... and {len(result.reject_reasons) - 10:,} more", err=True)
    click.echo(_summary(result, coded))
    if strict and result.rejected:
        raise SystemExit(EXIT_REJECTS)


@click.command()
@INPUT
@db_option
@coding_options
@read_options
@write_options
@strict_option
def run(
    inputs,
    db_path,
    model,
    workers,
    keep_negated,
    keep_hypothetical,
    no_prefilter,
    quiet,
    max_chars,
    encoding_errors,
    wait,
    strict,
):
    """Ingest articles and code them into events: the main job.

    INPUTS are JSONL/NDJSON, CSV, Parquet or .txt files, folders, or - for JSONL on stdin.

    Example: events run news/2024-05.jsonl --db events.duckdb
    """
    report, bar = progress_reporter(quiet)
    with bar or contextlib.nullcontext():
        result = pipeline.run(
            list(inputs),
            db_path,
            model,
            workers,
            CoderOptions(keep_negated, keep_hypothetical, not no_prefilter),
            ReadOptions(max_chars, encoding_errors),
            report,
            wait,
        )
    _finish(result, quiet, strict, coded=True)


@click.command()
@INPUT
@db_option
@read_options
@write_options
@strict_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def ingest(inputs, db_path, max_chars, encoding_errors, wait, strict, quiet):
    """Store articles without coding them. Ingesting an article twice changes nothing.

    Example: events ingest feed.csv archive/ --db events.duckdb
    """
    report, bar = progress_reporter(quiet)
    with bar or contextlib.nullcontext():
        result = pipeline.ingest(list(inputs), db_path, ReadOptions(max_chars, encoding_errors), report, wait)
    _finish(result, quiet, strict, coded=False)


@click.command()
@db_option
@coding_options
@write_options
def code(db_path, model, workers, keep_negated, keep_hypothetical, no_prefilter, quiet, wait):
    """Code every stored article not yet coded by the current coder version.

    Example: events code --db events.duckdb --workers 4
    """
    report, bar = progress_reporter(quiet)
    with bar or contextlib.nullcontext():
        result = pipeline.code(
            db_path,
            model,
            workers,
            CoderOptions(keep_negated, keep_hypothetical, not no_prefilter),
            report,
            wait,
        )
    click.echo(f"{result.coded:,} articles coded, {result.events:,} events")


COMMANDS = [run, ingest, code]
