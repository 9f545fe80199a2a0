"""A test LMS: an LTI 1.3 platform on 127.0.0.1 that Thaw's LTI tool is tested against.

A real HTTP server (a thread of the test process) with its own RSA key and JWKS. It does
what Moodle and Canvas do, from the specifications (LTI 1.3 core, Deep Linking 2.0, NRPS
2.0, AGS 2.0, the 1EdTech Security Framework), and checks what Thaw sends it:

* `/auth`: the OIDC authentication request Thaw's login step redirects to: every required
  parameter, the redirect URI registered for Thaw; answers with a page that posts the
  signed id_token and the state to Thaw (a browser runs its script; tests read the form);
* `/token`: client-credentials grants, whose JWT assertion it checks against Thaw's JWKS
  (issuer = subject = client id, audience = this URL, not expired, a fresh jti);
* `/nrps/<course>`: the course's members (paged, with a `Link: rel="next"` header);
* `/lineitems`, `/lineitems/<n>`, `/lineitems/<n>/scores`: AGS, each score checked
  (content type, bearer token with the score scope, the fields AGS requires) and kept;
  `down = True` makes it answer 503;
* `/dl_return`: the deep-linking response, checked against Thaw's JWKS, whose line items
  it creates as Moodle and Canvas do;
* `/course` and `/start`: a course page holding Thaw in an iframe, for browser tests.

`launch_token()` builds and signs an id_token directly, for the hostile cases.
"""

from __future__ import annotations

import html
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from jwcrypto.jwk import JWK

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
AGS = "https://purl.imsglobal.org/spec/lti-ags/scope/"
AGS_SCOPES = [AGS + "lineitem", AGS + "lineitem.readonly", AGS + "result.readonly", AGS + "score"]
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
CLIENT_ID = "thaw-client-1"
DEPLOYMENT_ID = "deployment-1"
COURSE_ID = "course-10b"


_KEYS: list[JWK] = []


def platform_key() -> JWK:
    """The platforms' RSA key, made once per test run (making one takes a while)."""
    if not _KEYS:
        _KEYS.append(JWK.generate(kty="RSA", size=2048, kid=f"platform-{uuid.uuid4().hex[:8]}"))
    return _KEYS[0]


@dataclass
class Member:
    sub: str
    name: str
    role: str = "Learner"
    status: str = "Active"

    def claims(self) -> dict:
        given, _, family = self.name.partition(" ")
        return {"name": self.name, "given_name": given, "family_name": family}


@dataclass
class Platform:
    tool_launch_url: str
    tool_login_url: str = ""
    tool_jwks_url: str = ""  # fetched over HTTP when set, else `tool_jwks`
    tool_jwks: dict | None = None
    members: list[Member] = field(default_factory=list)
    page_size: int = 2
    down: bool = False
    scores: list[dict] = field(default_factory=list)
    lineitems: dict[int, dict] = field(default_factory=dict)
    deep_link_items: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what Thaw sent wrong
    token_requests: int = 0
    nrps_requests: int = 0

    def __post_init__(self) -> None:
        self.key = platform_key()
        self._tokens: dict[str, list[str]] = {}
        self._jtis: set[str] = set()
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"platform": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- set-up --------------------------------------------------------------------

    @property
    def issuer(self) -> str:
        return self.url

    def start(self) -> Platform:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def registration_fields(self) -> dict:
        return {
            "name": "Test LMS",
            "issuer": self.issuer,
            "client_id": CLIENT_ID,
            "auth_url": f"{self.url}/auth",
            "token_url": f"{self.url}/token",
            "keyset_url": f"{self.url}/jwks",
        }

    def member(self, sub: str) -> Member:
        return next(m for m in self.members if m.sub == sub)

    # --- launches ------------------------------------------------------------------

    def login_params(self, *, sub: str, message: str = "resource:link-1") -> dict:
        """What the LMS sends to Thaw's login URL (third-party initiated login)."""
        return {
            "iss": self.issuer,
            "login_hint": sub,
            "target_link_uri": self.tool_launch_url,
            "lti_message_hint": message,
            "client_id": CLIENT_ID,
            "lti_deployment_id": DEPLOYMENT_ID,
        }

    def claims(self, *, sub: str, nonce: str, message: str, custom: dict | None = None) -> dict:
        member = self.member(sub)
        now = int(time.time())
        body = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **member.claims(),
            LTI + "version": "1.3.0",
            LTI + "deployment_id": DEPLOYMENT_ID,
            LTI + "roles": [ROLE + member.role],
            LTI + "context": {"id": COURSE_ID, "label": "10B", "title": "History 10B"},
            LTI + "tool_platform": {"guid": "test-lms", "name": "Test LMS", "url": self.url},
            LTI + "launch_presentation": {
                "document_target": "iframe",
                "return_url": f"{self.url}/course",
            },
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": f"{self.url}/nrps/{COURSE_ID}",
                "service_versions": ["2.0"],
            },
        }
        kind, _, link = message.partition(":")
        if kind == "deep-link":
            body[LTI + "message_type"] = "LtiDeepLinkingRequest"
            body["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": f"{self.url}/dl_return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": False,
                "data": "opaque-platform-data",
            }
        else:
            item = next(
                (i for i in self.lineitems.values() if i.get("resourceLinkId") == link), None
            )
            body[LTI + "message_type"] = "LtiResourceLinkRequest"
            body[LTI + "target_link_uri"] = self.tool_launch_url
            body[LTI + "resource_link"] = {"id": link, "title": "Thaw work"}
            body[LTI + "custom"] = dict(custom or (item or {}).get("custom", {}))
            endpoint = {"scope": AGS_SCOPES, "lineitems": f"{self.url}/lineitems"}
            if item:
                endpoint["lineitem"] = item["id"]
            body["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = endpoint
        return body

    def launch_token(self, claims: dict, *, key: JWK | None = None) -> str:
        key = key or self.key
        private = key.export_to_pem(private_key=True, password=None)
        return jwt.encode(claims, private, algorithm="RS256", headers={"kid": key["kid"]})

    def auth_response(self, params: dict) -> tuple[str, dict]:
        """(Thaw's launch URL, the form fields) for an OIDC authentication request."""
        required = {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": CLIENT_ID,
            "redirect_uri": self.tool_launch_url,
        }
        for name, wanted in required.items():
            if params.get(name) != wanted:
                raise ValueError(f"auth request: {name}={params.get(name)!r}, wanted {wanted!r}")
        for name in ("state", "nonce", "login_hint"):
            if not params.get(name):
                raise ValueError(f"auth request without {name}")
        message = params.get("lti_message_hint", "resource:link-1")
        claims = self.claims(sub=params["login_hint"], nonce=params["nonce"], message=message)
        return params["redirect_uri"], {
            "id_token": self.launch_token(claims),
            "state": params["state"],
        }

    # --- checking what Thaw signs ----------------------------------------------------

    def _tool_keys(self) -> dict:
        if self.tool_jwks_url:
            return requests.get(self.tool_jwks_url, timeout=5).json()
        return self.tool_jwks or {"keys": []}

    def verify_tool_jwt(self, token: str, *, audience: str) -> dict:
        header = jwt.get_unverified_header(token)
        for key in self._tool_keys()["keys"]:
            if key.get("kid") == header.get("kid"):
                public = JWK(**key).export_to_pem()
                return jwt.decode(
                    token,
                    public,
                    algorithms=["RS256"],
                    audience=audience,
                    options={"require": ["exp", "iat"]},
                )
        raise ValueError(f"no key {header.get('kid')!r} in Thaw's JWKS")

    def grant(self, form: dict) -> dict:
        self.token_requests += 1
        if form.get("grant_type") != "client_credentials":
            raise ValueError("grant_type must be client_credentials")
        if form.get("client_assertion_type") != (
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ):
            raise ValueError("client_assertion_type must be jwt-bearer")
        claims = self.verify_tool_jwt(
            form.get("client_assertion", ""), audience=f"{self.url}/token"
        )
        if claims.get("iss") != CLIENT_ID or claims.get("sub") != CLIENT_ID:
            raise ValueError("the assertion's iss and sub must be the client id")
        with self._lock:
            if claims.get("jti") in self._jtis:
                raise ValueError("assertion jti used twice")
            self._jtis.add(claims.get("jti"))
            token = uuid.uuid4().hex
            self._tokens[token] = form.get("scope", "").split()
        return {"access_token": token, "token_type": "Bearer", "expires_in": 3600}

    def scopes_of(self, authorization: str) -> list[str]:
        token = authorization.removeprefix("Bearer ").strip()
        return self._tokens.get(token, [])

    def receive_deep_link(self, token: str) -> None:
        claims = self.verify_tool_jwt(token, audience=self.issuer)
        if claims.get("iss") != CLIENT_ID:
            raise ValueError("deep-linking response iss must be the client id")
        if claims.get(LTI + "message_type") != "LtiDeepLinkingResponse":
            raise ValueError("not a deep-linking response")
        if claims.get(LTI + "deployment_id") != DEPLOYMENT_ID:
            raise ValueError("wrong deployment id")
        if (
            claims.get("https://purl.imsglobal.org/spec/lti-dl/claim/data")
            != "opaque-platform-data"
        ):
            raise ValueError("the platform's data was not returned")
        for item in claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]:
            if item.get("type") != "ltiResourceLink":
                raise ValueError(f"content item of type {item.get('type')!r}")
            self.deep_link_items.append(item)
            link = f"link-dl-{len(self.deep_link_items)}"
            if "lineItem" in item:
                self.create_lineitem(
                    {**item["lineItem"], "resourceLinkId": link, "custom": item.get("custom", {})}
                )

    def create_lineitem(self, data: dict) -> dict:
        with self._lock:
            number = len(self.lineitems) + 1
            item = {**data, "id": f"{self.url}/lineitems/{number}"}
            self.lineitems[number] = item
        return item

    def record_score(self, number: int, body: dict) -> None:
        for name in ("userId", "activityProgress", "gradingProgress", "timestamp"):
            if name not in body:
                raise ValueError(f"score without {name}")
        if "scoreGiven" in body and "scoreMaximum" not in body:
            raise ValueError("scoreGiven without scoreMaximum")
        if number not in self.lineitems:
            raise KeyError(number)
        with self._lock:
            self.scores.append({"lineitem": number, **body})


class _Handler(BaseHTTPRequestHandler):
    platform: Platform

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: object = b"", *, kind="application/json", headers=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _refuse(self, status: int, problem: str) -> None:
        self.platform.problems.append(f"{self.command} {self.path}: {problem}")
        self._send(status, {"error": problem})

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _form(self) -> dict:
        return {k: v[0] for k, v in parse_qs(self._body().decode()).items()}

    def _authorised(self, scope: str) -> bool:
        if scope not in self.platform.scopes_of(self.headers.get("Authorization", "")):
            self._refuse(401, f"no bearer token with {scope}")
            return False
        return True

    def do_GET(self) -> None:
        platform = self.platform
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path
        if path == "/jwks":
            return self._send(200, {"keys": [json.loads(platform.key.export_public())]})
        if path == "/auth":
            try:
                action, fields = platform.auth_response(query)
            except (ValueError, StopIteration) as error:
                return self._refuse(400, str(error))
            inputs = "".join(
                f'<input type="hidden" name="{k}" value="{html.escape(v)}">'
                for k, v in fields.items()
            )
            page = (
                f'<!doctype html><form id="launch" method="post" action="{html.escape(action)}">'
                f'{inputs}<button type="submit">Continue</button></form>'
                "<script>document.getElementById('launch').submit()</script>"
            )
            return self._send(200, page.encode(), kind="text/html")
        if path == "/start":
            login = (
                platform.tool_login_url
                + "?"
                + urlencode(
                    platform.login_params(
                        sub=query["user"], message=query.get("message", "resource:link-1")
                    )
                )
            )
            self.send_response(302)
            self.send_header("Location", login)
            self.end_headers()
            return None
        if path == "/course":
            src = f"/start?{urlencode({k: v for k, v in query.items()})}"
            page = (
                "<!doctype html><title>History 10B</title><h1>History 10B (Test LMS)</h1>"
                f'<iframe id="tool" title="Thaw" src="{html.escape(src)}" width="1000" height="700"></iframe>'
            )
            return self._send(200, page.encode(), kind="text/html")
        if path.startswith("/nrps/"):
            platform.nrps_requests += 1
            if not self._authorised(NRPS_SCOPE):
                return None
            if platform.down:
                return self._send(503, {"error": "down"})
            start = int(query.get("page", "0"))
            chunk = platform.members[start : start + platform.page_size]
            body = {
                "id": f"{platform.url}{path}",
                "context": {"id": COURSE_ID, "title": "History 10B"},
                "members": [
                    {"user_id": m.sub, "status": m.status, "roles": [ROLE + m.role], **m.claims()}
                    for m in chunk
                ],
            }
            headers = {}
            if start + platform.page_size < len(platform.members):
                headers["Link"] = (
                    f'<{platform.url}{path}?page={start + platform.page_size}>; rel="next"'
                )
            return self._send(
                200,
                body,
                kind="application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
                headers=headers,
            )
        if path == "/lineitems":
            scopes = platform.scopes_of(self.headers.get("Authorization", ""))
            if not ({AGS + "lineitem", AGS + "lineitem.readonly"} & set(scopes)):
                return self._refuse(401, "no bearer token for line items")
            items = [
                {k: v for k, v in item.items() if k != "custom"}
                for item in platform.lineitems.values()
                if "resource_id" not in query or item.get("resourceId") == query["resource_id"]
            ]
            return self._send(200, items, kind="application/vnd.ims.lis.v2.lineitemcontainer+json")
        return self._refuse(404, "no such page")

    def do_POST(self) -> None:
        platform = self.platform
        path = urlsplit(self.path).path
        if path == "/token":
            try:
                return self._send(200, platform.grant(self._form()))
            except (ValueError, jwt.InvalidTokenError) as error:
                return self._refuse(400, f"token request: {error}")
        if path == "/dl_return":
            try:
                platform.receive_deep_link(self._form().get("JWT", ""))
            except (ValueError, KeyError, jwt.InvalidTokenError) as error:
                return self._refuse(400, f"deep-linking response: {error}")
            page = b"<!doctype html><title>Added</title><p id='added'>Added to the course.</p>"
            return self._send(200, page, kind="text/html")
        if path.startswith("/lineitems/") and path.endswith("/scores"):
            if not self._authorised(AGS + "score"):
                return None
            if self.headers.get("Content-Type", "").split(";")[0] != SCORE_TYPE:
                return self._refuse(415, f"score content type {self.headers.get('Content-Type')!r}")
            body = json.loads(self._body() or b"{}")
            if platform.down:
                return self._send(503, {"error": "down for maintenance"})
            try:
                platform.record_score(int(path.split("/")[2]), body)
            except (ValueError, KeyError) as error:
                return self._refuse(400, f"score: {error}")
            return self._send(200, {})
        return self._refuse(404, "no such page")
