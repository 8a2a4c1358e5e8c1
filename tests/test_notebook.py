from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from petition_nlp import ModelLoadError
from petition_nlp.classify import default_model_path

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "quickstart.ipynb"


def test_quickstart_notebook_runs(tmp_path):
    try:
        default_model_path()
    except ModelLoadError:
        pytest.fail("the shipped default model is missing")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = "".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
                      for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs)
    assert "personal_injury" in outputs
    assert "image/png" in "".join(str(o.get("data", {}).keys()) for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
