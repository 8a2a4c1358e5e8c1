"""Petition classification: features, calibrated heads, multi-head models, training, evaluation, persistence.

Names are imported on first use: labelling with a saved model needs neither scikit-learn nor the training code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

_EXPORTS = {
    "FeatureConfig": ".feature_transform",
    "FeatureTransform": ".feature_transform",
    "HeadConfig": ".scoring",
    "HeadPrediction": ".results",
    "LinearHead": ".head",
    "LinearScorer": ".scoring",
    "ModelLoadError": ".persistence",
    "PetitionClassifier": ".estimator",
    "PetitionModel": ".model",
    "Prediction": ".results",
    "TextFeaturizer": ".features",
    "TransformerConfig": ".transformer",
    "TransformerModel": ".transformer",
    "default_model_path": ".persistence",
    "evaluate": ".evaluation",
    "expected_calibration_error": ".evaluation",
    "export_onnx": ".transformer",
    "load_model": ".persistence",
    "save_model": ".persistence",
    "train": ".training",
    "train_transformer": ".transformer",
}
__all__ = [
    "FeatureConfig", "FeatureTransform", "HeadConfig", "HeadPrediction", "LinearHead", "LinearScorer",
    "ModelLoadError", "PetitionClassifier", "PetitionModel", "Prediction", "TextFeaturizer", "TransformerConfig",
    "TransformerModel", "default_model_path", "evaluate", "expected_calibration_error", "export_onnx", "load_model",
    "save_model", "train", "train_transformer",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # what static tools see; at run time each name is imported on first use
    from .estimator import PetitionClassifier
    from .evaluation import evaluate, expected_calibration_error
    from .feature_transform import FeatureConfig, FeatureTransform
    from .features import TextFeaturizer
    from .head import LinearHead
    from .model import PetitionModel
    from .persistence import ModelLoadError, default_model_path, load_model, save_model
    from .results import HeadPrediction, Prediction
    from .scoring import HeadConfig, LinearScorer
    from .training import train
    from .transformer import TransformerConfig, TransformerModel, export_onnx, train_transformer
