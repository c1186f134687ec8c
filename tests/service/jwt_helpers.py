"""Keys, JWKS and tokens for tests, as an EHR makes them: real keys (cryptography), real signatures (PyJWT),
and a real HTTP server on 127.0.0.1 publishing the JWKS. Also the forged tokens an attacker would try."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

__all__ = ["JwksServer", "KeyPair", "bearer", "forge", "jwks", "mint", "new_key"]

_CURVES = {"ES256": ec.SECP256R1, "ES384": ec.SECP384R1}


@dataclass(frozen=True)
class KeyPair:
    """A signing key of an EHR: ``kid``, the algorithm it signs with, the private key."""

    kid: str
    alg: str
    private_key: Any

    def jwk(self) -> dict:
        """The public key as a JWK (kid, alg, use) for a JWKS."""
        public = self.private_key.public_key()
        algorithm = RSAAlgorithm if self.alg.startswith("RS") else ECAlgorithm
        return {**algorithm.to_jwk(public, as_dict=True), "kid": self.kid, "alg": self.alg, "use": "sig"}

    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


def new_key(alg: str = "RS256", kid: str | None = None) -> KeyPair:
    """A fresh key pair for RS256/RS384 (RSA 2048) or ES256/ES384 (P-256/P-384)."""
    if alg.startswith("RS"):
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        private = ec.generate_private_key(_CURVES[alg]())
    return KeyPair(kid or f"{alg.lower()}-{uuid.uuid4().hex[:8]}", alg, private)


def jwks(*keys: KeyPair) -> dict:
    """``{"keys": [...]}`` of the keys' public halves."""
    return {"keys": [k.jwk() for k in keys]}


def _claims(
    iss: str, aud: str, jti: str | None, lifetime: int, now: float | None, claims: dict, omit: tuple[str, ...] = ()
) -> dict:
    now = time.time() if now is None else now
    payload = {
        "iss": iss,
        "aud": aud,
        "exp": int(now + lifetime),
        "iat": int(now),
        "jti": jti or str(uuid.uuid4()),
        **claims,
    }
    return {k: v for k, v in payload.items() if k not in omit}


def mint(
    key: KeyPair,
    *,
    iss: str,
    aud: str,
    jti: str | None = None,
    lifetime: int = 300,
    now: float | None = None,
    headers: dict | None = None,
    omit: tuple[str, ...] = (),
    **claims: Any,
) -> str:
    """A signed CDS Hooks JWT: header kid and typ (a header given as None is left out: ``headers={"kid": None}``),
    claims iss, aud, exp (``now`` + ``lifetime``), iat, jti (a new uuid unless given) and ``claims``, less
    those named in ``omit``."""
    header = {k: v for k, v in {"kid": key.kid, "typ": "JWT", **(headers or {})}.items() if v is not None}
    payload = _claims(iss, aud, jti, lifetime, now, claims, omit)
    return jwt.encode(payload, key.private_key, algorithm=key.alg, headers=header)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict, *, iss: str, aud: str, secret: bytes | None = None, now: float | None = None) -> str:
    """A token an attacker makes by hand: ``alg`` none (no signature) or HS256 with ``secret`` (e.g. the
    issuer's public key, hoping the verifier takes it as an HMAC secret)."""
    claims = _claims(iss, aud, None, 300, now, {})
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = b"" if secret is None else hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def bearer(token: str) -> str:
    """The Authorization header value for ``token``."""
    return f"Bearer {token}"


class JwksServer:
    """An HTTP server on 127.0.0.1 publishing documents at paths (a JWKS at ``/jwks.json`` by default); counts
    the requests per path. Use as a context manager; ``url`` is the JWKS's address."""

    def __init__(self, document: dict | None = None) -> None:
        self.documents: dict[str, bytes | int] = {}
        self.hits: Counter[str] = Counter()
        if document is not None:
            self.set(document)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits[self.path] += 1
                body = server.documents.get(self.path, 404)
                if isinstance(body, int):
                    self.send_error(body)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:  # quiet
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def url(self) -> str:
        return self.base + "/jwks.json"

    def set(self, document: dict | bytes | int, path: str = "/jwks.json") -> str:
        """Publish ``document`` (JSON, raw bytes, or an HTTP error status) at ``path``; its URL."""
        self.documents[path] = json.dumps(document).encode() if isinstance(document, dict) else document
        return self.base + path if hasattr(self, "_httpd") else path

    def __enter__(self) -> JwksServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
