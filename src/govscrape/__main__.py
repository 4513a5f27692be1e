"""`python -m govscrape` runs the command line."""

import sys

from govscrape.cli.main import main

sys.exit(main())
