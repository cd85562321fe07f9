"""The command line: the ``gunstats`` group, and each command loaded only when it runs.

Each command lives in its own module (``cli_report``, ``cli_chart``, ``cli_summary``,
``cli_check``, ``cli_areas``, ``cli_data``) and calls load -> compute -> render. Shared
options live in :mod:`gunstats.params`, checks of the selection in :mod:`gunstats.selection`,
where the text goes in :mod:`gunstats.delivery`, and errors become exit codes in
:mod:`gunstats.exits`. Data goes to stdout, messages to stderr.
"""

from __future__ import annotations

import importlib

import click

from gunstats import __version__
from gunstats.errors import closest, shorten
from gunstats.exits import run

COMMANDS = {
    "report": "gunstats.cli_report:report",
    "chart": "gunstats.cli_chart:chart",
    "summary": "gunstats.cli_summary:summary",
    "validate": "gunstats.cli_check:validate",
    "metrics": "gunstats.cli_check:metrics",
    "areas": "gunstats.cli_areas:areas",
    "import": "gunstats.cli_data:import_command",
    "set": "gunstats.cli_data:set_command",
    "schema": "gunstats.cli_data:schema",
}
"""Each command's name and where it is declared: a run imports only the module of the command
it runs (declaring every command's options cost about 3% of start-up)."""


class LazyGroup(click.Group):
    """A group whose commands are imported when asked for: the pattern of Click's documentation
    ("Lazily Loading Subcommands"), through the public ``list_commands`` and ``get_command``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # Click suggests a near miss only among the commands it has loaded (none, here).
        name = args[0] if args else ""
        unknown = name and name[0] != "-" and self.get_command(ctx, name) is None
        if unknown and not ctx.resilient_parsing:
            match = closest(name, self.list_commands(ctx))
            hint = f" Did you mean {match!r}?" if match else ""
            ctx.fail(f"No such command {shorten(name)!r}.{hint}")
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, name = COMMANDS[cmd_name].split(":")
        command = getattr(importlib.import_module(module), name)
        if not isinstance(command, click.Command):  # a slip in COMMANDS, found by the tests
            raise TypeError(f"{COMMANDS[cmd_name]} is not a command")
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="gunstats")
@click.option("--debug", is_flag=True, help="Show a traceback for errors (for bug reports).")
def cli(debug: bool) -> None:
    """Gun-crime figures from a YAML file, with their changes computed right.

    \b
    Example:
        gunstats report                      # table in a terminal, Markdown in a pipe
        gunstats report --format json -o figures.json
        gunstats validate -f figures.yaml
    """


def main(argv: list[str] | None = None) -> None:
    """Entry point (the ``gunstats`` script): run the commands, owning every exit code."""
    run(cli, argv)
