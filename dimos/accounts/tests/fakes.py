"""Local fake identity providers speaking the real protocols over HTTP.

Each is a real ``http.server`` on 127.0.0.1 in a daemon thread, so the
providers are exercised through ``requests`` exactly as in production.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

USERINFO_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<root><userinfo userid="{userid}" taxid="{taxid}" '
    'lastname="{lastname}" firstname="{firstname}" fathername="{fathername}" '
    'mothername="{mothername}" birthyear="{birthyear}"/></root>'
)


class _Server:
    """Shared plumbing: a threaded HTTP server whose handler calls ``self.handle``."""

    def __init__(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner._dispatch(self, "GET", b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                owner._dispatch(self, "POST", self.rfile.read(length))

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.requests: list[tuple[str, str, dict[str, list[str]], dict[str, str]]] = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> _Server:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _dispatch(self, h: BaseHTTPRequestHandler, method: str, body: bytes) -> None:
        url = urlparse(h.path)
        params = parse_qs(url.query)
        if method == "POST":
            params.update(parse_qs(body.decode("utf-8")))
        headers = {k.lower(): v for k, v in h.headers.items()}
        self.requests.append((method, url.path, params, headers))
        status, resp_headers, payload = self.handle(method, url.path, params, headers)
        h.send_response(status)
        for key, value in resp_headers.items():
            h.send_header(key, value)
        data = payload.encode("utf-8") if isinstance(payload, str) else payload
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def handle(
        self, method: str, path: str, params: dict[str, list[str]], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], str | bytes]:
        raise NotImplementedError

    @staticmethod
    def one(params: dict[str, list[str]], name: str) -> str:
        return (params.get(name) or [""])[0]


class FakeTaxisNet(_Server):
    """GSIS OAuth 2.0: /oauth2server/oauth/authorize, /oauth/token, /userinfo?format=xml."""

    client_id = "dimos-test-client"
    client_secret = "s3cret-for-tests"

    def __init__(self) -> None:
        super().__init__()
        self.root = self.base + "/oauth2server"
        self.person = {
            "userid": "User071",
            "taxid": "090000045",
            "lastname": "ΠΑΠΑΔΟΠΟΥΛΟΥ",
            "firstname": "ΜΑΡΙΑ",
            "fathername": "ΓΕΩΡΓΙΟΣ",
            "mothername": "ΕΛΕΝΗ",
            "birthyear": "1985",
        }
        self.codes: dict[str, str] = {}  # code -> redirect_uri
        self.tokens: set[str] = set()
        self.token_status = 200
        self.userinfo_status = 200
        self.userinfo_body: str | None = None
        self.delay = 0.0

    def handle(self, method, path, params, headers):  # type: ignore[no-untyped-def]
        one = lambda name: self.one(params, name)  # noqa: E731
        if path == "/oauth2server/oauth/authorize" and method == "GET":
            if one("client_id") != self.client_id or one("response_type") != "code":
                return 400, {"Content-Type": "text/plain"}, "bad request"
            code = secrets.token_hex(8)
            self.codes[code] = one("redirect_uri")
            target = f"{one('redirect_uri')}?{urlencode({'code': code, 'state': one('state')})}"
            return 302, {"Location": target}, ""
        if path == "/oauth2server/oauth/token" and method == "POST":
            if self.delay:
                time.sleep(self.delay)
            if self.token_status != 200:
                return self.token_status, {"Content-Type": "application/json"}, '{"error":"server_error"}'
            code = one("code")
            if (
                one("grant_type") != "authorization_code"
                or one("client_id") != self.client_id
                or one("client_secret") != self.client_secret
                or self.codes.pop(code, None) != one("redirect_uri")
            ):
                return 400, {"Content-Type": "application/json"}, '{"error":"invalid_grant"}'
            token = secrets.token_hex(16)
            self.tokens.add(token)
            body = {"access_token": token, "token_type": "bearer", "expires_in": 3600, "scope": "read"}
            return 200, {"Content-Type": "application/json"}, json.dumps(body)
        if path == "/oauth2server/userinfo" and method == "GET":
            token = headers.get("authorization", "").removeprefix("Bearer ")
            if token not in self.tokens or one("format") != "xml":
                return 401, {"Content-Type": "text/plain"}, "unauthorized"
            if self.userinfo_status != 200:
                return self.userinfo_status, {"Content-Type": "text/plain"}, "error"
            body = (
                self.userinfo_body if self.userinfo_body is not None else USERINFO_XML.format(**self.person)
            )
            return 200, {"Content-Type": "application/xml; charset=utf-8"}, body
        return 404, {"Content-Type": "text/plain"}, "not found"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class FakeOIDC(_Server):
    """An OpenID Provider: discovery, authorize (PKCE S256), token (signed ID token), JWKS, userinfo."""

    client_id = "dimos-oidc"
    client_secret = "oidc-secret"

    def __init__(self) -> None:
        super().__init__()
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.sub = "person-42"
        self.claims: dict[str, Any] = {
            "given_name": "Eleni",
            "family_name": "Dimitriou",
            "email": "eleni@example.org",
            "email_verified": True,
        }
        self.pending: dict[str, dict[str, str]] = {}
        self.tokens: set[str] = set()
        self.tamper: str = ""  # "nonce", "audience", "signature", "expired", "issuer"

    def handle(self, method, path, params, headers):  # type: ignore[no-untyped-def]
        one = lambda name: self.one(params, name)  # noqa: E731
        js = {"Content-Type": "application/json"}
        if path == "/.well-known/openid-configuration":
            return (
                200,
                js,
                json.dumps(
                    {
                        "issuer": self.base,
                        "authorization_endpoint": self.base + "/authorize",
                        "token_endpoint": self.base + "/token",
                        "userinfo_endpoint": self.base + "/userinfo",
                        "jwks_uri": self.base + "/jwks",
                        "response_types_supported": ["code"],
                        "id_token_signing_alg_values_supported": ["RS256"],
                    }
                ),
            )
        if path == "/jwks":
            jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
            jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
            return 200, js, json.dumps({"keys": [jwk]})
        if path == "/authorize":
            if one("client_id") != self.client_id or one("code_challenge_method") != "S256":
                return 400, js, '{"error":"invalid_request"}'
            code = secrets.token_hex(8)
            self.pending[code] = {
                "redirect_uri": one("redirect_uri"),
                "challenge": one("code_challenge"),
                "nonce": one("nonce"),
            }
            return (
                302,
                {"Location": f"{one('redirect_uri')}?{urlencode({'code': code, 'state': one('state')})}"},
                "",
            )
        if path == "/token" and method == "POST":
            grant = self.pending.pop(one("code"), None)
            verifier = one("code_verifier")
            challenge = _b64(hashlib.sha256(verifier.encode()).digest())
            if (
                grant is None
                or one("client_id") != self.client_id
                or one("client_secret") != self.client_secret
                or grant["redirect_uri"] != one("redirect_uri")
                or grant["challenge"] != challenge
            ):
                return 400, js, '{"error":"invalid_grant"}'
            now = int(time.time())
            claims = {
                "iss": self.base,
                "sub": self.sub,
                "aud": self.client_id,
                "iat": now,
                "exp": now + 300,
                "nonce": grant["nonce"],
                **self.claims,
            }
            key: Any = self.key
            if self.tamper == "nonce":
                claims["nonce"] = "something-else"
            elif self.tamper == "audience":
                claims["aud"] = "another-client"
            elif self.tamper == "expired":
                claims["iat"], claims["exp"] = now - 7200, now - 3600
            elif self.tamper == "issuer":
                claims["iss"] = "https://evil.example"
            elif self.tamper == "signature":
                key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
            access = secrets.token_hex(16)
            self.tokens.add(access)
            return 200, js, json.dumps({"access_token": access, "token_type": "Bearer", "id_token": id_token})
        if path == "/userinfo":
            token = headers.get("authorization", "").removeprefix("Bearer ")
            if token not in self.tokens:
                return 401, js, "{}"
            return 200, js, json.dumps({"sub": self.sub, **self.claims})
        return 404, js, "{}"
