"""JWT authorizers (HTTP APIs) and Cognito user-pool authorizers (REST): RSA signature against a JWKS
file or URL, issuer, audience, expiry and scopes (gateway-runtime.md 8.6, 8.9)."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from ..gateway_errors import GatewayFailure
from ..request import GatewayRequest

JWKS_TTL_SECONDS = 300
JWKS_MAX_BYTES = 150_000
RSA_ALGORITHMS = ("RS256", "RS384", "RS512")


class JwksStore:
    """JWKS documents by file or URL, re-read after JWKS_TTL_SECONDS (files: when they change)."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[float, dict]] = {}

    async def get(self, gw: Any, source: str) -> dict:
        now = time.monotonic()
        cached = self.entries.get(source)
        if source.startswith(("http://", "https://")):
            if cached and cached[0] > now:
                return cached[1]
            document = await self._fetch(gw, source)
            self.entries[source] = (now + JWKS_TTL_SECONDS, document)
            return document
        path = Path(source)
        mtime = path.stat().st_mtime if path.is_file() else -1.0
        if cached and cached[0] == mtime:
            return cached[1]
        text = path.read_text(encoding="utf-8")
        document = json.loads(text)
        self.entries[source] = (mtime, document)
        return document

    async def _fetch(self, gw: Any, url: str) -> dict:
        import asyncio

        session = await gw.http_session()
        async with asyncio.timeout(1.5):
            async with session.get(url) as resp:
                if resp.status != 200:
                    raise ValueError(f"JWKS {url} answered {resp.status}")
                data = await resp.content.read(JWKS_MAX_BYTES + 1)
        if len(data) > JWKS_MAX_BYTES:
            raise ValueError(f"JWKS {url} is larger than {JWKS_MAX_BYTES} bytes")
        return json.loads(data)


def _token(req: GatewayRequest, source: str) -> str | None:
    if source.startswith(("$request.header.", "method.request.header.")):
        value = req.header(source.split(".header.", 1)[1])
    elif source.startswith(("$request.querystring.", "method.request.querystring.")):
        value = req.query_last().get(source.split(".querystring.", 1)[1])
    else:
        value = None
    if value and value[:7].lower() == "bearer ":
        value = value[7:].strip()
    return value or None


def _fail(rest: bool, description: str, *, forbidden: bool = False) -> GatewayFailure:
    if forbidden:
        return GatewayFailure("ACCESS_DENIED" if not rest else "UNAUTHORIZED", log=description)
    headers = {} if rest else {"www-authenticate": f'Bearer scope="" error="invalid_token" '
                                                   f'error_description="{description}"'}
    return GatewayFailure("UNAUTHORIZED", log=description, headers=headers)


async def authorize(gw: Any, req: GatewayRequest, auth: Any, scopes: list[str]) -> None:
    import jwt

    rest = gw.definition.is_rest
    source = auth.identity_sources[0] if auth.identity_sources else f"method.request.header.{auth.header}"
    if auth.type == "cognito_user_pools":
        source = f"method.request.header.{auth.header}"
    token = _token(req, source)
    if not token:
        raise _fail(rest, "the token is missing")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise _fail(rest, "the token is not a JWT") from None
    if header.get("alg") not in RSA_ALGORITHMS:
        raise _fail(rest, "the token is not signed with an RSA algorithm")
    try:
        jwks = await gw.jwks.get(gw, auth.jwks)
    except (OSError, ValueError, TimeoutError) as exc:
        gw.log(f"authorizer {auth.name}: cannot read JWKS {auth.jwks}: {exc}")
        raise GatewayFailure("AUTHORIZER_CONFIGURATION_ERROR" if rest else "API_CONFIGURATION_ERROR",
                             log=f"JWKS {auth.jwks}: {exc}") from None
    key = None
    for candidate in jwks.get("keys", []) if isinstance(jwks, dict) else []:
        if isinstance(candidate, dict) and candidate.get("kid") == header.get("kid"):
            try:
                key = jwt.PyJWK(candidate, algorithm=header["alg"]).key
            except jwt.PyJWTError:
                key = None
            break
    if key is None:
        raise _fail(rest, "no key in the JWKS matches the token's kid")
    try:
        claims = jwt.decode(token, key, algorithms=[header["alg"]], options={"verify_aud": False, "verify_iss": False,
                                                                               "require": ["exp"] if not rest else []},
                            leeway=0)
    except jwt.ExpiredSignatureError:
        raise _fail(rest, "the token has expired") from None
    except jwt.ImmatureSignatureError:
        raise _fail(rest, "the token is not valid yet") from None
    except jwt.PyJWTError as exc:
        raise _fail(rest, f"the token is invalid: {exc}") from None
    if auth.issuer and claims.get("iss") != auth.issuer:
        raise _fail(rest, "the token does not have a valid issuer")
    token_scopes = str(claims.get("scope", "")).split() + [str(s) for s in claims.get("scp", []) or []
                                                             if isinstance(claims.get("scp"), list)]
    if not rest:
        audiences = claims.get("aud")
        audiences = audiences if isinstance(audiences, list) else [audiences] if audiences else []
        if claims.get("client_id"):
            audiences.append(claims["client_id"])
        if auth.audiences and not any(a in auth.audiences for a in audiences):
            raise _fail(rest, "the token does not have a valid audience")
        if scopes and not any(s in token_scopes for s in scopes):
            raise _fail(rest, "the token does not have the required scope", forbidden=True)
        req.authorizer = {"jwt": {"claims": claims, "scopes": token_scopes or None}}
        return
    if scopes:
        if not any(s in token_scopes for s in scopes):
            raise _fail(rest, "the access token does not have one of the method's scopes")
    elif claims.get("token_use") not in (None, "id"):
        raise _fail(rest, "an ID token is needed (the method has no authorization scopes)")
    req.authorizer_claims = {k: v if isinstance(v, str) else json.dumps(v) if isinstance(v, (list, dict)) else str(v)
                             for k, v in claims.items()}
