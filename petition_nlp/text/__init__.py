"""The Chinese text pipeline: normalisation, personal-data masking and segmentation."""

from .dictionary import DictionaryError, read_dictionary
from .highlight import highlight_spans
from .masking import MaskedSpan, MaskResult, mask_personal_data
from .normalize import normalize
from .segment import Analysis, Segmenter, SegmenterConfig

__all__ = [
    "Analysis",
    "DictionaryError",
    "MaskResult",
    "MaskedSpan",
    "Segmenter",
    "SegmenterConfig",
    "highlight_spans",
    "mask_personal_data",
    "normalize",
    "read_dictionary",
]
