"""The intake HTTP service (FastAPI): routing API, health check and the intake page."""

from .app import ServiceSettings, create_app

__all__ = ["ServiceSettings", "create_app"]
