"""AWS Signature Version 4: signing requests to AWS services, and verifying signed requests for
``AWS_IAM`` methods (with the credentials given to serve)."""
from __future__ import annotations

import datetime
import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

ALGORITHM = "AWS4-HMAC-SHA256"
AUTH_HEADER = re.compile(r"^AWS4-HMAC-SHA256\s+Credential=(?P<cred>[^,\s]+)\s*,\s*SignedHeaders=(?P<signed>[^,\s]+)"
                         r"\s*,\s*Signature=(?P<sig>[0-9a-fA-F]+)\s*$")
MAX_SKEW = datetime.timedelta(minutes=15)


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = _hmac(("AWS4" + secret).encode("utf-8"), date)
    key = _hmac(key, region)
    key = _hmac(key, service)
    return _hmac(key, "aws4_request")


def _encode(value: str) -> str:
    return quote(value, safe="-_.~")


def canonical_query(raw_query: str) -> str:
    pairs = []
    for part in raw_query.split("&") if raw_query else []:
        if not part:
            continue
        key, _, value = part.partition("=")
        pairs.append((_encode(unquote(key)), _encode(unquote(value))))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def canonical_headers(headers: list[tuple[str, str]], signed: list[str]) -> str:
    values: dict[str, list[str]] = {}
    for name, value in headers:
        values.setdefault(name.lower(), []).append(" ".join(value.strip().split()))
    return "".join(f"{name}:{','.join(values.get(name, []))}\n" for name in signed)


def string_to_sign(method: str, canonical_uri: str, raw_query: str, headers: list[tuple[str, str]],
                   signed: list[str], payload_hash: str, amz_date: str, scope: str) -> str:
    canonical = "\n".join([method, canonical_uri, canonical_query(raw_query), canonical_headers(headers, signed),
                           ";".join(signed), payload_hash])
    return "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])


def sign(method: str, url: str, headers: dict[str, str], body: bytes, *, service: str, region: str,
         access_key: str, secret_key: str, session_token: str | None = None,
         now: datetime.datetime | None = None) -> dict[str, str]:
    """``headers`` plus the SigV4 ones (Host, X-Amz-Date, Authorization...)."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    parts = urlsplit(url)
    out = {k: v for k, v in headers.items() if k.lower() not in ("authorization", "x-amz-date", "host")}
    out["Host"] = parts.netloc
    out["X-Amz-Date"] = amz_date
    if session_token:
        out["X-Amz-Security-Token"] = session_token
    payload_hash = hashlib.sha256(body).hexdigest()
    if service == "s3":
        out["x-amz-content-sha256"] = payload_hash
    path = parts.path or "/"
    canonical_uri = path if service == "s3" else quote(path, safe="/~")
    signed = sorted({k.lower() for k in out})
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    to_sign = string_to_sign(method, canonical_uri, parts.query, list(out.items()), signed, payload_hash, amz_date,
                             scope)
    signature = hmac.new(signing_key(secret_key, amz_date[:8], region, service), to_sign.encode("utf-8"),
                         hashlib.sha256).hexdigest()
    out["Authorization"] = f"{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders={';'.join(signed)}, " \
                           f"Signature={signature}"
    return out


@dataclass
class Verified:
    access_key: str
    region: str


class SignatureError(Exception):
    def __init__(self, type: str, message: str):
        super().__init__(message)
        self.type = type  # MISSING_AUTHENTICATION_TOKEN | INVALID_SIGNATURE | EXPIRED_TOKEN
        self.message = message


def verify(method: str, raw_path: str, raw_query: str, headers: list[tuple[str, str]], body: bytes,
           credentials: dict[str, str], *, service: str = "execute-api",
           now: datetime.datetime | None = None) -> Verified:
    """Check a SigV4-signed request; raises SignatureError with the gateway response type."""
    values = {}
    for name, value in headers:
        values[name.lower()] = value
    auth = values.get("authorization")
    if not auth or not auth.startswith(ALGORITHM):
        raise SignatureError("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token")
    m = AUTH_HEADER.match(auth.strip())
    if not m:
        raise SignatureError("INCOMPLETE_SIGNATURE", "Authorization header requires 'Credential', 'Signature' and "
                             "'SignedHeaders' parameters.")
    cred = m.group("cred").split("/")
    if len(cred) != 5 or cred[4] != "aws4_request":
        raise SignatureError("INVALID_SIGNATURE", "Credential should be scoped to a valid region.")
    access_key, date, region, svc = cred[0], cred[1], cred[2], cred[3]
    if svc != service:
        raise SignatureError("INVALID_SIGNATURE", f"Credential should be scoped to correct service: '{service}'.")
    secret = credentials.get(access_key)
    if secret is None:
        raise SignatureError("INVALID_SIGNATURE", "The security token included in the request is invalid.")
    amz_date = values.get("x-amz-date") or ""
    try:
        when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        raise SignatureError("INVALID_SIGNATURE", "Authorization header requires existence of either a "
                             "'X-Amz-Date' or a 'Date' header.") from None
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if abs(now - when) > MAX_SKEW or not amz_date.startswith(date):
        raise SignatureError("EXPIRED_TOKEN", f"Signature expired: {amz_date} is now earlier than "
                             f"{(now - MAX_SKEW).strftime('%Y%m%dT%H%M%SZ')}")
    signed = m.group("signed").split(";")
    if "host" not in signed:
        raise SignatureError("INVALID_SIGNATURE", "'Host' must be a 'SignedHeader' in the AWS Authorization.")
    payload_hash = values.get("x-amz-content-sha256") or hashlib.sha256(body).hexdigest()
    scope = f"{date}/{region}/{svc}/aws4_request"
    key = signing_key(secret, date, region, svc)
    path = raw_path or "/"
    for canonical_uri in dict.fromkeys([quote(path, safe="/~"), path, quote(unquote(path), safe="/~")]):
        to_sign = string_to_sign(method, canonical_uri, raw_query, headers, signed, payload_hash, amz_date, scope)
        expected = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected, m.group("sig").lower()):
            return Verified(access_key, region)
    raise SignatureError("INVALID_SIGNATURE", "The request signature we calculated does not match the signature you "
                         "provided. Check your AWS Secret Access Key and signing method. Consult the service "
                         "documentation for details.")
