"""`events export`: write the events for BI tools, in our layout or GDELT's, ICEWS's or PLOVER's."""

from __future__ import annotations

import datetime as dt

import click
import duckdb

from events.commands.options import db_option
from events.errors import ExportError
from events.layouts import DIMENSION_TABLES, FORMATS, LAYOUTS
from events.store import StoreError

# `--format gdelt` is short for `--format parquet --layout gdelt`.
LAYOUT_FORMATS = tuple(name for name in LAYOUTS if name != "native")

TABLE_LABELS = {
    "events": "events",
    "aggregates": "aggregated events",
    "actors": "actors",
    "cameo_codes": "CAMEO codes",
    "gdelt_events": "GDELT events",
    "gdelt_mentions": "GDELT mentions",
    "icews": "ICEWS events",
    "plover": "PLOVER events",
}


@click.command("export")
@db_option
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, *LAYOUT_FORMATS]),
    default="parquet",
    show_default=True,
    help="File format; gdelt, gdelt-mentions, icews and plover are Parquet in that layout.",
)
@click.option(
    "--layout",
    type=click.Choice(list(LAYOUTS)),
    default=None,
    help="Column layout for parquet, csv and jsonl (default: native).",
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only events on or after this date.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Only events on or before this date.")
@click.option(
    "--since-last",
    is_flag=True,
    help="Only what was coded since the previous export to the same folder, format and layout.",
)
@click.option(
    "--one-a-day",
    is_flag=True,
    help="Phoenix's filter: one mention per date, source, target and event code (the event's root mention).",
)
@click.option(
    "--overwrite", is_flag=True, help="Write into a non-empty folder that events export did not create."
)
def export_command(
    db_path: str,
    out_dir: str,
    fmt: str,
    layout: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    since_last: bool,
    one_a_day: bool,
    overwrite: bool,
) -> None:
    """Export events as Parquet (zstd), CSV or JSONL, natively or in the GDELT 2.0, ICEWS or PLOVER layout.

    Examples:

        events export --db events.duckdb --out parquet/ --since 2024-01-01

        events export --db events.duckdb --out feeds/ --format gdelt --since-last

        events export --db events.duckdb --out feeds/ --format csv --layout icews
    """
    from events.export import ExportOptions, export  # Arrow datasets load only when exporting

    fmt, layout = _format_and_layout(fmt, layout)
    options = ExportOptions(
        fmt=fmt,
        layout=layout,
        since=since and since.date(),
        until=until and until.date(),
        since_last=since_last,
        one_a_day=one_a_day,
        overwrite=overwrite,
    )
    try:
        result = export(db_path, out_dir, options)
    except (ExportError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    except (OSError, duckdb.Error) as exc:
        raise click.ClickException(f"export failed: {str(exc).splitlines()[0]}") from exc
    _report(result)


def _format_and_layout(fmt: str, layout: str | None) -> tuple[str, str]:
    """`--format gdelt` means Parquet in the gdelt layout; any other --layout with it is a contradiction."""
    if fmt in LAYOUT_FORMATS:
        if layout not in (None, fmt):
            raise click.ClickException(
                f"--format {fmt} already is a layout; use --format parquet|csv|jsonl --layout {layout}"
            )
        return "parquet", fmt
    return fmt, layout or "native"


def _report(result) -> None:
    """One line per table, main table first: `N events written to OUT/events (F files)`."""
    for table in result.tables:
        label = TABLE_LABELS.get(table.name, table.name)
        new = result.incremental and table.name not in DIMENSION_TABLES
        note = ", new since the last export" if new else ""
        click.echo(f"{table.rows:,} {label} written to {table.path} ({table.files} files{note})")


COMMANDS = [export_command]
