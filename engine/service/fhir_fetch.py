"""Fetching what a hook's prefetch left out from the EHR's FHIR server (``fhirServer``, ``fhirAuthorization``).

One client per hook request (no cookies or connections shared between patients); the bearer token is sent only to
the server the hook names: a ``next`` page elsewhere is refused. Searches follow ``link[next]`` up to a page
bound and all responses together up to a byte bound; past either, the hook is answered 412, never screened on
part of the record (a missing page could hold the very condition that excludes the patient).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from .errors import ApiError

__all__ = ["FhirFetcher", "next_link"]

_ACCEPT = "application/fhir+json, application/json;q=0.9"


def next_link(bundle: dict[str, Any]) -> str | None:
    """The URL of a searchset's next page, if any."""
    links = bundle.get("link")
    if not isinstance(links, list):
        return None
    for link in links:
        if isinstance(link, dict) and link.get("relation") == "next" and isinstance(link.get("url"), str):
            return link["url"]
    return None


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


@dataclass
class FhirFetcher:
    """Reads from one FHIR server for one hook request; :meth:`close` when done."""

    base: str
    token: str
    timeout: float
    max_pages: int
    max_bytes: int
    received: int = 0
    _client: httpx.Client = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.base = self.base.rstrip("/")
        self._client = httpx.Client(
            timeout=self.timeout,
            follow_redirects=False,  # a redirect could carry the token to another host
            headers={"Authorization": f"Bearer {self.token}", "Accept": _ACCEPT},
        )

    def close(self) -> None:
        self._client.close()

    def read(self, query: str) -> dict[str, Any]:
        """``GET {fhirServer}/{query}``: one resource, or a searchset Bundle with every page's entries."""
        label = _what(query)
        first = self._get(f"{self.base}/{query}", label)
        return self.complete(first, label) if first.get("resourceType") == "Bundle" else first

    def complete(self, bundle: dict[str, Any], label: str) -> dict[str, Any]:
        """A searchset with the entries of all its pages (a prefetch may hold only the first), as one Bundle."""
        url, pages = next_link(bundle), 1
        if url is None:
            return bundle
        entries = list(bundle.get("entry") or [])
        while url:
            if pages >= self.max_pages:
                raise ApiError(412, f"fhirServer: {label} has more than {self.max_pages} pages")
            if _origin(url) != _origin(self.base):
                raise ApiError(412, f"{label}: the next page is not on fhirServer")
            page = self._get(url, label)
            entries.extend(page.get("entry") or [])
            url, pages = next_link(page), pages + 1
        return {**bundle, "entry": entries, "link": []}

    def _get(self, url: str, label: str) -> dict[str, Any]:
        try:
            with self._client.stream("GET", url) as response:
                if response.status_code != 200:
                    raise ApiError(412, f"fhirServer answered {response.status_code} to {label}")
                chunks = []
                for chunk in response.iter_bytes():
                    self.received += len(chunk)
                    if self.received > self.max_bytes:
                        raise ApiError(412, f"fhirServer: the record is larger than {self.max_bytes:,} bytes")
                    chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise ApiError(412, f"fhirServer could not be read for {label} ({type(exc).__name__})") from None
        try:
            data = json.loads(b"".join(chunks))
        except ValueError:
            raise ApiError(412, f"fhirServer: the answer to {label} is not JSON") from None
        if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
            raise ApiError(412, f"fhirServer: the answer to {label} is not a FHIR resource")
        return data


def _what(query: str) -> str:
    """The resource type asked for, without the patient id (error messages and logs carry no identifiers)."""
    return query.split("?", 1)[0].split("/", 1)[0] + (" search" if "?" in query else " read")
