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


def engine_options(func):
    """--engine, --master and --spark-conf of the coding commands (events.spark)."""
    func = click.option(
        "--spark-conf",
        "spark_conf",
        multiple=True,
        metavar="KEY=VALUE",
        help="A Spark setting for --engine spark (repeatable), e.g. spark.executor.memory=4g.",
    )(func)
    func = click.option(
        "--master",
        default=None,
        show_default="local[*], or spark-submit's under spark-submit",
        help="Spark master URL for --engine spark: local[N], spark://HOST:PORT, yarn, k8s://...",
    )(func)
    func = click.option(
        "--engine",
        type=click.Choice(["local", "spark"]),
        default="local",
        show_default=True,
        help="Code in local worker processes (--workers), or with Apache Spark (needs events[spark] and Java).",
    )(func)
    return func


def _spark_settings(pairs: tuple[str, ...], quiet: bool) -> dict[str, str]:
    settings = {"spark.ui.showConsoleProgress": "false"} if quiet else {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--spark-conf")
        settings[key.strip()] = value
    return settings


@contextlib.contextmanager
def spark_errors(need_pyspark: bool = True):
    """Spark engine problems (pyspark or Java missing, ...) as one-line errors."""
    from events.spark import SparkError, require_pyspark

    try:
        if need_pyspark:
            require_pyspark()
        yield
    except SparkError as exc:
        raise click.ClickException(str(exc)) from exc


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
@engine_options
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
    engine,
    master,
    spark_conf,
    max_chars,
    encoding_errors,
    wait,
    strict,
):
    """Ingest articles and code them into events: the main job.

    INPUTS are JSONL/NDJSON, CSV, Parquet or .txt files, folders, or - for JSONL on stdin.

    Example: events run news/2024-05.jsonl --db events.duckdb
    """
    if engine == "spark":
        settings = _spark_settings(spark_conf, quiet)
        report, bar = progress_reporter(quiet)
        with spark_errors(), bar or contextlib.nullcontext():
            from events.spark import run_with_spark

            result = run_with_spark(
                list(inputs),
                db_path,
                master,
                model,
                CoderOptions(keep_negated, keep_hypothetical, not no_prefilter),
                ReadOptions(max_chars, encoding_errors),
                report,
                wait,
                settings,
            )
        _finish(result, quiet, strict, coded=True)
        return
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


def optional_db_option(func):
    """`code` takes --db like the other commands, but may go without it when it codes --input to --output."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        envvar="EVENTS_DB",
        help="DuckDB database file (env EVENTS_DB); optional with --input and --output.",
    )(func)


def spark_io_options(func):
    func = click.option(
        "--load",
        "load_dir",
        default=None,
        metavar="DIR",
        help="Store a Spark output folder (one written by --output, e.g. on a cluster) in --db instead of "
        "coding; with --input, the articles of PARQUET that the database lacks too. Needs no pyspark.",
    )(func)
    func = click.option(
        "--output",
        "output_dir",
        default=None,
        metavar="DIR",
        help="With --input: write the coded articles, sentences and events as Parquet under DIR.",
    )(func)
    func = click.option(
        "--input",
        "articles_parquet",
        default=None,
        metavar="PARQUET",
        help="With --engine spark: code the articles of this Parquet file or folder (columns as the articles "
        "table) instead of the database's pending ones.",
    )(func)
    return func


def _check_code_usage(db_path, engine, articles_parquet, output_dir, load_dir) -> None:
    if load_dir:
        if output_dir or not db_path:
            raise click.UsageError("--load needs --db PATH and takes no --output")
        return
    if (articles_parquet or output_dir) and engine != "spark":
        raise click.UsageError("--input and --output need --engine spark")
    if output_dir and not articles_parquet:
        raise click.UsageError("--output needs --input PARQUET")
    if articles_parquet and not (output_dir or db_path):
        raise click.UsageError("--input needs --output DIR, --db PATH or both")
    if not (articles_parquet or db_path):
        raise click.UsageError("Missing option '--db'.")


def _code_with_spark(
    db_path, master, settings, model, options, report, wait, articles_parquet, output_dir
) -> tuple[int, int]:
    """(articles coded, events) of `events code --engine spark`."""
    from events import spark

    if db_path is None:
        result = spark.code_with_spark(articles_parquet, output_dir, master, model, options, settings)
        return result.articles, result.events
    result = spark.code_db_with_spark(
        db_path, master, model, options, report, wait, settings, articles_parquet, output_dir
    )
    return result.coded, result.events


@click.command()
@optional_db_option
@coding_options
@engine_options
@spark_io_options
@write_options
def code(
    db_path,
    model,
    workers,
    keep_negated,
    keep_hypothetical,
    no_prefilter,
    quiet,
    engine,
    master,
    spark_conf,
    articles_parquet,
    output_dir,
    load_dir,
    wait,
):
    """Code every stored article not yet coded by the current coder version.

    With --engine spark --input PARQUET --output DIR, code the articles of PARQUET with Spark into Parquet under
    DIR (and, with --db, store them and the result in the database). With --load DIR, store such an output.

    Example: events code --db events.duckdb --workers 4
    """
    _check_code_usage(db_path, engine, articles_parquet, output_dir, load_dir)
    if load_dir:
        from events.spark import load_spark_output

        report, bar = progress_reporter(quiet)
        with spark_errors(need_pyspark=False), bar or contextlib.nullcontext():
            result = load_spark_output(db_path, load_dir, articles_parquet, wait, report)
        click.echo(f"{result.coded:,} articles loaded, {result.events:,} events")
        return
    if engine == "spark":
        options = CoderOptions(keep_negated, keep_hypothetical, not no_prefilter)
        settings = _spark_settings(spark_conf, quiet)
        report, bar = progress_reporter(quiet)
        with spark_errors(), bar or contextlib.nullcontext():
            coded, events = _code_with_spark(
                db_path, master, settings, model, options, report, wait, articles_parquet, output_dir
            )
        where = f" (Parquet in {output_dir})" if output_dir else ""
        click.echo(f"{coded:,} articles coded, {events:,} events{where}")
        return
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
