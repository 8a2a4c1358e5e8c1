"""Petition classification: features, calibrated heads, multi-head models, training, evaluation, persistence."""

from .evaluation import evaluate, expected_calibration_error
from .features import FeatureConfig, TextFeaturizer
from .head import HeadConfig, LinearHead
from .model import PetitionClassifier, PetitionModel
from .persistence import ModelLoadError, default_model_path, load_model, save_model
from .results import HeadPrediction, Prediction
from .training import train
from .transformer import TransformerConfig, TransformerModel, export_onnx, train_transformer

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
    "TransformerConfig",
    "TransformerModel",
    "default_model_path",
    "evaluate",
    "expected_calibration_error",
    "export_onnx",
    "load_model",
    "save_model",
    "train",
    "train_transformer",
]
