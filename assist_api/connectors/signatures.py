"""The platforms' webhook signatures, checked in constant time.

Twilio: `X-Twilio-Signature` = base64(HMAC-SHA1(auth token, the full callback URL
followed by every POST parameter's name and value, sorted by name, no separators)).
Zendesk: `X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(signing secret,
`X-Zendesk-Webhook-Signature-Timestamp` + raw body)).
Both platforms sign with a shared secret kept in settings; a request whose signature
does not match is refused before its body is read as an event.
"""

import base64
import hashlib
import hmac
from collections.abc import Iterable


def twilio_signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """What Twilio sends for `url` and these (name, value) POST parameters."""
    signed = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def zendesk_signature(secret: str, timestamp: str, body: bytes) -> str:
    """What Zendesk sends for this timestamp header and raw body."""
    digest = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def matches(expected: str, presented: str | None) -> bool:
    """Constant-time comparison; bytes, because a non-ASCII str header would raise."""
    return presented is not None and hmac.compare_digest(expected.encode(), presented.encode())
