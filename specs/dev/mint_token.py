"""Mint a token for the example's Cognito authorizer (local development only: the key in this folder is
public, so tokens it signs prove nothing outside `apictl serve`).

    python specs/dev/mint_token.py                      # access token with scope catalogue/write
    python specs/dev/mint_token.py --id                 # ID token (methods without scopes)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import jwt

HERE = Path(__file__).resolve().parent
ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123"


def mint(scope: str | None = "catalogue/write", *, id_token: bool = False, lifetime: int = 3600) -> str:
    now = int(time.time())
    claims = {"sub": "local-user", "iss": ISSUER, "iat": now, "exp": now + lifetime,
              "token_use": "id" if id_token else "access", "client_id": "local-client", "username": "local-user"}
    if id_token:
        claims.update({"aud": "local-client", "email": "dev@example.com"})
    elif scope:
        claims["scope"] = scope
    return jwt.encode(claims, (HERE / "signing-key.pem").read_text(), algorithm="RS256",
                      headers={"kid": "apictl-dev-1"})


if __name__ == "__main__":
    print(mint(id_token="--id" in sys.argv[1:]))
