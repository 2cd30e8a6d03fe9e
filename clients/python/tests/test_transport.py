"""The client's transport over a real socket (scripted_server.py): Idempotency-Key stable across
retries, Retry-After honoured, dropped connections retried, DELETE only retried when Coffre did
not act, a server of another major refused. Waits are recorded, not slept."""
from __future__ import annotations

import asyncio
import re
from typing import List

import pytest

import coffre.async_client
import coffre.client
from coffre import AsyncCoffre, Coffre, CoffreApiError, RetryPolicy
from scripted_server import DROP, ScriptedServer, Step, coffre_error

HALF = RetryPolicy(random=lambda: 0.5)
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
USER = {"id": "u1", "telegramUserId": 1, "username": None, "polygonAddress": "0x", "solanaAddress": "s", "identityPublicKey": "02", "origin": "generated", "hasMnemonic": True, "createdAt": "t"}


@pytest.fixture()
def waits(monkeypatch: pytest.MonkeyPatch) -> List[float]:
    recorded: List[float] = []

    async def async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(coffre.client, "sleep", recorded.append)
    monkeypatch.setattr(coffre.async_client, "sleep", async_sleep)
    return recorded


def test_one_idempotency_key_across_retries_and_retry_after_honoured(waits: List[float]) -> None:
    script = [coffre_error(503, "COFFRE_STORE_FAILED", retry_after="2"), DROP, coffre_error(500, "COFFRE_INTERNAL"), Step(201, body=USER)]
    with ScriptedServer(script) as server, Coffre(server.url, "cfr_t", retry=HALF) as client:
        user = client.create_user(telegram_user_id=1)
    assert user.created is True and user.id == "u1"
    assert len(server.received) == 4
    keys = {r.headers["idempotency-key"] for r in server.received}
    assert len(keys) == 1 and UUID4.match(keys.pop())
    assert {r.body for r in server.received} == {b'{"telegramUserId": 1}'}
    # Retry-After 2 s + jitter 0.5 x 0.2; then full jitter 0.5 x 0.4 and 0.5 x 0.8.
    assert waits == pytest.approx([2.1, 0.2, 0.4])
    assert server.received[0].headers["coffre-api-version"] == "1"
    assert server.received[0].headers["authorization"] == "Bearer cfr_t"


def test_a_given_key_is_kept_and_calls_get_their_own(waits: List[float]) -> None:
    with ScriptedServer([], Step(200, body=USER)) as server, Coffre(server.url, "cfr_t") as client:
        client.create_user(telegram_user_id=1, idempotency_key="start-1")
        client.create_user(telegram_user_id=1)
        client.create_user(telegram_user_id=1)
    keys = [r.headers["idempotency-key"] for r in server.received]
    assert keys[0] == "start-1" and keys[1] != keys[2]


def test_network_failure_after_all_attempts(waits: List[float]) -> None:
    with ScriptedServer([DROP, DROP, DROP, Step()]) as server, Coffre(server.url, "cfr_t", retry=RetryPolicy(attempts=3)) as client:
        with pytest.raises(CoffreApiError) as failed:
            client.get_user("u1")
    assert (failed.value.code, failed.value.status) == ("COFFRE_NETWORK_FAILED", 0)
    assert "after 3 tries" in failed.value.message
    assert len(server.received) == 3


def test_a_long_retry_after_is_handed_back(waits: List[float]) -> None:
    with ScriptedServer([coffre_error(429, "COFFRE_RATE_LIMITED", retry_after="3600")]) as server, Coffre(server.url, "cfr_t") as client:
        with pytest.raises(CoffreApiError) as limited:
            client.verify_audit()
    assert (limited.value.code, limited.value.retry_after) == ("COFFRE_RATE_LIMITED", 3600.0)
    assert len(server.received) == 1 and waits == []


def test_delete_is_retried_only_when_coffre_did_not_act(waits: List[float]) -> None:
    with ScriptedServer([coffre_error(500, "COFFRE_INTERNAL"), DROP, coffre_error(503, "COFFRE_STORE_FAILED"), Step(200, body={"uuid": "p"})]) as server, Coffre(server.url, "cfr_t") as client:
        with pytest.raises(CoffreApiError) as internal:
            client.delete_pair("p")
        assert internal.value.code == "COFFRE_INTERNAL"
        with pytest.raises(CoffreApiError) as lost:
            client.delete_pair("p")
        assert lost.value.code == "COFFRE_NETWORK_FAILED"
        assert client.delete_pair("p").uuid == "p"
    assert len(server.received) == 4


def test_a_server_of_another_major_is_refused(waits: List[float]) -> None:
    with ScriptedServer([Step(200, {"Coffre-Api-Version": "2.0.0"}, USER), Step(200, {"Coffre-Api-Version": "1.9.0"}, USER)]) as server, Coffre(server.url, "cfr_t") as client:
        with pytest.raises(CoffreApiError) as refused:
            client.get_user("u1")
        assert refused.value.code == "COFFRE_API_VERSION_UNSUPPORTED"
        assert "speaks Coffre API 2.0.0; this client speaks 1.x" in refused.value.message
        assert client.get_user("u1").id == "u1", "a newer minor is fine"


def test_replies_that_are_not_coffres_and_errors_in_a_success_status(waits: List[float]) -> None:
    with ScriptedServer([Step(502, {}, "<html>Bad Gateway</html>"), coffre_error(202, "COFFRE_APPROVAL_REQUIRED")]) as server, Coffre(server.url, "cfr_t", retry=False) as client:
        with pytest.raises(CoffreApiError) as proxy:
            client.get_user("u1")
        assert (proxy.value.code, proxy.value.status) == ("COFFRE_UPSTREAM_FAILED", 502)
        with pytest.raises(CoffreApiError) as held:
            client.sign_message("u1", chain="polygon", message="x")
        assert (held.value.code, held.value.status) == ("COFFRE_APPROVAL_REQUIRED", 202)


def test_the_async_client_retries_the_same_way(waits: List[float]) -> None:
    async def scenario(url: str) -> None:
        async with AsyncCoffre(url, "cfr_t", retry=HALF) as client:
            user = await client.create_user(telegram_user_id=1)
            assert user.created is True

    with ScriptedServer([coffre_error(429, "COFFRE_RATE_LIMITED", retry_after="1"), DROP, Step(201, body=USER)]) as server:
        asyncio.run(scenario(server.url))
    assert len({r.headers["idempotency-key"] for r in server.received}) == 1 and len(server.received) == 3
    assert waits == pytest.approx([1.1, 0.2])


def test_the_server_refuses_a_client_of_another_major(service) -> None:
    import httpx

    reply = httpx.get(f"{service.url}/v1/users", headers={"Authorization": f"Bearer {service.token}", "Coffre-Api-Version": "2"})
    assert reply.status_code == 400 and reply.json()["error"]["code"] == "COFFRE_API_VERSION_UNSUPPORTED"
    assert reply.headers["coffre-api-version"].startswith("1.")
