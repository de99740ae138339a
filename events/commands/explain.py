"""`events explain`: why an event row exists."""

from __future__ import annotations

import json

import click

from events.commands.options import db_option
from events.explain import EventNotFound, explain, render


@click.command("explain")
@click.argument("event_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def explain_command(event_id, db_path, as_json):
    """Show the sentence, the pattern and dictionary entries, the date and place behind one event.

    Example: events explain 3f9a1c2b7d4e5f60 --db events.duckdb
    """
    try:
        info = explain(db_path, event_id)
    except EventNotFound as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(info, indent=2, default=str) if as_json else render(info))


COMMANDS = [explain_command]
