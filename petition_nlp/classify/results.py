"""What a prediction looks like: per-head label, calibrated confidence, explanation and the review flag."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["HeadPrediction", "Prediction"]


@dataclass(frozen=True)
class HeadPrediction:
    """One head's answer for one petition."""

    label: str
    confidence: float
    probabilities: dict[str, float]
    explanation: tuple[tuple[str, float], ...] = ()
    needs_review: bool = False

    @property
    def words(self) -> list[str]:
        """The explanation's words, strongest first."""
        return [term for term, _ in self.explanation]


@dataclass(frozen=True)
class Prediction:
    """A model's answer for one petition: one :class:`HeadPrediction` per head."""

    heads: dict[str, HeadPrediction]
    needs_review: bool
    review_reasons: tuple[str, ...] = field(default=())

    def __getitem__(self, head: str) -> HeadPrediction:
        try:
            return self.heads[head]
        except KeyError:
            raise KeyError(f"no head {head!r}; this model has {sorted(self.heads)}") from None

    def label(self, head: str) -> str:
        return self[head].label

    def explanation_text(self, words_per_head: int = 5) -> str:
        """``"domain: 盗伐, 林木; litigation: 派出所"``: the explanation as a table cell."""
        return "; ".join(f"{name}: {', '.join(h.words[:words_per_head])}" for name, h in self.heads.items() if h.words)

    def to_record(self) -> dict[str, Any]:
        """Flat columns for a table: ``H``, ``H_confidence`` per head, ``needs_review``, ``explanation``."""
        record: dict[str, Any] = {}
        for name, head in self.heads.items():
            record[name] = head.label
            record[f"{name}_confidence"] = round(head.confidence, 4)
        record["needs_review"] = self.needs_review
        record["explanation"] = self.explanation_text()
        return record

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready (used by the HTTP service)."""
        return {
            "heads": {
                name: {
                    "label": h.label,
                    "confidence": h.confidence,
                    "probabilities": h.probabilities,
                    "explanation": [{"term": t, "weight": w} for t, w in h.explanation],
                    "needs_review": h.needs_review,
                }
                for name, h in self.heads.items()
            },
            "needs_review": self.needs_review,
            "review_reasons": list(self.review_reasons),
        }
