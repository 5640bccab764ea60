"""PyJWT side of tests/jwt/interop.sh.

  interop.py sign DIR    -- make keys, write DIR/py_jwks.json, DIR/py_secret,
                            DIR/py_tokens.json ({alg: token}) signed by PyJWT
  interop.py verify DIR  -- verify DIR/php_tokens.json against DIR/php_jwks.json
                            (and the shared HMAC secret) with PyJWT
"""
import json
import os
import sys
import time
import uuid

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

ISS = "https://as.shop"
AUD = "https://mcp.shop/mcp"


def claims():
    now = int(time.time())
    return {"iss": ISS, "sub": "py-user", "aud": AUD, "client_id": "py-client",
            "iat": now, "exp": now + 120, "jti": uuid.uuid4().hex, "scope": "mcp:read"}


def sign(out):
    keys = {
        "RS256": (rsa.generate_private_key(public_exponent=65537, key_size=2048), RSAAlgorithm),
        "ES256": (ec.generate_private_key(ec.SECP256R1()), ECAlgorithm),
        "EdDSA": (ed25519.Ed25519PrivateKey.generate(), OKPAlgorithm),
    }
    jwks, tokens = [], {}
    for alg, (private, algo) in keys.items():
        jwk = json.loads(algo.to_jwk(private.public_key()))
        jwk.update({"kid": "py-" + alg, "alg": alg, "use": "sig"})
        jwks.append(jwk)
        tokens[alg] = jwt.encode(claims(), private, algorithm=alg,
                                 headers={"kid": jwk["kid"], "typ": "at+jwt"})
    secret = os.urandom(32)
    tokens["HS256"] = jwt.encode(claims(), secret, algorithm="HS256", headers={"typ": "at+jwt"})
    # Refusals the extension must report: an ID token and a token for another audience.
    c = claims()
    tokens["id_token"] = jwt.encode(c, keys["ES256"][0], algorithm="ES256", headers={"kid": "py-ES256", "typ": "JWT"})
    c["aud"] = "https://other.example/mcp"
    tokens["wrong_aud"] = jwt.encode(c, keys["ES256"][0], algorithm="ES256", headers={"kid": "py-ES256", "typ": "at+jwt"})
    with open(os.path.join(out, "py_jwks.json"), "w") as f:
        json.dump({"keys": jwks}, f)
    with open(os.path.join(out, "py_secret"), "wb") as f:
        f.write(secret)
    with open(os.path.join(out, "py_tokens.json"), "w") as f:
        json.dump(tokens, f)
    # An RSA private key for the extension to sign RS256 with (PKCS#8 PEM).
    pem = keys["RS256"][0].private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption())
    with open(os.path.join(out, "py_rsa_private.pem"), "wb") as f:
        f.write(pem)
    print(f"pyjwt {jwt.__version__}: signed {', '.join(tokens)}")


def verify(out):
    with open(os.path.join(out, "php_jwks.json")) as f:
        jwks = {k["kid"]: k for k in json.load(f)["keys"]}
    with open(os.path.join(out, "php_tokens.json")) as f:
        tokens = json.load(f)
    with open(os.path.join(out, "py_secret"), "rb") as f:
        secret = f.read()
    failures = 0
    for alg, token in tokens.items():
        header = jwt.get_unverified_header(token)
        key = secret if alg == "HS256" else jwt.PyJWK(jwks[header["kid"]]).key
        try:
            c = jwt.decode(token, key, algorithms=[alg], audience=AUD, issuer=ISS)
            assert header["typ"] == "at+jwt" and c["sub"] == "php-user" and c["client_id"] == "php-client"
            print(f"ok   PyJWT verified the extension's {alg} token")
        except Exception as e:  # noqa: BLE001 - report and count
            failures += 1
            print(f"FAIL PyJWT refused the extension's {alg} token: {e!r}")
    # Tampering is caught on the PyJWT side too (sanity of the harness).
    bad = tokens["ES256"][:-4] + ("AAAA" if not tokens["ES256"].endswith("AAAA") else "BBBB")
    try:
        jwt.decode(bad, jwt.PyJWK(jwks[jwt.get_unverified_header(bad)["kid"]]).key, algorithms=["ES256"], audience=AUD, issuer=ISS)
        failures += 1
        print("FAIL PyJWT accepted a tampered token")
    except jwt.InvalidTokenError:
        print("ok   PyJWT refused a tampered token")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    {"sign": sign, "verify": verify}[sys.argv[1]](sys.argv[2])
