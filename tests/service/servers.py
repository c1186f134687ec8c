"""Real servers on 127.0.0.1 for the service tests: the service itself under uvicorn (in a thread, or as the
``prescreen serve`` process), and a small FHIR REST server holding the fixture bundles' resources."""

from __future__ import annotations

import copy
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import httpx
import uvicorn

from engine.service.hooks import PREFETCH

__all__ = ["AppServer", "FhirServer", "FhirStore", "ServeProcess", "free_port"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """An ASGI app under uvicorn in a thread, on a free port of 127.0.0.1. A context manager; ``url`` is its base."""

    def __init__(self, app: Any) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self._server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True)

    def __enter__(self) -> AppServer:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the service did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


class ServeProcess:
    """``prescreen serve ARGS`` as a process on a free port; stopped (by its pid) on exit, its log then in ``log``."""

    def __init__(self, *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [sys.executable, "-m", "engine.cli", "serve", "--port", str(self.port), *args]
        self.process: subprocess.Popen[bytes] | None = None
        # A file, not a pipe: a long run's log never blocks the server. Closed on exit.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115
        self.log = ""

    def __enter__(self) -> ServeProcess:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(self.args, stderr=self._log, stdout=self._log, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"prescreen serve exited: {self._read()}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("prescreen serve did not answer")

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log = self._read()
        self._log.close()

    def _read(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")


def _rewrite(value: Any, refs: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {
            k: (refs.get(v, v) if k == "reference" and isinstance(v, str) else _rewrite(v, refs))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_rewrite(v, refs) for v in value]
    return value


class FhirStore:
    """Resources as a FHIR server holds them after a bundle is posted: ids kept, ``urn:uuid`` references rewritten
    to ``Type/id``. Answers reads and searches by patient (with ``_include`` of medications), paged or not."""

    def __init__(self, bundles: Iterable[dict]) -> None:
        self.resources: dict[tuple[str, str], dict] = {}
        for bundle in bundles:
            refs = {
                e["fullUrl"]: f"{e['resource']['resourceType']}/{e['resource']['id']}"
                for e in bundle.get("entry", [])
                if "fullUrl" in e
            }
            for entry in bundle.get("entry", []):
                resource = _rewrite(copy.deepcopy(entry["resource"]), refs)
                self.resources[(resource["resourceType"], resource["id"])] = resource

    def answer(self, base: str, query: str, page: int = 1, page_size: int | None = None) -> dict | None:
        """The server's answer to ``GET {base}/{query}``: a resource, a searchset Bundle (one page of it when
        ``page_size``), or None (404)."""
        path, _, qs = query.partition("?")
        params = parse_qs(qs)
        if "/" in path:
            return self.resources.get(tuple(path.split("/", 1)))  # type: ignore[arg-type]
        patient = f"Patient/{params['patient'][0]}"
        matches = [
            r
            for (rtype, _), r in self.resources.items()
            if rtype == path and (r.get("subject") or r.get("patient") or {}).get("reference") == patient
        ]
        included = []
        for include in params.get("_include", []):
            field = include.split(":", 1)[1] + "Reference"
            for r in matches:
                ref = (r.get(field) or {}).get("reference")
                if ref and tuple(ref.split("/", 1)) in self.resources:
                    included.append(self.resources[tuple(ref.split("/", 1))])  # type: ignore[index]
        shown = matches if page_size is None else matches[(page - 1) * page_size : page * page_size]
        bundle: dict[str, Any] = {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(matches),
            "link": [{"relation": "self", "url": f"{base}/{query}"}],
            "entry": [
                {"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": mode}}
                for r, mode in [(r, "match") for r in shown] + [(r, "include") for r in included if page == 1]
            ],
        }
        if page_size is not None and page * page_size < len(matches):
            bundle["link"].append({"relation": "next", "url": f"{base}/{query}&_page={page + 1}"})
        return bundle

    def prefetch(self, base: str, patient_id: str) -> dict[str, Any]:
        """What an EHR would send as prefetch for the service's templates (every search on one page)."""
        return {
            key: self.answer(base, template.replace("{{context.patientId}}", patient_id))
            for key, template in PREFETCH.items()
        }


class FhirServer:
    """A FHIR REST server on 127.0.0.1 serving a :class:`FhirStore`: reads and searches need the bearer ``token``;
    searches are paged at ``page_size`` entries. ``requests`` counts the paths asked for. A context manager."""

    def __init__(self, store: FhirStore, token: str, page_size: int = 400) -> None:
        self.store = store
        self.token = token
        self.page_size = page_size
        self.requests: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the http.server name
                server.requests[self.path] += 1
                if self.headers.get("Authorization") != f"Bearer {server.token}":
                    self._send(401, {"resourceType": "OperationOutcome"})
                    return
                query = self.path.removeprefix("/fhir/")
                page = 1
                if "&_page=" in query:
                    query, _, number = query.rpartition("&_page=")
                    page = int(number)
                found = server.store.answer(server.url, query, page, server.page_size)
                self._send(200 if found else 404, found or {"resourceType": "OperationOutcome"})

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/fhir+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:  # quiet
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/fhir"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> FhirServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def paged(self) -> list[str]:
        """The paths of second and later pages asked for."""
        return [p for p in self.requests if "&_page=" in p]
