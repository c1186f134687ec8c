"""``prescreen serve`` as a user runs it: the loud warning of --insecure, request lines without patient data,
clear exit codes for bad settings, and a library that imports without the web extra."""

from __future__ import annotations

import subprocess
import sys

import httpx

from .conftest import CANDIDATES
from .helpers import SERVICE, hook_request
from .records import NATIVE, native_patient
from .servers import FhirStore, ServeProcess


def _prescreen(*args: str, hide: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """The command in a fresh interpreter; ``hide`` makes packages absent (as if the extra were not installed)."""
    code = (
        "import sys\n"
        f"for name in {hide!r}: sys.modules[name] = None\n"
        "from engine.cli import main\n"
        "sys.exit(main(sys.argv[1:]))"
    )
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)


def test_insecure_says_so_and_the_log_has_request_lines_but_no_patient_data():
    store = FhirStore(CANDIDATES[:1])
    with ServeProcess("--insecure") as server:
        assert httpx.post(server.url + "/screen?as_of=2027-01-15", json=native_patient(NATIVE[0])).status_code == 200
        hook = hook_request("cand-001", store.prefetch("https://ehr.test/fhir", "cand-001"))
        cards = httpx.post(server.url + SERVICE, json=hook, timeout=60).json()["cards"]
        report = next(x["url"] for x in cards[0]["links"] if "/reports/" in x["url"])
        assert httpx.get(report).status_code == 200
        assert httpx.get(server.url + "/trials/NCT07245251").status_code == 200
    log = server.log
    assert "WARNING: --insecure: no JWT check." in log
    assert "INSECURE: no JWT check" in log  # again in the server's own log at start-up
    assert "POST /screen 200" in log and f"POST {SERVICE.replace('trial-prescreening', '{service_id}')} 200" in log
    assert "GET /reports/{token} 200" in log and "GET /trials/{trial_id} 200" in log
    token = report.rsplit("/", 1)[1]
    for secret in ("example-001", "cand-001", token, "NCT07245251", "B-cell", "hemoglobin"):
        assert secret not in log, secret


def test_without_a_security_section_or_insecure_it_refuses_to_start():
    result = _prescreen("serve", "--port", "9")
    assert result.returncode == 2
    assert "no JWT issuers are configured: give --config FILE with a 'security' section" in result.stderr


def test_bad_settings_stop_it_with_the_file_and_field(tmp_path):
    config = tmp_path / "service.yaml"
    config.write_text("service:\n  max_body_bytes: 0\nsecurity:\n  issuers: []\n")
    result = _prescreen("serve", "--config", str(config))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {config} field 'service.max_body_bytes': Input should be greater than 0"
    config.write_text("service: {}\nlogging: {}\n")
    result = _prescreen("serve", "--config", str(config))
    assert result.returncode == 2 and "unknown section 'logging' (sections: service, security)" in result.stderr


def test_without_the_server_extra_it_says_which_extra_to_install_and_the_rest_works(tmp_path):
    hidden = ("fastapi", "uvicorn", "starlette", "jwt")
    result = _prescreen("serve", "--insecure", hide=hidden)
    assert result.returncode == 2
    assert "pip install 'prescreen-engine[server]'" in result.stderr
    screened = _prescreen("screen", str(NATIVE[0]), "--as-of", "2026-11-23", "--format", "cds-hooks", hide=hidden)
    assert screened.returncode == 0, screened.stderr
