"""The routing table: rules from labels to a department and a procedural route, read from YAML and validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..taxonomy import TAXONOMY

__all__ = ["RoutingError", "Department", "Route", "Rule", "RoutingTable", "default_routing_path"]


class RoutingError(ValueError):
    """A routing table could not be read; the message names the file and the bad entry."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping: the second would silently win (a rule's
    department typed twice, a second ``rules:`` block replacing the first)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"key {key!r} appears twice in one mapping",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


@dataclass(frozen=True)
class Department:
    id: str
    zh: str


@dataclass(frozen=True)
class Route:
    id: str
    zh: str
    description: str


@dataclass(frozen=True)
class Rule:
    name: str
    when: dict[str, frozenset[str]]
    department: Department
    route: Route

    def matches(self, labels: dict[str, str]) -> bool:
        return all(labels.get(head) in accepted for head, accepted in self.when.items())


_RULE_KEYS = frozenset({"name", "when", "department", "route"})
_ROUTE_KEYS = frozenset({"zh", "description"})
_DEPARTMENT_KEYS = frozenset({"id", "zh"})


def _unknown_keys(spec: dict[Any, Any], allowed: frozenset[str]) -> list[str]:
    return sorted(map(str, set(spec) - allowed))


def default_routing_path() -> Path:
    return Path(str(resources.files("petition_nlp") / "resources" / "routing.yaml"))


@dataclass
class RoutingTable:
    rules: list[Rule]
    routes: dict[str, Route] = field(default_factory=dict)
    source: str = "<memory>"

    @classmethod
    def load(cls, path: str | Path | None = None, labels: dict[str, tuple[str, ...]] | None = None) -> RoutingTable:
        """Read and validate a routing table (the shipped default when ``path`` is None).

        ``labels`` gives the accepted label ids per head (default: the taxonomy's), so a table written for a
        custom label set is checked against that set.
        """
        source = Path(path) if path is not None else default_routing_path()
        try:
            data = yaml.load(source.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader)
        except FileNotFoundError:
            raise RoutingError(f"routing table not found: {source}") from None
        except UnicodeDecodeError as exc:
            raise RoutingError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8") from None
        except yaml.YAMLError as exc:
            raise RoutingError(f"{source}: not valid YAML ({exc})") from exc
        return cls.from_dict(data, str(source), labels)

    @classmethod
    def from_dict(cls, data: Any, source: str = "<memory>", labels: dict[str, tuple[str, ...]] | None = None) -> RoutingTable:
        allowed = labels or {head: tuple(l.id for l in values) for head, values in TAXONOMY.items()}
        if not isinstance(data, dict):
            raise RoutingError(f"{source}: expected a mapping with 'routes' and 'rules', got {type(data).__name__}")
        raw_routes = data.get("routes")
        if not isinstance(raw_routes, dict) or not raw_routes:
            raise RoutingError(f"{source}: 'routes' must be a non-empty mapping of route id → {{zh, description}}")
        routes = {}
        for route_id, spec in raw_routes.items():
            if not isinstance(spec, dict) or not spec.get("zh"):
                raise RoutingError(f"{source}: route {route_id!r} needs a 'zh' name")
            unknown = _unknown_keys(spec, _ROUTE_KEYS)
            if unknown:
                # In a flow mapping ({zh: ..., description: a, b}) an unquoted comma starts a new key.
                raise RoutingError(f"{source}: route {route_id!r}: unknown key(s) {unknown}; a route has "
                                   f"{sorted(_ROUTE_KEYS)} (quote a description that holds a comma)")
            routes[route_id] = Route(str(route_id), str(spec["zh"]), str(spec.get("description", "")))
        raw_rules = data.get("rules")
        if not isinstance(raw_rules, list) or not raw_rules:
            raise RoutingError(f"{source}: 'rules' must be a non-empty list")
        rules = []
        for number, spec in enumerate(raw_rules, start=1):
            where = f"{source}: rule {number}"
            if not isinstance(spec, dict):
                raise RoutingError(f"{where}: expected a mapping, got {type(spec).__name__}")
            where += f" ({spec.get('name', 'unnamed')!r})"
            unknown = _unknown_keys(spec, _RULE_KEYS)
            if unknown:
                # A misspelt 'when' would otherwise make the rule match every petition.
                raise RoutingError(f"{where}: unknown key(s) {unknown}; a rule has {sorted(_RULE_KEYS)}")
            when = spec.get("when") or {}
            if not isinstance(when, dict):
                raise RoutingError(f"{where}: 'when' must map heads to lists of labels")
            conditions = {}
            for head, accepted in when.items():
                if head not in allowed:
                    raise RoutingError(f"{where}: unknown head {head!r}; expected one of {sorted(allowed)}")
                values = [accepted] if isinstance(accepted, str) else accepted
                if not isinstance(values, list) or not values:
                    raise RoutingError(f"{where}: {head} must list at least one label")
                # YAML reads an unquoted 1 as a number; labels are text.
                values = [str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for v in values]
                for value in values:
                    if value not in allowed[head]:
                        raise RoutingError(f"{where}: unknown {head} label {value!r}; expected one of {list(allowed[head])}")
                conditions[head] = frozenset(values)
            department = spec.get("department")
            if not isinstance(department, dict) or not department.get("id") or not department.get("zh"):
                raise RoutingError(f"{where}: 'department' needs an 'id' and a 'zh' name")
            unknown = _unknown_keys(department, _DEPARTMENT_KEYS)
            if unknown:
                raise RoutingError(f"{where}: 'department' has unknown key(s) {unknown}; it has 'id' and 'zh' "
                                   "(quote a name that holds a comma)")
            route = spec.get("route")
            if route not in routes:
                raise RoutingError(f"{where}: unknown route {route!r}; expected one of {sorted(routes)}")
            rules.append(Rule(str(spec.get("name", f"rule {number}")), conditions,
                              Department(str(department["id"]), str(department["zh"])), routes[route]))
        if rules[-1].when:
            raise RoutingError(f"{source}: the last rule must have an empty 'when' (a fallback), so every petition is routed")
        for number, rule in enumerate(rules[:-1], start=1):
            if not rule.when:
                raise RoutingError(f"{source}: rule {number} ({rule.name!r}) has an empty 'when' and would route every "
                                   f"petition, so the rules after it could never apply; only the last rule may be a fallback")
        return cls(rules, routes, source)

    def match(self, labels: dict[str, str]) -> Rule:
        for rule in self.rules:
            if rule.matches(labels):
                return rule
        return self.rules[-1]
