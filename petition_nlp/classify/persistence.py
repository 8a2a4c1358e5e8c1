"""Saving and loading models as directories: meta.json, JSON vocabularies, safetensors arrays, the lexicon.

Nothing is pickled: loading a model never executes code from the model directory. Every file's SHA-256 is
recorded in meta.json and checked on load, so a modified or truncated file is reported, not silently used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import load_file, save_file

from .. import __version__
from ..text.dictionary import default_lexicon_path
from .feature_transform import FeatureTransform
from .scoring import LinearScorer
from .model import PetitionModel

__all__ = ["FORMAT_VERSION", "ModelLoadError", "check_model_dir", "remove_previous_model_files", "save_model", "load_model",
           "default_model_path"]

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
MODEL_TYPE = "petition-nlp/linear"
# Fine-tuned encoders (petition_nlp.classify.transformer, optional extra "transformer"); load_model dispatches on it.
TRANSFORMER_MODEL_TYPE = "petition-nlp/transformer"
_FILES = ("features.json", "heads.json", "weights.safetensors")


class ModelLoadError(ValueError):
    """A model directory is missing, from an incompatible version, or was modified after saving."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def meta_header(model_type: str) -> dict[str, Any]:
    """The fields every model's meta.json starts with: type, format and library version, creation time."""
    return {
        "model_type": model_type,
        "format_version": FORMAT_VERSION,
        "library_version": __version__,
        "python_version": sys.version.split()[0],
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }


def verify_checksums(directory: Path, files: dict[str, str]) -> None:
    """Check every file listed in meta.json against its recorded SHA-256."""
    for name, expected in files.items():
        file_path = directory / name
        if not file_path.is_file():
            raise ModelLoadError(f"{directory}: {name} is missing")
        if _sha256(file_path) != expected:
            raise ModelLoadError(f"{directory}: {name} was modified after the model was saved (checksum mismatch)")


def check_model_dir(path: str | Path, overwrite: bool = False) -> None:
    """Raise unless ``path`` may receive a model: it is new or empty, or holds a model and ``overwrite`` is set.

    A folder with other files is never written into: saving replaces files by name, and a model's
    ``dictionaries/`` subfolder is rewritten as a whole.
    """
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} is a file; a model is saved as a directory")
    if not out.exists() or not any(out.iterdir()):
        return
    if not (out / "meta.json").is_file():
        raise FileExistsError(f"{out} is not empty and holds no petition-nlp model; choose a new or empty directory")
    if not overwrite:
        raise FileExistsError(f"{out} already holds a model; pass overwrite=True (--force on the command line) to "
                              "replace it")


def remove_previous_model_files(out: Path) -> None:
    """Delete the files that the model saved earlier in ``out`` lists, so that replacing a model (a transformer
    by a linear one, say) leaves none of its files behind, and no stale one is checksummed into the new model.
    Other files are never touched."""
    meta_path = out / "meta.json"
    if not meta_path.is_file():
        return
    try:
        files = json.loads(meta_path.read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError):
        return
    for name in files:
        target = out / name
        if target.is_file() and out.resolve() in target.resolve().parents:
            target.unlink()


def save_model(
    model: PetitionModel, path: str | Path, extra_meta: dict[str, Any] | None = None, *, overwrite: bool = False
) -> Path:
    """Write ``model`` to the directory ``path``: a new or empty one, or, with ``overwrite``, one holding a model
    (whose files are replaced)."""
    if getattr(model, "MODEL_TYPE", MODEL_TYPE) != MODEL_TYPE:  # a transformer model writes its own layout
        return model.save(path, extra_meta, overwrite=overwrite)
    model._check()
    check_model_dir(path, overwrite)
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    feature_state, arrays = model.featurizer_.to_state()
    seg = feature_state["config"]["segmenter"]
    # The model keeps its own copy of every dictionary, so it segments the same way wherever it is loaded.
    # They are read before the folder is cleared: a user dictionary may live in it (retraining in place).
    contents = {}
    if seg.get("lexicon"):
        contents["dictionaries/lexicon.txt"] = default_lexicon_path().read_bytes()
    for i, user_dict in enumerate(seg.get("user_dicts", [])):
        # A model's own copy (retraining in place) keeps its name instead of gaining a second prefix.
        name = re.sub(r"^user_\d+_", "", Path(user_dict).name)
        contents[f"dictionaries/user_{i}_{name}"] = Path(user_dict).read_bytes()
    remove_previous_model_files(out)
    dictionaries = out / "dictionaries"
    if dictionaries.exists():
        shutil.rmtree(dictionaries)
    dictionaries.mkdir()
    for name, content in contents.items():
        (out / name).write_bytes(content)
    copied = list(contents)
    feature_state["dictionaries"] = copied
    head_states = {}
    for name, head in model.heads_.items():
        state, head_arrays = head.to_state(name)
        head_states[name] = state
        arrays.update(head_arrays)
    (out / "features.json").write_text(json.dumps(feature_state, ensure_ascii=False), encoding="utf-8")
    (out / "heads.json").write_text(json.dumps(head_states, ensure_ascii=False, indent=1), encoding="utf-8")
    save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(out / "weights.safetensors"))
    files = {name: _sha256(out / name) for name in (*_FILES, *copied)}
    written = {
        **meta_header(MODEL_TYPE),
        "heads": {name: {"labels": state["labels"], "review_threshold": state["review_threshold"]}
                  for name, state in head_states.items()},
        "explanation_words": model.explanation_words,
    }
    # What the model carries from training (data, metrics) is kept; its version and time are this save's.
    meta = {**written, **{k: v for k, v in (model.meta or {}).items() if k not in written},
            **(extra_meta or {}), "files": files}
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    logger.info("saved model with heads %s to %s", list(head_states), out)
    return out


def default_model_path() -> Path:
    """Where the shipped default model is: $PETITION_NLP_MODEL, the source tree, or the installed data files
    (under the environment's prefix, the prefix the package was installed to, or the user's base)."""
    chosen = os.environ.get("PETITION_NLP_MODEL")
    if chosen:  # a mistyped path must not quietly serve another model
        if not (Path(chosen) / "meta.json").is_file():
            raise ModelLoadError(f"PETITION_NLP_MODEL is {chosen!r}, which holds no model (no meta.json there)")
        return Path(chosen)
    import site
    import sysconfig

    package = Path(__file__).resolve().parents[1]
    data = Path("share") / "petition-nlp" / "models" / "default"
    candidates = [package.parent / "models" / "default", Path(sys.prefix) / data, Path(sysconfig.get_paths()["data"]) / data,
                  # pip install --prefix P puts the package in P/lib/pythonX.Y/site-packages, the model in P/share
                  package.parents[3] / data if len(package.parents) > 3 else None,
                  Path(site.getuserbase()) / data]
    candidates = list(dict.fromkeys(c for c in candidates if c is not None))
    for candidate in candidates:
        if (candidate / "meta.json").is_file():
            return candidate
    raise ModelLoadError(
        "the default model was not found in " + ", ".join(str(c) for c in candidates)
        + "; install petition-nlp from its source tree, set PETITION_NLP_MODEL, or pass a model directory"
    )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelLoadError(f"{path}: cannot read ({exc})") from exc


def load_model(path: str | Path | None = None, verify: bool = True) -> PetitionModel:
    """Load a model directory written by :func:`save_model` (the shipped default model when ``path`` is None)."""
    directory = default_model_path() if path is None else Path(path)
    meta_path = directory / "meta.json"
    if not meta_path.is_file():
        raise ModelLoadError(f"{directory} is not a petition-nlp model directory: meta.json is missing")
    meta = _read_json(meta_path)
    if not isinstance(meta, dict):
        raise ModelLoadError(f"{meta_path}: expected a JSON object, got {type(meta).__name__}")
    if meta.get("model_type") == TRANSFORMER_MODEL_TYPE:
        from .transformer import load_transformer

        return load_transformer(directory, verify=verify)
    if meta.get("model_type") != MODEL_TYPE:
        raise ModelLoadError(f"{directory}: model type {meta.get('model_type')!r} is not {MODEL_TYPE!r}")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelLoadError(
            f"{directory}: saved in model format {meta.get('format_version')!r} by petition-nlp "
            f"{meta.get('library_version')!r}; this petition-nlp {__version__} reads format {FORMAT_VERSION}"
        )
    files = meta.get("files", {})
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise ModelLoadError(f"{meta_path}: 'files' must map file names to SHA-256 checksums")
    for name in files:
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise ModelLoadError(f"{meta_path}: 'files' names {name!r}, outside the model directory")
    for name in _FILES:
        if name not in files:
            raise ModelLoadError(f"{directory}: meta.json lists no checksum for {name}")
    if verify:
        verify_checksums(directory, files)
    feature_state = _read_json(directory / "features.json")
    head_states = _read_json(directory / "heads.json")
    for name, state in (("features.json", feature_state), ("heads.json", head_states)):
        if not isinstance(state, dict):
            raise ModelLoadError(f"{directory / name}: expected a JSON object, got {type(state).__name__}")
    if not head_states:
        raise ModelLoadError(f"{directory / 'heads.json'}: the model has no heads")
    try:
        arrays = load_file(str(directory / "weights.safetensors"))
    except Exception as exc:  # safetensors raises its own error types for corrupt files
        raise ModelLoadError(f"{directory}: weights.safetensors cannot be read ({exc})") from exc
    try:
        seg = feature_state["config"]["segmenter"]
        seg["lexicon"] = False
        seg["user_dicts"] = [str(directory / name) for name in feature_state.get("dictionaries", [])]
    except (KeyError, TypeError, AttributeError) as exc:
        raise ModelLoadError(f"{directory / 'features.json'}: no segmenter settings under config ({exc!r})") from None
    missing = [name for name in seg["user_dicts"] if not Path(name).is_file()]
    if missing:
        raise ModelLoadError(f"{directory}: dictionary {missing[0]} is missing")
    try:
        featurizer = FeatureTransform.from_state(feature_state, arrays)
        heads = {name: LinearScorer.from_state(name, state, arrays) for name, state in head_states.items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelLoadError(f"{directory}: model files are inconsistent ({exc!r})") from exc
    for name, head in heads.items():
        if head.coef_.shape[1] != len(featurizer.feature_names_):
            raise ModelLoadError(f"{directory}: head {name!r} expects {head.coef_.shape[1]} features, "
                                 f"the vocabulary has {len(featurizer.feature_names_)}")
    explanation_words = meta.get("explanation_words", 8)
    if not isinstance(explanation_words, int) or explanation_words < 0:
        raise ModelLoadError(f"{meta_path}: explanation_words must be a non-negative integer, got {explanation_words!r}")
    model = PetitionModel(featurizer.config, None, explanation_words)
    model.featurizer_, model.heads_ = featurizer, heads
    model.meta = {k: v for k, v in meta.items() if k != "files"}
    model.path = directory
    return model
