"""The `events` command line: a thin layer over the Python API (events.pipeline, events.export, ...).

Each command group lives in `events/commands/`; this module only assembles them and turns errors into one line.
"""

from __future__ import annotations

import contextlib
import os
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
    code = _run(debug="--debug" in sys.argv[1:])
    # Every connection is closed and every transaction committed by now. Freeing the loaded model, gazetteer and
    # dictionaries one object at a time would take the interpreter about 0.4 s more, for memory the OS reclaims
    # anyway, so the process leaves without that teardown.
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe (`events ... | head`) takes nothing more.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _run(debug: bool) -> int:
    """Run the command line; the exit code, with every error turned into one line (unless `debug`)."""
    try:
        returned = cli.main(standalone_mode=False)
    except SystemExit as exc:  # as the interpreter would: None is success, a message is printed and fails
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        click.echo(str(exc.code), err=True)
        return 1
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except UserError as exc:
        click.echo(f"error: {exc}", err=True)
        return 1
    except Exception as exc:  # no traceback reaches the user unless asked for
        if debug:
            raise
        click.echo(
            f"error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
            "(run with --debug for details)",
            err=True,
        )
        return 1
    return returned if isinstance(returned, int) else 0
