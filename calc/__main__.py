"""`python -m calc`: the command line in calc/cli/commands.py."""

from calc.cli.commands import main

raise SystemExit(main())
