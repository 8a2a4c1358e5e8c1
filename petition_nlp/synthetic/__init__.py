"""Fake but valid-looking personal data for corpora, registers, tests and benchmarks."""

from .identity import FakeIdentity, IdentityFactory

__all__ = ["FakeIdentity", "IdentityFactory"]
