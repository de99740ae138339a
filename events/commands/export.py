"""`events export`: write the events for BI tools."""

from __future__ import annotations

import click

from events.commands.options import db_option
from events.export import export_parquet


@click.command("export")
@db_option
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--format", "fmt", type=click.Choice(["parquet"]), default="parquet", show_default=True)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only events on or after this date.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Only events on or before this date.")
def export(db_path, out_dir, fmt, since, until):
    """Export events as Parquet (zstd), partitioned by year and month of event_date.

    Example: events export --db events.duckdb --out parquet/ --since 2024-01-01
    """
    result = export_parquet(db_path, out_dir, since and since.date(), until and until.date())
    click.echo(f"{result.rows:,} events written to {result.path} ({result.files} files)")


COMMANDS = [export]
