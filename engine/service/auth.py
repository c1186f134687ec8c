"""Who may call the service: the CDS Hooks 2.0 authentication of the EHR (a signed JWT as a Bearer token).

A token is accepted only when its issuer is on the allow-list, its signature verifies (RS256/RS384/ES256/ES384)
with the key its ``kid`` names in that issuer's JWKS (configured, or at a ``jku`` the issuer's allow-list
names), its audience is the endpoint being called, it is current (``exp``, ``iat``, ``nbf`` with a small
leeway, and not valid for longer than ``max_lifetime``) and its ``jti`` has not been seen before. Every
refusal is an :class:`AuthError` whose message is safe to send back (it says what is wrong, never the token).

Signatures are checked by PyJWT with cryptography; this module only chooses the key and the rules.
"""

from __future__ import annotations

import heapq
import json
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from ipaddress import ip_address
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import jwt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import InputError
from ..files import load_json, load_yaml, read_text
from ..patient import _field_path  # one spelling of a field path for every input error ("a[0].b")

__all__ = [
    "ALGORITHMS",
    "AuthError",
    "Claims",
    "IssuerPolicy",
    "JwtPolicy",
    "JwtVerifier",
    "load_policy",
    "policy_from_config",
]

ALGORITHMS = ("RS256", "RS384", "ES256", "ES384")
"""Signature algorithms accepted: asymmetric only (``none`` and HMAC never: a public key is not a secret)."""
_KEY_TYPES = {"RS256": ("RSA", None), "RS384": ("RSA", None), "ES256": ("EC", "P-256"), "ES384": ("EC", "P-384")}
_MAX_TOKEN = 16_384  # characters; a CDS Hooks token is well under 2 KB
_MAX_JTI = 256
_REFRESH_AFTER = 30.0  # seconds: an unknown kid re-reads the JWKS (a rotated key), at most this often per URL
_LOOPBACK = ("localhost",)


class AuthError(Exception):
    """The request is not authenticated; ``message`` says why and is safe to send to the caller."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Claims:
    """The verified claims of an accepted token (``payload`` has them all; keep it out of INFO logs)."""

    iss: str
    aud: str
    jti: str
    exp: int
    iat: int
    sub: str | None
    tenant: str | None
    payload: dict[str, Any] = field(repr=False, compare=False)


@dataclass(frozen=True)
class IssuerPolicy:
    """One EHR allowed to call: its exact ``iss``, where its keys are, and the ``jku`` URLs its tokens may name."""

    issuer: str
    jwks_url: str | None = None
    jwks: Mapping[str, Any] | None = None
    jku: tuple[str, ...] = ()


@dataclass(frozen=True)
class JwtPolicy:
    """The allow-list and the rules; times in seconds. ``clock`` gives seconds since the epoch (tests fake it)."""

    issuers: Mapping[str, IssuerPolicy]
    leeway: float = 60.0
    max_lifetime: float = 300.0  # CDS Clients set exp at most 5 minutes ahead
    jwks_ttl: float = 300.0
    fetch_timeout: float = 5.0
    max_jwks_bytes: int = 256_000
    replay_cache_size: int = 100_000
    clock: Callable[[], float] = time.time


class JwtVerifier:
    """Verifies the ``Authorization`` header of each request against a :class:`JwtPolicy`.

    Thread-safe; one per worker process (the replay cache lives in the process). A JWKS URL is read with httpx
    on first use and again after ``jwks_ttl``, so :meth:`verify` may block for up to ``fetch_timeout``.
    """

    def __init__(self, policy: JwtPolicy, *, http: httpx.Client | None = None) -> None:
        self.policy = policy
        self._own_http = http is None
        self._http = http or httpx.Client(timeout=policy.fetch_timeout, follow_redirects=False)
        self._inline = {iss: _KeySet.parse(p.jwks) for iss, p in policy.issuers.items() if p.jwks is not None}
        self._fetched: dict[str, tuple[float, _KeySet]] = {}  # url -> (when read, keys)
        self._url_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._replay = _ReplayCache(policy.replay_cache_size)

    def close(self) -> None:
        """Close the HTTP client this verifier made (not one passed in)."""
        if self._own_http:
            self._http.close()

    def verify(self, authorization_header: str | None, audience: str | Sequence[str]) -> Claims:
        """The claims of the request's Bearer token, or :class:`AuthError` saying why it is refused.

        ``audience`` is the URL of the endpoint being called, as the EHR addresses it (the token's ``aud``), or
        the URLs any of which it may be (a feedback call may name its service's endpoint or its own URL).
        """
        token = _bearer(authorization_header)
        audiences = [audience] if isinstance(audience, str) else list(audience)
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise AuthError("the bearer token is not a well-formed JWT") from None
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise AuthError(f"the token's signature algorithm is not accepted (accepted: {', '.join(ALGORITHMS)})")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthError("the token header has no 'kid' naming its signing key")
        issuer = self.policy.issuers.get(unverified.get("iss")) if isinstance(unverified.get("iss"), str) else None
        if issuer is None:
            raise AuthError("the token's issuer ('iss') is not on the allow-list")
        key = self._key(issuer, header.get("jku"), kid, alg)
        try:
            payload = jwt.decode(
                token,
                key=key,
                algorithms=[alg],
                audience=audiences,
                issuer=issuer.issuer,
                # Times are checked below against the policy's clock, the same way for every claim.
                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False, "require": ["aud"]},
            )
        except jwt.InvalidSignatureError:
            raise AuthError("the token's signature does not verify with the issuer's key") from None
        except jwt.InvalidAudienceError:
            raise AuthError("the token's audience ('aud') is not this service endpoint") from None
        except jwt.MissingRequiredClaimError as exc:
            raise AuthError(f"the token has no '{exc.claim}' claim") from None
        except jwt.PyJWTError:
            raise AuthError("the token could not be verified") from None
        exp, iat = self._check_times(payload)
        jti = payload.get("jti")
        if not isinstance(jti, str) or not jti or len(jti) > _MAX_JTI:
            raise AuthError("the token has no usable 'jti' claim (a unique id of up to 256 characters)")
        # Only a token whose signature verified may enter the replay cache (or it could be filled with junk).
        self._replay.add((issuer.issuer, jti), exp + self.policy.leeway, self.policy.clock())
        return Claims(
            iss=issuer.issuer,
            aud=next(a for a in audiences if a in _as_list(payload["aud"])),
            jti=jti,
            exp=exp,
            iat=iat,
            sub=payload.get("sub") if isinstance(payload.get("sub"), str) else None,
            tenant=payload.get("tenant") if isinstance(payload.get("tenant"), str) else None,
            payload=payload,
        )

    def _check_times(self, payload: Mapping[str, Any]) -> tuple[int, int]:
        now, leeway = self.policy.clock(), self.policy.leeway
        times = {}
        for name in ("exp", "iat"):
            value = payload.get(name)
            if value is None:
                raise AuthError(f"the token has no '{name}' claim")
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise AuthError(f"the token's '{name}' claim is not a number of seconds since the epoch")
            times[name] = int(value)
        if times["exp"] + leeway < now:
            raise AuthError("the token has expired")
        if times["iat"] - leeway > now:
            raise AuthError("the token was issued in the future ('iat'); check the EHR's clock")
        nbf = payload.get("nbf")
        if isinstance(nbf, int | float) and not isinstance(nbf, bool) and nbf - leeway > now:
            raise AuthError("the token is not valid yet ('nbf')")
        if times["exp"] - now > self.policy.max_lifetime + leeway:
            raise AuthError(f"the token's expiry is more than {self.policy.max_lifetime:g} seconds away")
        return times["exp"], times["iat"]

    def _key(self, issuer: IssuerPolicy, jku: object, kid: str, alg: str) -> Any:
        """The public key for (kid, alg) from the issuer's keys: at the token's ``jku`` when the issuer allows
        that URL, else its configured JWKS (inline, from a file, or at ``jwks_url``)."""
        if jku is not None:
            if not isinstance(jku, str) or jku not in issuer.jku:
                raise AuthError("the token's 'jku' is not on the issuer's allow-list")
            url: str | None = jku
        elif issuer.jwks is not None:
            return self._inline[issuer.issuer].key(kid, alg)
        elif issuer.jwks_url is not None:
            url = issuer.jwks_url
        else:
            raise AuthError("the issuer's tokens must name their key set ('jku')")
        keys = self._jwks_at(url, stale_kid=None)
        if not keys.has(kid):
            keys = self._jwks_at(url, stale_kid=kid)  # a key rotated in since the last read
        return keys.key(kid, alg)

    def _jwks_at(self, url: str, stale_kid: str | None) -> _KeySet:
        """The JWKS at ``url``, cached for ``jwks_ttl``; with ``stale_kid``, re-read if read over 30 s ago."""
        with self._lock:
            lock = self._url_locks.setdefault(url, threading.Lock())
        with lock:  # one fetch per URL at a time; the others wait for its result
            now = self.policy.clock()
            cached = self._fetched.get(url)
            if cached is not None:
                age = now - cached[0]
                fresh = age < (_REFRESH_AFTER if stale_kid is not None else self.policy.jwks_ttl)
                if fresh or (stale_kid is not None and cached[1].has(stale_kid)):
                    return cached[1]
            keys = self._fetch(url)
            self._fetched[url] = (now, keys)
            return keys

    def _fetch(self, url: str) -> _KeySet:
        limit = self.policy.max_jwks_bytes
        try:
            with self._http.stream("GET", url, headers={"Accept": "application/json"}) as response:
                if response.status_code != 200:
                    raise AuthError(f"the issuer's key set could not be read (HTTP {response.status_code})")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise AuthError(f"the issuer's key set is larger than {limit} bytes")
        except httpx.HTTPError:
            raise AuthError("the issuer's key set could not be read (no answer)") from None
        try:
            return _KeySet.parse(json.loads(body))
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            raise AuthError("the issuer's key set is not a JWKS") from None


def _as_list(aud: object) -> list[object]:
    return aud if isinstance(aud, list) else [aud]


def _bearer(header: str | None) -> str:
    if not header or not header.strip():
        raise AuthError("no Authorization header: send 'Authorization: Bearer <JWT>'")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthError("the Authorization header is not 'Bearer <JWT>'")
    if len(token) > _MAX_TOKEN:
        raise AuthError(f"the bearer token is longer than {_MAX_TOKEN} characters")
    return token


class _KeySet:
    """The signing keys of one JWKS by ``kid``; a key is made ready for an algorithm on first use."""

    def __init__(self, jwks: dict[str, dict[str, Any]]) -> None:
        self._jwks = jwks
        self._ready: dict[tuple[str, str], Any] = {}

    @classmethod
    def parse(cls, data: object) -> _KeySet:
        """Keys of a JWKS document (``{"keys": [...]}``); ValueError when it is not one. Keys without a
        ``kid``, or not for signatures, cannot be chosen by a token and are left out."""
        if not isinstance(data, Mapping) or not isinstance(data.get("keys"), list):
            raise ValueError("a JWKS is an object with a 'keys' list")
        keys = {}
        for jwk in data["keys"]:
            if isinstance(jwk, Mapping) and isinstance(jwk.get("kid"), str) and jwk.get("use", "sig") == "sig":
                keys[jwk["kid"]] = dict(jwk)
        return cls(keys)

    def has(self, kid: str) -> bool:
        return kid in self._jwks

    def key(self, kid: str, alg: str) -> Any:
        """The public key ``kid`` for ``alg``, or AuthError when there is none or it is not a key for ``alg``."""
        try:
            return self._ready[kid, alg]
        except KeyError:
            pass
        jwk = self._jwks.get(kid)
        if jwk is None:
            raise AuthError("the issuer's key set has no key with the token's 'kid'")
        kty, crv = _KEY_TYPES[alg]
        if jwk.get("kty") != kty or (crv is not None and jwk.get("crv") != crv) or jwk.get("alg", alg) != alg:
            raise AuthError("the key the token's 'kid' names is not a key for the token's algorithm")
        if "d" in jwk or ("p" in jwk and kty == "RSA"):
            raise AuthError("the issuer's key set publishes a private key; it is not used")
        try:
            key = jwt.PyJWK(jwk, algorithm=alg).key
        except (jwt.PyJWTError, ValueError, TypeError):
            raise AuthError("the key the token's 'kid' names is not a valid public key") from None
        self._ready[kid, alg] = key  # a dict write: safe between threads, at worst made twice
        return key


class _ReplayCache:
    """``(iss, jti)`` of accepted tokens until they expire, at most ``size`` of them."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._until: dict[tuple[str, str], float] = {}
        self._expiry: list[tuple[float, tuple[str, str]]] = []  # a heap: the next to expire first
        self._lock = threading.Lock()

    def add(self, key: tuple[str, str], until: float, now: float) -> None:
        """Remember ``key`` until ``until``; AuthError when it was seen already, or when the cache is full of
        tokens still valid (refusing is safer than forgetting one, which would let it be replayed)."""
        with self._lock:
            while self._expiry and self._expiry[0][0] < now:
                _, old = heapq.heappop(self._expiry)
                if self._until.get(old, now) < now:
                    del self._until[old]
            if key in self._until:
                raise AuthError("the token was used before (its 'jti' is replayed); send a new token per request")
            if len(self._until) >= self._size:
                raise AuthError("too many tokens in use at once; try again shortly")
            self._until[key] = until
            heapq.heappush(self._expiry, (until, key))


# ---- configuration ----------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _IssuerConfig(_Strict):
    iss: str = Field(min_length=1)
    jwks_url: str | None = None
    jwks_file: str | None = None
    jwks: dict[str, Any] | None = None
    jku: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_source(self) -> _IssuerConfig:
        given = [k for k in ("jwks_url", "jwks_file", "jwks") if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError(f"give one of jwks_url, jwks_file or jwks, not {' and '.join(given)}")
        if not given and not self.jku:
            raise ValueError("give the issuer's keys: jwks_url, jwks_file, jwks, or a 'jku' allow-list")
        for url in (self.jwks_url, *self.jku):
            if url is not None and not _safe_url(url):
                raise ValueError(f"'{url}' is not an https URL (plain http only on this machine's loopback)")
        return self


class _SecurityConfig(_Strict):
    issuers: list[_IssuerConfig] = Field(min_length=1)
    leeway_seconds: float = Field(60.0, ge=0, le=300)
    max_lifetime_seconds: float = Field(300.0, gt=0, le=86_400)
    jwks_cache_seconds: float = Field(300.0, ge=0, le=86_400)
    fetch_timeout_seconds: float = Field(5.0, gt=0, le=60)
    replay_cache_size: int = Field(100_000, ge=1, le=10_000_000)


def _safe_url(url: str) -> bool:
    """https, or http to a loopback address (a key set read in the clear could be swapped on the way)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname in _LOOPBACK:
        return True
    try:
        return ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def policy_from_config(section: Mapping[str, Any], *, base_dir: Path, source: str | None = None) -> JwtPolicy:
    """The policy a service configuration's ``security`` section declares (``jwks_file`` paths are relative to
    ``base_dir``); InputError naming ``source``, the field and the problem when it is not valid."""
    try:
        cfg = _SecurityConfig.model_validate(section)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = _field_path(("security", *err["loc"]))
        raise InputError(err["msg"].removeprefix("Value error, "), path=source, field=where) from None
    issuers: dict[str, IssuerPolicy] = {}
    for i, entry in enumerate(cfg.issuers):
        where = f"security.issuers[{i}]"
        if entry.iss in issuers:
            raise InputError(f"issuer '{entry.iss}' is listed twice", path=source, field=f"{where}.iss")
        jwks = entry.jwks
        if entry.jwks_file is not None:
            path = base_dir / entry.jwks_file
            jwks = load_json(read_text(path, max_bytes=1_000_000), str(path))
        if jwks is not None:
            try:
                _KeySet.parse(jwks)
            except ValueError as exc:
                field = f"{where}.{'jwks_file' if entry.jwks_file else 'jwks'}"
                raise InputError(str(exc), path=source, field=field) from None
        issuers[entry.iss] = IssuerPolicy(entry.iss, entry.jwks_url, jwks, entry.jku)
    return JwtPolicy(
        issuers=issuers,
        leeway=cfg.leeway_seconds,
        max_lifetime=cfg.max_lifetime_seconds,
        jwks_ttl=cfg.jwks_cache_seconds,
        fetch_timeout=cfg.fetch_timeout_seconds,
        replay_cache_size=cfg.replay_cache_size,
    )


def load_policy(path: str | Path) -> JwtPolicy:
    """The policy of a YAML configuration file's ``security`` section (see docs/service.md "Security")."""
    path = Path(path)
    data = load_yaml(read_text(path), str(path))
    if not isinstance(data, Mapping) or not isinstance(data.get("security"), Mapping):
        raise InputError("expected a 'security' section (a mapping with an 'issuers' list)", path=str(path))
    return policy_from_config(data["security"], base_dir=path.parent, source=str(path))
