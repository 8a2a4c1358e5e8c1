"""Repeat petitioners: identity normalisation, person linkage (splink), same-matter detection, intake index."""

from .detector import OUTPUT_COLUMNS, RepeatDetector
from .identity import name_pinyin, normalize_id_number, normalize_name, normalize_phone, parse_address
from .index import IndexMatch, RepeatIndex
from .linkage import LinkageConfig
from .prepare import RegisterColumns

__all__ = [
    "IndexMatch",
    "LinkageConfig",
    "OUTPUT_COLUMNS",
    "RegisterColumns",
    "RepeatDetector",
    "RepeatIndex",
    "name_pinyin",
    "normalize_id_number",
    "normalize_name",
    "normalize_phone",
    "parse_address",
]
