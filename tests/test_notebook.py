"""The analysis notebook runs from top to bottom on a small dataset built from reports."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from datasets_factory import build_known_dataset
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "analysis.ipynb"


def test_analysis_notebook_runs_on_the_datasets(tmp_path, monkeypatch):
    data = build_known_dataset(tmp_path / "data")
    monkeypatch.setenv("GOVSCRAPE_DATA", str(data))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # "python3" resolves to the running interpreter (jupyter_client maps it to sys.executable).
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=120,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    try:
        client.execute()
    except Exception as exc:  # show the failing cell's error, not nbclient's wrapper only
        pytest.fail(f"the notebook failed: {exc}")
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    text = "".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs
    )
    assert "zero_but_columns_sum" in text and "no_report" in text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 3  # outcome shares, denial reasons, year over year
