"""A MAAS-HMAC-SHA256 request signer for tests: the function of docs/SECURITY.md#signed-requests's Python snippet
(test_signed_requests.py checks that the snippet signs the worked example as this does)."""
import hashlib
import hmac
import secrets
import urllib.parse
from datetime import datetime, timezone


def sign(method, url, body, key_id, secret, now=None, nonce=None, extra_headers=None):
    """Headers for a MAAS-HMAC-SHA256 signed request (docs/SECURITY.md#signed-requests)."""
    u = urllib.parse.urlsplit(url)
    now = now or datetime.now(timezone.utc)
    date = now.strftime("%Y%m%dT%H%M%SZ")
    headers = {"host": u.netloc, "x-maas-date": date,
               "x-maas-nonce": nonce or secrets.token_hex(16),
               "x-maas-content-sha256": hashlib.sha256(body).hexdigest()}
    headers.update({k.lower(): v for k, v in (extra_headers or {}).items()})
    enc = lambda s, safe: urllib.parse.quote(s, safe=safe)  # noqa: E731
    path = enc(urllib.parse.unquote(u.path or "/"), "/-_.~")
    query = "&".join(f"{enc(k, '-_.~')}={enc(v, '-_.~')}" for k, v in
                     sorted(urllib.parse.parse_qsl(u.query, keep_blank_values=True)))
    names = sorted(headers)
    canonical = "\n".join([method, path, query,
                           "".join(f"{n}:{' '.join(str(headers[n]).split())}\n" for n in names),
                           ";".join(names), headers["x-maas-content-sha256"]])
    scope = date[:8]
    to_sign = "\n".join(["MAAS-HMAC-SHA256", date, f"{scope}/maas_request",
                         hashlib.sha256(canonical.encode()).hexdigest()])
    k = hmac.new(secret.encode(), scope.encode(), hashlib.sha256).digest()
    k = hmac.new(k, b"maas_request", hashlib.sha256).digest()
    signature = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (f"MAAS-HMAC-SHA256 Credential={key_id}/{scope}, "
                                f"SignedHeaders={';'.join(names)}, Signature={signature}")
    return headers
