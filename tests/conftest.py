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


CORPUS = REPO / "data" / "corpus" / "petitions.jsonl"


@pytest.fixture(scope="session")
def corpus():
    import pandas as pd

    return pd.read_json(CORPUS, lines=True, dtype=False)


@pytest.fixture(scope="session")
def small_train(corpus):
    """A stratified quarter of the authored training split: enough to learn, quick to fit."""
    from sklearn.model_selection import train_test_split

    train = corpus[corpus["split"] == "train"]
    return train_test_split(train, train_size=0.35, stratify=train["domain"], random_state=0)[0]


@pytest.fixture(scope="session")
def fitted_model(small_train):
    from petition_nlp import train

    return train(small_train, ["domain", "litigation", "stage"], progress=False)


@pytest.fixture(scope="session")
def saved_model(fitted_model, tmp_path_factory):
    from petition_nlp import save_model

    return save_model(fitted_model, tmp_path_factory.mktemp("model") / "m")
