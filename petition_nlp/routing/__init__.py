"""Routing petitions to departments and procedural routes from an editable routing table."""

from .router import Router, RouteSuggestion
from .table import Department, Route, RoutingError, RoutingTable, Rule, default_routing_path

__all__ = ["Department", "Route", "RouteSuggestion", "Router", "RoutingError", "RoutingTable", "Rule", "default_routing_path"]
