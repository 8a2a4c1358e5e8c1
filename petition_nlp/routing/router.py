"""Suggested routing: classifier heads + routing table + repeat index → department, route and reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..classify import PetitionModel, load_model
from ..text import highlight_spans
from .table import Department, Route, RoutingTable

__all__ = ["Router", "RouteSuggestion"]

_IDENTITY_FIELDS = ("name", "id_number", "phone", "address")


@dataclass(frozen=True)
class RouteSuggestion:
    department: Department
    route: Route
    rule: str
    labels: dict[str, dict[str, Any]]
    confidence: float
    needs_review: bool
    reasons: list[str] = field(default_factory=list)
    explanation: dict[str, list[str]] = field(default_factory=dict)
    repeat: dict[str, Any] | None = None
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "department": {"id": self.department.id, "zh": self.department.zh},
            "route": {"id": self.route.id, "zh": self.route.zh, "description": self.route.description},
            "rule": self.rule,
            "labels": self.labels,
            "confidence": self.confidence,
            "needs_review": self.needs_review,
            "reasons": self.reasons,
            "explanation": self.explanation,
            "repeat": self.repeat,
            "highlights": [list(span) for span in self.highlights],
        }


class Router:
    """Suggest where a petition should go and why.

    ``model`` is a model directory or a loaded model (default: the shipped one); ``table`` a routing-table
    path, checked against that model's heads and labels, or a table (default: the shipped ``routing.yaml``); ``index`` an optional :class:`RepeatIndex` that
    adds the petitioner's earlier petitions.
    """

    def __init__(self, model: PetitionModel | str | Path | None = None, table: RoutingTable | str | Path | None = None,
                 index: Any = None) -> None:
        self.model = model if isinstance(model, PetitionModel) or hasattr(model, "predict_columns") else load_model(model)
        if isinstance(table, RoutingTable):
            self.table = table
        elif table is None:  # the shipped table, written for the shipped taxonomy
            self.table = RoutingTable.load()
        else:  # a user's table is checked against the labels of the model it routes for
            self.table = RoutingTable.load(table, labels={h: tuple(self.model.labels(h)) for h in self.model.head_names})
        self.index = index

    def route(self, text: str, petitioner: dict[str, Any] | None = None, register: bool = False) -> RouteSuggestion:
        """Route one petition; ``petitioner`` may hold name, id_number, phone, address, id and received_at.

        With ``register`` the record is added to the repeat index (it needs an ``id``).
        """
        return self.route_many([{"text": text, **(petitioner or {})}], register=register)[0]

    def route_many(self, items: list[dict[str, Any]], register: bool = False) -> list[RouteSuggestion]:
        for i, item in enumerate(items):
            if not isinstance(item.get("text"), str):
                raise ValueError(f"item {i}: 'text' must be a string, got {type(item.get('text')).__name__}")
        predictions = self.model.predict([item["text"] for item in items])
        return [self._suggest(item, prediction, register) for item, prediction in zip(items, predictions)]

    def _suggest(self, item: dict[str, Any], prediction: Any, register: bool) -> RouteSuggestion:
        labels = {name: head.label for name, head in prediction.heads.items()}
        rule = self.table.match(labels)
        used = [name for name in rule.when if name in prediction.heads] or list(prediction.heads)
        confidence = min(prediction[name].confidence for name in used)
        reasons = [f"{name} = {head.label} ({head.confidence:.2f})" + (f": {', '.join(head.words[:5])}" if head.words else "")
                   for name, head in prediction.heads.items()]
        reasons.append(f"rule: {rule.name}")
        review_reasons = list(prediction.review_reasons)
        if not rule.when:
            review_reasons.append("no specific routing rule applies")
        repeat = None
        if register and self.index is None:
            raise ValueError("registering a petition needs a router with a repeat index")
        # A petition is registered even without identity fields (it can still be found by its id later); it is
        # only matched against earlier ones when it has some.
        if self.index is not None and (register or any(item.get(f) for f in _IDENTITY_FIELDS)):
            record = {**item, "domain": labels.get("domain")}
            if register:
                if not item.get("id"):
                    raise ValueError("registering a petition in the repeat index needs an 'id'")
                match = self.index.add(record)
            else:
                match = self.index.match(record)
            repeat = match.to_dict()
            if not match.new_petitioner:
                reasons.append(f"petitioner seen before ({len(match.prior_petitions)} earlier petitions, "
                               f"match probability {match.match_probability:.2f})")
                if match.is_repeat:
                    reasons.append(f"repeat petition (重复信访) of {match.repeat_of}")
        return RouteSuggestion(
            department=rule.department,
            route=rule.route,
            rule=rule.name,
            labels={name: {"label": head.label, "confidence": round(head.confidence, 4)} for name, head in prediction.heads.items()},
            confidence=round(confidence, 4),
            needs_review=bool(review_reasons),
            reasons=reasons + [f"review: {r}" for r in review_reasons],
            explanation={name: head.words for name, head in prediction.heads.items()},
            repeat=repeat,
            highlights=highlight_spans(item["text"], [w for head in prediction.heads.values() for w in head.words]),
        )
