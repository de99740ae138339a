"""`events query`, `events stats`, `events doctor`: look at a database and the environment."""

from __future__ import annotations

import json
import sys

import click

from events import summary
from events.commands.options import db_option


def print_frame(frame, fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(frame.write_csv())
    elif fmt == "json":
        click.echo(json.dumps(frame.to_dicts(), default=str, ensure_ascii=False, indent=2))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_edge=False, header_style="bold")
        for column in frame.columns:
            table.add_column(column)
        for row in frame.iter_rows():
            table.add_row(*("" if value is None else str(value) for value in row))
        Console(width=max(80, min(200, Console().width))).print(table)


FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True
)


@click.command()
@db_option
@click.argument("sql")
@FORMAT
@click.option("--write", is_flag=True, help="Open the database for writing (UPDATE, DELETE, CREATE ...).")
def query(db_path, sql, fmt, write):
    """Run SQL on the database: read-only unless --write.

    Example: events query --db events.duckdb "SELECT event_root_code, count(*) FROM events GROUP BY 1"
    """
    import duckdb

    try:
        frame = summary.query(db_path, sql, write)
    except duckdb.Error as exc:
        raise click.ClickException(str(exc).splitlines()[0]) from exc
    if frame is not None:
        print_frame(frame, fmt)


@click.command()
@db_option
@FORMAT
@click.option("--warnings/--no-warnings", default=True, show_default=True, help="Include warnings.")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
def rejects(db_path, fmt, warnings, limit):
    """List input records that were rejected (and kept with warnings), with file, line and reason.

    Example: events rejects --db events.duckdb --format csv
    """
    print_frame(summary.rejects(db_path, warnings, limit), fmt)


@click.command()
@db_option
@click.option(
    "--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many dyads to list."
)
def stats(db_path, top):
    """Summary of a database: articles, sentences, events by root code and quad class, top dyads.

    Example: events stats --db events.duckdb
    """
    s = summary.stats(db_path, top)
    click.echo(f"articles:  {s.articles:,} ({s.articles_coded:,} coded)")
    click.echo(f"sentences: {s.sentences:,}")
    click.echo(f"events:    {s.events:,}")
    click.echo(f"rejects:   {s.rejects:,}")
    for title, frame in (
        ("events by CAMEO root", s.by_root),
        ("events by quad class", s.by_quad),
        ("top dyads", s.top_dyads),
    ):
        click.echo(f"\n{title}")
        print_frame(frame, "table")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def doctor(as_json):
    """Versions of events, spaCy, DuckDB and the model, and whether the model loads.

    Example: events doctor --json
    """
    info = summary.doctor()
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    for key, value in info.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        click.echo(f"{key:14} {value}")
    if not info["model"]["ok"]:
        raise click.ClickException(info["model"]["error"])


COMMANDS = [query, rejects, stats, doctor]
