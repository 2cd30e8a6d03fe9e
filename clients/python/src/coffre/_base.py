"""What Coffre and AsyncCoffre share: settings, headers, and turning a reply into a model or an error."""
from __future__ import annotations

import uuid
from typing import Any, Dict, Optional, TypeVar, Union

import httpx

from ._operations import Operation
from ._retry import NO_RETRY, VERSION_HEADER, RetryPolicy
from ._version import API_MAJOR, __version__
from .errors import error_from_response

T = TypeVar("T")

DEFAULT_TIMEOUT = 60.0


def client_settings(base_url: str, token: str, timeout: float, retry: Union[RetryPolicy, bool, None]) -> Dict[str, Any]:
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise ValueError("base_url must be an http(s) URL, e.g. http://127.0.0.1:8787")
    if not isinstance(token, str) or not token:
        raise ValueError("token must be a non-empty string (a cfr_… token from `coffre tokens create`)")
    if retry is False:
        policy = NO_RETRY
    elif retry is None or retry is True:
        policy = RetryPolicy()
    else:
        policy = retry
    return {
        "base_url": base_url.rstrip("/"),
        "headers": {"Authorization": f"Bearer {token}", VERSION_HEADER: str(API_MAJOR), "User-Agent": f"coffre-python/{__version__}"},
        "timeout": timeout,
        "policy": policy,
    }


def request_headers(operation: Operation[Any], idempotency_key: Optional[str]) -> Dict[str, str]:
    """POSTs carry an Idempotency-Key, made once per call so every retry repeats it."""
    if operation.method != "POST":
        return {}
    return {"Idempotency-Key": idempotency_key or str(uuid.uuid4())}


def result_of(operation: Operation[T], response: httpx.Response) -> T:
    if not response.is_success:
        raise error_from_response(response)
    body = response.json()
    # A success status carrying an error (202 COFFRE_APPROVAL_REQUIRED) is still an error.
    if isinstance(body, dict) and "error" in body:
        raise error_from_response(response)
    return operation.parse(response)
