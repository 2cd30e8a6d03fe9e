"""When the client tries a request again, and how long it waits (shared by Coffre and AsyncCoffre).

- POSTs carry an Idempotency-Key (a random UUID unless the caller gives one), the same on every
  retry, so the server runs the work at most once.
- Retried: connection failures and timeouts, and 429/500/502/503/504, for GET and POST; a DELETE
  only on 429 and 503, which Coffre sends before acting.
- Waits: the server's Retry-After plus a little jitter (beyond ``max_retry_after`` the error goes
  back at once, with ``retry_after`` set), else exponential backoff with full jitter.
- Every reply's Coffre-Api-Version is checked before anything reads it.
"""
from __future__ import annotations

import email.utils
import random
import re
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

import httpx

from ._version import API_MAJOR
from .errors import CoffreApiError

VERSION_HEADER = "Coffre-Api-Version"
_RETRYABLE = frozenset({429, 500, 502, 503, 504})
_RETRYABLE_DELETE = frozenset({429, 503})
_MAJOR = re.compile(r"^([0-9]+)(\.|$)")


@dataclass(frozen=True)
class RetryPolicy:
    #: Tries in all, the first included (1 turns retrying off).
    attempts: int = 4
    #: First backoff ceiling in seconds, doubled each try.
    base_delay: float = 0.2
    #: Backoff ceiling in seconds.
    max_delay: float = 5.0
    #: Longest Retry-After the client waits for, in seconds.
    max_retry_after: float = 30.0
    random: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.attempts, int) or self.attempts < 1:
            raise ValueError("attempts must be an integer of at least 1")
        for name in ("base_delay", "max_delay", "max_retry_after"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")


NO_RETRY = RetryPolicy(attempts=1)


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Retry-After in seconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def backoff(policy: RetryPolicy, attempt: int, retry_after: Optional[float]) -> Optional[float]:
    """Seconds before try ``attempt + 1``, or None when the server asked for a longer wait than allowed."""
    ceiling = min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
    if retry_after is None:
        return policy.random() * ceiling
    if retry_after > policy.max_retry_after:
        return None
    return retry_after + policy.random() * min(ceiling, 1.0)


def check_server_version(response: httpx.Response) -> None:
    stated = response.headers.get(VERSION_HEADER)
    if stated is None:
        return
    match = _MAJOR.match(stated.strip())
    if match and int(match.group(1)) == API_MAJOR:
        return
    raise CoffreApiError(
        "COFFRE_API_VERSION_UNSUPPORTED",
        response.status_code,
        f"the server speaks Coffre API {stated}; this client speaks {API_MAJOR}.x: use a client release for API {match.group(1) if match else stated}",
    )


class Attempts:
    """The retry decisions for one logical request; the sync and async loops sleep as told."""

    def __init__(self, policy: RetryPolicy, method: str, path: str) -> None:
        self.policy = policy
        self.method = method
        self.path = path
        self.retries_network = method in ("GET", "HEAD", "POST")
        self.retryable = _RETRYABLE_DELETE if method == "DELETE" else _RETRYABLE

    def after_error(self, attempt: int, error: httpx.TransportError) -> float:
        """The wait before retrying a request that got no reply; raises when done trying."""
        if attempt >= self.policy.attempts or not self.retries_network:
            tries = "try" if attempt == 1 else "tries"
            raise CoffreApiError("COFFRE_NETWORK_FAILED", 0, f"{self.method} {self.path}: {type(error).__name__}: {error} (after {attempt} {tries})") from error
        return backoff(self.policy, attempt, None) or 0.0

    def after_response(self, attempt: int, response: httpx.Response) -> Optional[float]:
        """None: hand this reply back; a number: wait that long and try again."""
        check_server_version(response)
        if attempt >= self.policy.attempts or response.status_code not in self.retryable:
            return None
        return backoff(self.policy, attempt, parse_retry_after(response.headers.get("retry-after")))
