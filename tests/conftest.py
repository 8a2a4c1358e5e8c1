from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def segmenter():
    from petition_nlp import Segmenter

    return Segmenter()


def shared_file(relative: str) -> Path:
    """A file under ../shared/data, or skip the test where the shared data is absent."""
    path = SHARED_DATA / relative
    if not path.is_file():
        pytest.skip(f"shared data not available: {path}")
    return path
