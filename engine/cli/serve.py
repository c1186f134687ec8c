"""``prescreen serve``: the CDS Hooks service and HTTP API under uvicorn (needs the ``server`` extra)."""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ..errors import EngineError, InputError
from .app import BAD_INPUT, VocabularyOption, app, fail

SERVER_EXTRA = "pip install 'prescreen-engine[server]'"
_BANNER = (
    "WARNING: --insecure: no JWT check. Anyone who can reach this port can screen patients and read reports. "
    "For a local demo only; never expose it."
)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8080,
    rulesets: Annotated[
        Path | None, typer.Option("--rulesets", help="Directory of ruleset files. Default: the package's.")
    ] = None,
    vocabulary_dirs: VocabularyOption = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes (one per core).")] = 1,
    insecure: Annotated[bool, typer.Option("--insecure", help="No JWT check: local demos only.")] = False,
    config: Annotated[
        Path | None, typer.Option("--config", help="YAML settings: 'service' limits and the 'security' allow-list.")
    ] = None,
) -> None:
    """Serve CDS Hooks 2.0 (patient-view) and the screening HTTP API; rulesets are compiled once per worker."""
    missing = [m for m in ("fastapi", "uvicorn", "httpx", "jwt") if importlib.util.find_spec(m) is None]
    if missing:
        Console(stderr=True, soft_wrap=True).print(
            f"error: prescreen serve needs the server extra ({', '.join(missing)} not installed): {SERVER_EXTRA}",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(BAD_INPUT)
    import uvicorn  # the web stack is optional: imported only by this command

    from ..service import ServiceConfig, create_app, load_config
    from ..service.config import SETTINGS_VAR, settings_from

    overrides: dict[str, Any] = {
        "rulesets": rulesets,
        "vocabulary": tuple(vocabulary_dirs) if vocabulary_dirs else None,
        "insecure": insecure or None,
    }
    try:
        settings: ServiceConfig = (
            load_config(config, **overrides)
            if config is not None
            else settings_from({k: v for k, v in overrides.items() if v is not None}, "command line")
        )
        application = create_app(settings)  # compiled here first, so bad settings stop with exit 2, not in a worker
    except EngineError as exc:
        fail(exc)
    except OSError as exc:
        fail(InputError(exc.strerror or str(exc), path=str(exc.filename or config)))
    if settings.insecure:
        Console(stderr=True, soft_wrap=True).print(_BANNER, style="bold red", markup=False, highlight=False)
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_config": _log_config(),
        "access_log": False,
        "timeout_keep_alive": 75,  # longer than a reverse proxy's idle timeout, so it never reuses a closed connection
    }
    if workers == 1:
        uvicorn.run(application, **options)
        return
    # Each worker process builds its own app (and compiles the rulesets once) from the settings in its environment;
    # a request may reach any worker, so the reports cards link to are kept in a directory they share.
    shared = None if settings.report_dir else Path(tempfile.mkdtemp(prefix="prescreen-reports-"))  # mode 0700
    if shared:
        settings = settings.model_copy(update={"report_dir": shared})
    os.environ[SETTINGS_VAR] = json.dumps(settings.model_dump(mode="json"))
    try:
        uvicorn.run(
            "engine.service.app:app_from_environment",
            factory=True,
            workers=workers,
            # A worker compiling its rulesets (durable-rules holds the GIL) answers the supervisor's ping late on a
            # busy machine; uvicorn's 5 s default would kill and restart it for ever.
            timeout_worker_healthcheck=60,
            **options,
        )
    finally:
        if shared:
            shutil.rmtree(shared, ignore_errors=True)


def _log_config() -> dict[str, Any]:
    """uvicorn's logging plus the service's request lines at INFO (uvicorn's access log is off: it logs full paths,
    and a path can carry a report token)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["engine.service"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config
