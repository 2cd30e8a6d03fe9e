"""The one exception the client raises: the Coffre error code, the HTTP status and the message.

Codes are listed in Coffre's docs/errors.md. Raised by the client itself:
``COFFRE_NETWORK_FAILED`` (no reply after the retries; status 0), ``COFFRE_API_VERSION_UNSUPPORTED``
(the server speaks another major version) and ``COFFRE_UPSTREAM_FAILED`` (a reply that is not
Coffre's, such as a proxy's error page).
"""
from __future__ import annotations

import re
from typing import Any, Optional

import httpx

_CODE = re.compile(r"^COFFRE_[A-Z0-9_]+$")


class CoffreApiError(Exception):
    """A refused or failed call. ``code`` is stable; ``message`` is for people."""

    def __init__(self, code: str, status: int, message: str, retry_after: Optional[float] = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.status = status
        self.message = message
        #: Seconds the server asked to wait (Retry-After), when it did.
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"CoffreApiError(code={self.code!r}, status={self.status}, message={self.message!r})"


def error_from_response(response: httpx.Response) -> CoffreApiError:
    retry_after: Optional[float] = None
    header = response.headers.get("retry-after")
    if header is not None and header.strip().isdigit():
        retry_after = float(header.strip())
    body: Any
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and isinstance(error.get("code"), str) and _CODE.match(error["code"]):
        message = error.get("message") if isinstance(error.get("message"), str) else error["code"]
        return CoffreApiError(error["code"], response.status_code, message, retry_after)
    return CoffreApiError(
        "COFFRE_UPSTREAM_FAILED",
        response.status_code,
        f"the service replied HTTP {response.status_code} without a Coffre error (a proxy, or not a Coffre server)",
        retry_after,
    )
