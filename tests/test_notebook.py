"""The analysis notebook runs from top to bottom: on a small dataset with known answers, and on
the demo data it reads by default (built here by the demo, as `govscrape demo` does)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from datasets_factory import build_known_dataset
from nbclient import NotebookClient

from govscrape.demo.run import run_demo

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "analysis.ipynb"
CHARTS = 3  # outcome shares, denial reasons, year over year


def execute(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    """Run the notebook on `data`; its text output and the number of charts."""
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
    return text, sum("image/png" in o.get("data", {}) for o in outputs)


def test_analysis_notebook_runs_on_a_dataset_with_known_answers(tmp_path, monkeypatch):
    text, charts = execute(build_known_dataset(tmp_path / "data"), tmp_path, monkeypatch)
    assert "zero_but_columns_sum" in text and "no_report" in text
    assert "blocked" in text  # the crawl status of a site that could not be seen
    assert charts == CHARTS


@pytest.mark.slow
def test_analysis_notebook_runs_on_the_demo_data(tmp_path, monkeypatch):
    data = tmp_path / "demo"
    run_demo(data, echo=lambda line: None)
    text, charts = execute(data, tmp_path, monkeypatch)
    assert "zero_but_columns_sum" in text and "government (n=" in text
    assert charts == CHARTS
