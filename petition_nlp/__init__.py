"""petition-nlp: Chinese petition (信访) text processing for 诉访分离.

Segment and mask petition text, classify petitions by domain, litigation and procedural stage, and find
repeat petitioners. Names are imported on first use, so a command starts without loading what it does not use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    **{name: ".classify" for name in (
        "FeatureConfig", "HeadConfig", "HeadPrediction", "ModelLoadError", "PetitionClassifier", "PetitionModel",
        "Prediction", "evaluate", "export_onnx", "load_model", "save_model", "train",
    )},
    "RepeatDetector": ".repeats",
    "RepeatIndex": ".repeats",
    "RouteSuggestion": ".routing",
    "Router": ".routing",
    "RoutingTable": ".routing",
    **{name: ".taxonomy" for name in ("DOMAIN_IDS", "LITIGATION_IDS", "STAGE_IDS", "TAXONOMY", "Label", "label_info")},
    **{name: ".text" for name in (
        "Analysis", "DictionaryError", "MaskResult", "MaskedSpan", "Segmenter", "SegmenterConfig",
        "mask_personal_data", "normalize",
    )},
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # what static tools see; at run time each name is imported on first use
    from .classify import (
        FeatureConfig,
        HeadConfig,
        HeadPrediction,
        ModelLoadError,
        PetitionClassifier,
        PetitionModel,
        Prediction,
        evaluate,
        export_onnx,
        load_model,
        save_model,
        train,
    )
    from .repeats import RepeatDetector, RepeatIndex
    from .routing import Router, RouteSuggestion, RoutingTable
    from .taxonomy import DOMAIN_IDS, LITIGATION_IDS, STAGE_IDS, TAXONOMY, Label, label_info
    from .text import Analysis, DictionaryError, MaskedSpan, MaskResult, Segmenter, SegmenterConfig, mask_personal_data, normalize


def load(path: str | None = None) -> PetitionModel:
    """Load a saved model directory; with no argument, the shipped default model."""
    from .classify import load_model

    return load_model(path)


__all__ = [
    "__version__", "load", "Analysis", "DOMAIN_IDS", "DictionaryError", "FeatureConfig", "HeadConfig",
    "HeadPrediction", "LITIGATION_IDS", "Label", "MaskResult", "MaskedSpan", "ModelLoadError", "PetitionClassifier",
    "PetitionModel", "Prediction", "RepeatDetector", "RepeatIndex", "RouteSuggestion", "Router", "RoutingTable",
    "STAGE_IDS", "Segmenter", "SegmenterConfig", "TAXONOMY", "evaluate", "export_onnx", "label_info", "load_model",
    "mask_personal_data", "normalize", "save_model", "train",
]
