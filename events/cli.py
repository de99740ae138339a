"""The `events` command line: a thin layer over the Python API (events.pipeline, events.export, ...).

Each command group lives in `events/commands/`; this module only assembles them and turns errors into one line.
"""

from __future__ import annotations

import sys

import click

from events import __version__
from events.commands import coding, database, evaluate, explain, export
from events.errors import UserError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="events")
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected error.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn news articles into a CAMEO-coded database of political events.

    Example: events run articles.jsonl --db events.duckdb
    """
    ctx.obj = {"debug": debug}


for group in (coding, database, evaluate, explain, export):
    for command in group.COMMANDS:
        cli.add_command(command)


def main() -> None:
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except UserError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # no traceback reaches the user unless asked for
        if debug:
            raise
        click.echo(
            f"error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
            "(run with --debug for details)",
            err=True,
        )
        sys.exit(1)
