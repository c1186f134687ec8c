"""What a running service is told: where the rulesets are, its limits, and who may call it.

Built from ``prescreen serve`` options and an optional YAML file (``--config``) whose ``service`` section holds the
settings below and whose ``security`` section is the JWT issuer allow-list (read by :mod:`engine.service.auth`).
The settings travel to every worker process as JSON (:data:`SETTINGS_VAR`), so each worker builds its own state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError
from ..files import load_yaml, read_text
from ..screening import DEFAULT_RULESETS
from .validation import validated

__all__ = ["SETTINGS_VAR", "ServiceConfig", "load_config", "settings_from"]

SETTINGS_VAR = "PRESCREEN_SERVICE_SETTINGS"
"""Environment variable carrying the settings (JSON) from ``prescreen serve`` to its worker processes."""


class ServiceConfig(BaseModel):
    """Settings of one service; every field has a default fit for a local run."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rulesets: Path = DEFAULT_RULESETS
    vocabulary: tuple[Path, ...] = ()
    config_file: Path | None = None
    """The YAML file the settings came from; workers read its ``security`` section for the JWT policy."""
    insecure: bool = False
    """No JWT check at all: for local demos only, announced at start-up and in ``/healthz``."""
    public_url: str | None = Field(default=None, pattern=r"^https?://[^/?#]+(/[^?#]*)?$")
    """The base URL the EHR calls (behind a reverse proxy); JWT audiences and report links are built from it.
    Default: the URL of each request as the server sees it."""
    max_body_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    feedback_log: Path | None = None
    """Append-only JSON Lines file for CDS Hooks feedback; default: kept in memory (the last ``feedback_capacity``)."""
    feedback_capacity: int = Field(default=10_000, gt=0)
    report_ttl_seconds: float = Field(default=900, gt=0)
    report_capacity: int = Field(default=1_000, gt=0)
    report_dir: Path | None = None
    """A private directory the workers share for reports (``prescreen serve --workers N`` makes one); default:
    each worker's memory."""
    cors_origins: tuple[str, ...] = ()
    """Web origins whose pages may call the service (CDS Hooks 2.0 asks services to support CORS: a browser-based
    client such as the CDS Hooks sandbox calls from the page), e.g. ``https://sandbox.cds-hooks.org``."""
    fhir_servers: tuple[str, ...] = ()
    """Base URLs a hook's ``fhirServer`` must start with; empty: any http(s) server the EHR names."""
    fhir_timeout_seconds: float = Field(default=10, gt=0)
    fhir_max_pages: int = Field(default=20, gt=0)
    fhir_max_bytes: int = Field(default=64 * 1024 * 1024, gt=0)


def load_config(path: Path, **overrides: Any) -> ServiceConfig:
    """Settings from the ``service`` section of a YAML file, with command-line ``overrides`` (None: not given)."""
    data = load_yaml(read_text(path), str(path))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError("expected a mapping with 'service' and 'security' sections", path=str(path))
    unknown = sorted(set(data) - {"service", "security"})
    if unknown:
        raise InputError(f"unknown section '{unknown[0]}' (sections: service, security)", path=str(path))
    section = data.get("service") or {}
    if not isinstance(section, dict):
        raise InputError("expected a mapping", path=str(path), field="service")
    section = dict(section)
    base = path.parent
    for key in (
        "rulesets",
        "feedback_log",
        "report_dir",
    ):  # paths in the file are relative to the file, as in ``security``
        if isinstance(section.get(key), str):
            section[key] = base / section[key]
    if isinstance(section.get("vocabulary"), list):
        section["vocabulary"] = [base / v if isinstance(v, str) else v for v in section["vocabulary"]]
    settings = {**section, **{k: v for k, v in overrides.items() if v is not None}, "config_file": path}
    return settings_from(settings, str(path), prefix="service.")


def settings_from(data: dict[str, Any], source: str, prefix: str = "") -> ServiceConfig:
    """Validate settings; a problem is an :class:`InputError` naming the source and the field."""
    return validated(ServiceConfig, data, source, prefix)
