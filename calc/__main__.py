"""`python -m calc`: the command line in calc/cli.py."""

from calc.cli import main

raise SystemExit(main())
