"""Petition classification: features, calibrated heads, multi-head models, training, evaluation, persistence."""

from .evaluation import evaluate, expected_calibration_error
from .features import FeatureConfig, TextFeaturizer
from .head import HeadConfig, LinearHead
from .model import PetitionClassifier, PetitionModel
from .persistence import ModelLoadError, default_model_path, load_model, save_model
from .results import HeadPrediction, Prediction
from .training import train

__all__ = [
    "FeatureConfig",
    "HeadConfig",
    "HeadPrediction",
    "LinearHead",
    "ModelLoadError",
    "PetitionClassifier",
    "PetitionModel",
    "Prediction",
    "TextFeaturizer",
    "default_model_path",
    "evaluate",
    "expected_calibration_error",
    "load_model",
    "save_model",
    "train",
]
