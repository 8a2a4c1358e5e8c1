"""petition-nlp: Chinese petition (信访) text processing for 诉访分离.

Segment and mask petition text, classify petitions by domain, litigation and procedural stage, and find
repeat petitioners.
"""

from __future__ import annotations

__version__ = "0.1.0"

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
from .text import (
    Analysis,
    DictionaryError,
    MaskedSpan,
    MaskResult,
    Segmenter,
    SegmenterConfig,
    mask_personal_data,
    normalize,
)



def load(path: str | None = None) -> PetitionModel:
    """Load a saved model directory; with no argument, the shipped default model."""
    return load_model(path)


__all__ = [
    "__version__",
    "FeatureConfig",
    "HeadConfig",
    "HeadPrediction",
    "ModelLoadError",
    "PetitionClassifier",
    "PetitionModel",
    "Prediction",
    "RepeatDetector",
    "RepeatIndex",
    "RouteSuggestion",
    "Router",
    "RoutingTable",
    "evaluate",
    "export_onnx",
    "load",
    "load_model",
    "save_model",
    "train",
    "Analysis",
    "DOMAIN_IDS",
    "DictionaryError",
    "LITIGATION_IDS",
    "Label",
    "MaskResult",
    "MaskedSpan",
    "STAGE_IDS",
    "Segmenter",
    "SegmenterConfig",
    "TAXONOMY",
    "label_info",
    "mask_personal_data",
    "normalize",
]
