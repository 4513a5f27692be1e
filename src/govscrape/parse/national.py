"""The three national tables as readers: 二 (active disclosure), 三 (requests), 四 (review/litigation).

Each turns what it collected into canonical cells once the document has been read. In a grid
whose header locates every column, a row's cells are taken from under their headers (so spare
empty columns and a 小计 column anywhere do not shift them); otherwise, and in text, rows with
the right number of cells are read as they stand, surplus cells are a parse.cell_count finding,
short rows are placed by arithmetic only when exactly one placement fits, else left unread.
The readers live in active_table.py, requests_table.py and review_table.py.
"""

from __future__ import annotations

from govscrape.parse.active_table import ActiveTable
from govscrape.parse.requests_table import RequestsTable
from govscrape.parse.review_table import ReviewTable
from govscrape.parse.table_outcome import Outcome

__all__ = ["ActiveTable", "Outcome", "RequestsTable", "ReviewTable"]
