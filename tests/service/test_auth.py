"""The JWT check of CDS Hooks 2.0 against real keys, real signatures and a JWKS served over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest

from engine.errors import InputError
from engine.service.auth import AuthError, IssuerPolicy, JwtPolicy, JwtVerifier, load_policy

from .jwt_helpers import JwksServer, KeyPair, bearer, forge, jwks, mint, new_key

EHR = "https://ehr.example.org"
OTHER_EHR = "https://other-ehr.example.org"
AUD = "https://prescreen.example.org/cds-services/trial-prescreening"
T0 = 1_790_000_000.0


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def keys() -> dict[str, KeyPair]:
    return {alg: new_key(alg, kid=f"key-{alg}") for alg in ("RS256", "RS384", "ES256", "ES384")}


@pytest.fixture
def server(keys) -> Iterator[JwksServer]:
    with JwksServer(jwks(*keys.values())) as s:
        yield s


@pytest.fixture
def clock() -> Clock:
    return Clock()


def verifier_for(server: JwksServer, clock: Clock, **rules) -> JwtVerifier:
    policy = JwtPolicy(
        issuers={
            EHR: IssuerPolicy(EHR, jwks_url=server.url, jku=(server.base + "/rotated.json",)),
            OTHER_EHR: IssuerPolicy(OTHER_EHR, jku=(server.base + "/other.json",)),
        },
        clock=clock,
        **rules,
    )
    return JwtVerifier(policy)


@pytest.fixture
def verifier(server, clock) -> Iterator[JwtVerifier]:
    v = verifier_for(server, clock)
    yield v
    v.close()


def refused(verifier: JwtVerifier, header: str | None, audience: str = AUD) -> str:
    with pytest.raises(AuthError) as caught:
        verifier.verify(header, audience)
    message = caught.value.message
    token = (header or "").removeprefix("Bearer ")
    assert message and (len(token) < 10 or token[:10] not in message)  # never the token itself
    return message


@pytest.mark.parametrize("alg", ["RS256", "RS384", "ES256", "ES384"])
def test_a_valid_token_gives_its_claims(verifier, keys, clock, alg):
    token = mint(keys[alg], iss=EHR, aud=AUD, jti="j-1", now=clock.now, sub="client-7", tenant="hospital-a")
    claims = verifier.verify(bearer(token), AUD)
    assert (claims.iss, claims.aud, claims.jti) == (EHR, AUD, "j-1")
    assert (claims.sub, claims.tenant) == ("client-7", "hospital-a")
    assert (claims.iat, claims.exp) == (int(T0), int(T0) + 300)


def test_an_expired_token_is_refused_after_the_leeway_only(verifier, keys, clock):
    clock.now = T0 + 300 + 59  # exp + 59 s: within the 60 s leeway
    assert verifier.verify(bearer(mint(keys["RS256"], iss=EHR, aud=AUD, now=T0)), AUD).iss == EHR
    clock.now = T0 + 300 + 61
    assert refused(verifier, bearer(mint(keys["RS256"], iss=EHR, aud=AUD, now=T0))) == "the token has expired"


def test_a_token_issued_in_the_future_is_refused(verifier, keys, clock):
    token = mint(keys["ES256"], iss=EHR, aud=AUD, now=T0 + 120)
    assert "issued in the future" in refused(verifier, bearer(token))


def test_a_token_valid_for_too_long_is_refused(verifier, keys, clock):
    token = mint(keys["ES256"], iss=EHR, aud=AUD, now=T0, lifetime=2 * 86_400)
    assert "expiry is more than 300 seconds away" in refused(verifier, bearer(token))


def test_a_token_for_another_endpoint_is_refused(verifier, keys, clock):
    token = mint(keys["RS256"], iss=EHR, aud="https://prescreen.example.org/cds-services/other", now=T0)
    assert refused(verifier, bearer(token)) == "the token's audience ('aud') is not this service endpoint"


def test_an_endpoint_may_accept_several_audiences(verifier, keys, clock):
    feedback = AUD + "/feedback"
    for aud in (AUD, feedback, [feedback, "https://elsewhere.example"]):
        token = mint(keys["ES256"], iss=EHR, aud=aud, now=T0)
        claims = verifier.verify(bearer(token), [AUD, feedback])
        assert claims.aud == (aud if isinstance(aud, str) else feedback)
    token = mint(keys["ES256"], iss=EHR, aud=AUD, now=T0)
    assert "not this service endpoint" in refused(verifier, bearer(token), audience=[feedback])


def test_an_issuer_not_on_the_allow_list_is_refused(verifier, keys, server, clock):
    token = mint(keys["RS256"], iss="https://evil.example.org", aud=AUD, now=T0)
    assert refused(verifier, bearer(token)) == "the token's issuer ('iss') is not on the allow-list"
    assert sum(server.hits.values()) == 0  # refused before any key is fetched


def test_a_signature_by_another_key_is_refused(verifier, clock):
    impostor = new_key("RS256", kid="key-RS256")  # the issuer's kid, someone else's key
    token = mint(impostor, iss=EHR, aud=AUD, now=T0)
    assert refused(verifier, bearer(token)) == "the token's signature does not verify with the issuer's key"


def test_a_tampered_payload_is_refused(verifier, keys, clock):
    header, _, signature = mint(keys["ES256"], iss=EHR, aud=AUD, now=T0).split(".")
    other = mint(keys["ES256"], iss=EHR, aud=AUD, now=T0, sub="admin").split(".")[1]
    assert "signature does not verify" in refused(verifier, bearer(f"{header}.{other}.{signature}"))


def test_a_replayed_token_is_refused(verifier, keys, clock):
    token = mint(keys["RS256"], iss=EHR, aud=AUD, jti="once", now=T0)
    verifier.verify(bearer(token), AUD)
    assert "used before" in refused(verifier, bearer(token))
    again = mint(keys["ES384"], iss=EHR, aud=AUD, jti="once", now=T0 + 1)  # a new token reusing the jti
    assert "used before" in refused(verifier, bearer(again))


def test_the_replay_cache_is_bounded_and_forgets_expired_tokens(server, keys, clock):
    v = verifier_for(server, clock, replay_cache_size=2, leeway=0)
    for jti in ("a", "b"):
        v.verify(bearer(mint(keys["RS256"], iss=EHR, aud=AUD, jti=jti, now=T0)), AUD)
    # full of tokens still valid: refusing is safer than forgetting one that could then be replayed
    assert "too many tokens" in refused(v, bearer(mint(keys["RS256"], iss=EHR, aud=AUD, jti="c", now=T0)))
    clock.now = T0 + 301  # the first two have expired and are forgotten
    v.verify(bearer(mint(keys["RS256"], iss=EHR, aud=AUD, jti="c", now=clock.now)), AUD)
    v.verify(bearer(mint(keys["RS256"], iss=EHR, aud=AUD, jti="a", now=clock.now)), AUD)
    v.close()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "no Authorization header: send 'Authorization: Bearer <JWT>'"),
        ("", "no Authorization header: send 'Authorization: Bearer <JWT>'"),
        ("Bearer", "the Authorization header is not 'Bearer <JWT>'"),
        ("Basic dXNlcjpwYXNz", "the Authorization header is not 'Bearer <JWT>'"),
        ("Bearer not.a.jwt", "the bearer token is not a well-formed JWT"),
        ("Bearer " + "a" * 20_000, "the bearer token is longer than 16384 characters"),
    ],
)
def test_no_token_or_not_a_bearer_jwt_is_refused(verifier, header, expected):
    assert refused(verifier, header) == expected


def test_alg_none_is_refused(verifier, clock):
    token = forge({"alg": "none", "typ": "JWT", "kid": "key-RS256"}, iss=EHR, aud=AUD, now=T0)
    assert "signature algorithm is not accepted" in refused(verifier, bearer(token))


def test_hmac_signed_with_the_public_key_is_refused(verifier, keys, clock):
    # The classic confusion attack: HS256 keyed with the RSA public key an attacker can download.
    for secret in (keys["RS256"].public_pem(), json.dumps(keys["RS256"].jwk()).encode()):
        token = forge({"alg": "HS256", "typ": "JWT", "kid": "key-RS256"}, iss=EHR, aud=AUD, secret=secret, now=T0)
        assert "signature algorithm is not accepted" in refused(verifier, bearer(token))


def test_a_key_of_another_type_than_the_algorithm_is_refused(verifier, keys, clock):
    # ES256 signed, naming the RSA key's kid: never verified with a key of the wrong type
    es = KeyPair("key-RS256", "ES256", keys["ES256"].private_key)
    assert "not a key for the token's algorithm" in refused(verifier, bearer(mint(es, iss=EHR, aud=AUD, now=T0)))


def test_a_missing_kid_is_refused(verifier, keys, clock):
    token = mint(keys["RS256"], iss=EHR, aud=AUD, now=T0, headers={"kid": None})
    assert refused(verifier, bearer(token)) == "the token header has no 'kid' naming its signing key"


def test_an_unknown_kid_is_refused_and_rereads_the_keys_at_most_every_30_seconds(verifier, server, keys, clock):
    stranger = new_key("RS256", kid="unknown")
    for _ in range(5):
        message = refused(verifier, bearer(mint(stranger, iss=EHR, aud=AUD, now=clock.now)))
        assert message == "the issuer's key set has no key with the token's 'kid'"
    assert server.hits["/jwks.json"] == 1  # an attacker's random kids do not make the service hammer the EHR
    clock.now += 31
    refused(verifier, bearer(mint(stranger, iss=EHR, aud=AUD, now=clock.now)))
    assert server.hits["/jwks.json"] == 2


def test_a_rotated_key_is_found_by_rereading_the_key_set(verifier, server, keys, clock):
    verifier.verify(bearer(mint(keys["RS256"], iss=EHR, aud=AUD, now=clock.now)), AUD)
    rotated = new_key("ES256", kid="2027-01")
    server.set(jwks(keys["RS256"], rotated))
    clock.now += 31
    assert verifier.verify(bearer(mint(rotated, iss=EHR, aud=AUD, now=clock.now)), AUD).iss == EHR
    assert server.hits["/jwks.json"] == 2


def test_the_key_set_is_cached_for_its_ttl(verifier, server, keys, clock):
    for _ in range(3):
        verifier.verify(bearer(mint(keys["ES384"], iss=EHR, aud=AUD, now=clock.now)), AUD)
    assert server.hits["/jwks.json"] == 1
    clock.now += 301
    verifier.verify(bearer(mint(keys["ES384"], iss=EHR, aud=AUD, now=clock.now)), AUD)
    assert server.hits["/jwks.json"] == 2


def test_a_jku_is_used_only_when_the_issuer_allows_it(verifier, server, keys, clock):
    mine = new_key("ES256", kid="via-jku")
    allowed = server.set(jwks(mine), "/rotated.json")
    token = mint(mine, iss=EHR, aud=AUD, now=T0, headers={"jku": allowed})
    assert verifier.verify(bearer(token), AUD).iss == EHR
    attacker = new_key("ES256", kid="evil")
    evil = server.set(jwks(attacker), "/evil.json")
    token = mint(attacker, iss=EHR, aud=AUD, now=T0, headers={"jku": evil})
    assert refused(verifier, bearer(token)) == "the token's 'jku' is not on the issuer's allow-list"
    assert server.hits["/evil.json"] == 0  # never fetched


def test_an_issuer_known_only_by_its_jku_allow_list_needs_a_jku(verifier, server, clock):
    key = new_key("RS384")
    url = server.set(jwks(key), "/other.json")
    assert "must name their key set" in refused(verifier, bearer(mint(key, iss=OTHER_EHR, aud=AUD, now=T0)))
    token = mint(key, iss=OTHER_EHR, aud=AUD, now=T0, headers={"jku": url})
    assert verifier.verify(bearer(token), AUD).iss == OTHER_EHR


@pytest.mark.parametrize("claim", ["jti", "exp", "iat", "aud"])
def test_a_token_without_a_required_claim_is_refused(verifier, keys, clock, claim):
    token = mint(keys["RS256"], iss=EHR, aud=AUD, now=T0, omit=(claim,))
    message = refused(verifier, bearer(token))
    assert f"'{claim}'" in message


@pytest.mark.parametrize("exp", ["NaN", "Infinity", '"tomorrow"', "true"])
def test_an_expiry_that_is_not_a_number_of_seconds_is_refused(verifier, keys, clock, exp):
    # PyJWT reads NaN and Infinity as numbers; neither is a time
    key = keys["RS256"]
    payload = json.dumps({"iss": EHR, "aud": AUD, "iat": int(T0), "jti": "j"})[:-1] + f', "exp": {exp}}}'
    token = jwt.api_jws.encode(payload.encode(), key.private_key, algorithm="RS256", headers={"kid": key.kid})
    assert refused(verifier, bearer(token)) == "the token's 'exp' claim is not a number of seconds since the epoch"


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (500, "the issuer's key set could not be read (HTTP 500)"),
        (b"<html>not json</html>", "the issuer's key set is not a JWKS"),
        (b'{"keys": "none"}', "the issuer's key set is not a JWKS"),
        (b"[" * 100_000, "the issuer's key set is not a JWKS"),
        (b'{"keys": []}' + b" " * 300_000, "the issuer's key set is larger than 256000 bytes"),
    ],
)
def test_a_key_set_that_cannot_be_read_refuses_the_token(verifier, server, keys, clock, published, expected):
    server.set(published)
    assert refused(verifier, bearer(mint(keys["RS256"], iss=EHR, aud=AUD, now=T0))) == expected


def test_an_unreachable_key_set_refuses_the_token(keys, clock):
    with JwksServer(jwks(*keys.values())) as gone:
        pass  # stopped: nothing listens on its port any more
    v = verifier_for(gone, clock, fetch_timeout=2)
    message = refused(v, bearer(mint(keys["RS256"], iss=EHR, aud=AUD, now=T0)))
    assert message == "the issuer's key set could not be read (no answer)"
    v.close()


def test_a_published_private_key_is_not_used(server, clock):
    key = new_key("RS256", kid="leaky")
    private = json.loads(json.dumps(key.jwk()))
    private["d"] = "AQAB"
    server.set({"keys": [private]})
    v = verifier_for(server, clock)
    assert "publishes a private key" in refused(v, bearer(mint(key, iss=EHR, aud=AUD, now=T0)))
    v.close()


def test_concurrent_requests_each_verify_once_with_one_key_fetch(verifier, server, keys, clock):
    tokens = [mint(keys[alg], iss=EHR, aud=AUD, now=T0) for alg in ("RS256", "ES256") for _ in range(100)]
    results: list[object] = [None] * len(tokens)

    def work(i: int) -> None:
        try:
            results[i] = verifier.verify(bearer(tokens[i]), AUD).jti
        except AuthError as exc:
            results[i] = exc

    threads = [threading.Thread(target=lambda k=k: [work(i) for i in range(k, len(tokens), 8)]) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(r, str) for r in results) and len(set(results)) == len(tokens)
    assert server.hits["/jwks.json"] == 1
    # and every one of them is now a replay
    assert "used before" in refused(verifier, bearer(tokens[17]))


# ---- configuration ----------------------------------------------------------------------------------------


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "service.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_config_file_declares_the_allow_list(tmp_path, server, keys, clock):
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "other.jwks.json").write_text(json.dumps(jwks(keys["ES384"])), encoding="utf-8")
    path = write_config(
        tmp_path,
        f"""
security:
  leeway_seconds: 30
  replay_cache_size: 1000
  issuers:
    - iss: {EHR}
      jwks_url: {server.url}
    - iss: {OTHER_EHR}
      jwks_file: keys/other.jwks.json
""",
    )
    policy = load_policy(path)
    assert (policy.leeway, policy.replay_cache_size, sorted(policy.issuers)) == (30, 1000, sorted([EHR, OTHER_EHR]))
    v = JwtVerifier(JwtPolicy(**{**policy.__dict__, "clock": clock}))
    assert v.verify(bearer(mint(keys["RS256"], iss=EHR, aud=AUD, now=T0)), AUD).iss == EHR
    assert v.verify(bearer(mint(keys["ES384"], iss=OTHER_EHR, aud=AUD, now=T0)), AUD).iss == OTHER_EHR
    assert server.hits["/jwks.json"] == 1  # the file's keys are read once, at load
    v.close()


@pytest.mark.parametrize(
    ("security", "field", "problem"),
    [
        ("{}", "security.issuers", "Field required"),
        ("{issuers: []}", "security.issuers", "at least 1 item"),
        ("{issuers: [{iss: x}]}", "security.issuers[0]", "give the issuer's keys"),
        ("{issuers: [{iss: x, jwks_url: 'http://ehr.example.org/jwks'}]}", "security.issuers[0]", "not an https URL"),
        ("{issuers: [{iss: x, jku: ['ftp://127.0.0.1/k']}]}", "security.issuers[0]", "not an https URL"),
        ("{issuers: [{iss: x, jwks_url: 'https://a/k', jwks_file: k.json}]}", "security.issuers[0]", "give one of"),
        ("{issuers: [{iss: x, jwks: {keys: 1}}]}", "security.issuers[0].jwks", "a 'keys' list"),
        ("{leeway_seconds: -1, issuers: [{iss: x, jwks_url: 'https://a/k'}]}", "security.leeway_seconds", "equal to 0"),
        ("{issuers: [{iss: x, jwks_url: 'https://a/k', audience: y}]}", "security.issuers[0].audience", "Extra"),
        (
            "{issuers: [{iss: x, jwks_url: 'https://a/k'}, {iss: x, jwks_url: 'https://b/k'}]}",
            "security.issuers[1].iss",
            "listed twice",
        ),
    ],
)
def test_a_bad_config_names_the_file_the_field_and_the_problem(tmp_path, security, field, problem):
    path = write_config(tmp_path, f"security: {security}\n")
    with pytest.raises(InputError) as caught:
        load_policy(path)
    assert (caught.value.path, caught.value.field) == (str(path), field)
    assert problem in caught.value.problem


def test_a_missing_jwks_file_is_named(tmp_path):
    path = write_config(tmp_path, "security: {issuers: [{iss: x, jwks_file: nowhere.json}]}\n")
    with pytest.raises(InputError) as caught:
        load_policy(path)
    assert str(tmp_path / "nowhere.json") in str(caught.value) and "cannot read file" in str(caught.value)
