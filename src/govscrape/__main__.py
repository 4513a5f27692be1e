"""`python -m govscrape` runs the command line."""

import sys

from govscrape.cli import main

sys.exit(main())
