"""The command line (`python -m calc`, `prompt-or-finetune`): one module per subcommand group."""

from calc.cli.commands import main

__all__ = ["main"]
