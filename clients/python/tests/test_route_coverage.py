"""Every /v1 operation of the live /openapi.json has a method on Coffre and on AsyncCoffre, and each
method calls the route it claims (the TypeScript client has the same test,
test/client/routeCoverage.test.ts). A route added to the server without a method fails here."""
from __future__ import annotations

import asyncio
import inspect
import re
from typing import Any, Callable, Dict, List, Tuple

import httpx
import pytest

from coffre import AsyncCoffre, Coffre
from scripted_server import ScriptedServer, Step

U = "01900000-0000-7000-8000-000000000001"
P = "01900000-0000-7000-8000-000000000002"
KEY = "02" + "ab" * 32
HASH = "0x" + "cd" * 32
ADDR = "0x" + "ab" * 20

#: method name -> (route it must reach, how to call it with placeholder arguments)
METHODS: Dict[str, Tuple[str, Callable[[Any], Any]]] = {
    "create_user": ("POST /v1/users", lambda c: c.create_user(telegram_user_id=1)),
    "list_users": ("GET /v1/users", lambda c: c.list_users(limit=5)),
    "find_user": ("GET /v1/users", lambda c: c.find_user(1)),
    "get_user": ("GET /v1/users/{id}", lambda c: c.get_user(U)),
    "import_user": ("POST /v1/users/import", lambda c: c.import_user(telegram_user_id=1, mnemonic="m")),
    "export_user": ("POST /v1/users/{id}/export", lambda c: c.export_user(U, recipient_public_key="k")),
    "create_user_backup": ("POST /v1/users/{id}/backup", lambda c: c.create_user_backup(U, user_share={"recipientPublicKey": "k"})),
    "restore_user_backup": ("POST /v1/users/{id}/backup/restore", lambda c: c.restore_user_backup(U, verify_only=True)),
    "add_guardians": ("POST /v1/users/{id}/guardians", lambda c: c.add_guardians(U, public_keys=[KEY, KEY])),
    "get_guardians": ("GET /v1/users/{id}/guardians", lambda c: c.get_guardians(U)),
    "remove_guardians": ("DELETE /v1/users/{id}/guardians", lambda c: c.remove_guardians(U)),
    "request_recovery": ("POST /v1/users/{id}/recovery", lambda c: c.request_recovery(U, new_telegram_user_id=2)),
    "recovery_status": ("GET /v1/users/{id}/recovery/{requestId}", lambda c: c.recovery_status(U, P)),
    "approve_recovery": ("POST /v1/users/{id}/recovery/{requestId}/approve", lambda c: c.approve_recovery(U, P, ["0x00"])),
    "cancel_recovery": ("POST /v1/users/{id}/recovery/{requestId}/cancel", lambda c: c.cancel_recovery(U, P)),
    "complete_recovery": ("POST /v1/users/{id}/recovery/{requestId}/complete", lambda c: c.complete_recovery(U, P)),
    "create_safe": ("POST /v1/users/{id}/safe", lambda c: c.create_safe(U, co_signers=[], threshold=1)),
    "propose_safe_tx": ("POST /v1/users/{id}/safe/propose", lambda c: c.propose_safe_tx(U, safe=ADDR, chain_id=1, to=ADDR, nonce="0")),
    "sign_safe_tx": ("POST /v1/users/{id}/safe/sign", lambda c: c.sign_safe_tx(U, safe=ADDR, chain_id=1, safe_tx={})),
    "execute_safe_tx": ("POST /v1/safe/execute", lambda c: c.execute_safe_tx(safe=ADDR, chain_id=1, safe_tx={}, owners=[ADDR], threshold=1, signatures=["0x00"])),
    "sign_message": ("POST /v1/users/{id}/sign/message", lambda c: c.sign_message(U, chain="polygon", message="m")),
    "sign_typed_data": ("POST /v1/users/{id}/sign/typed-data", lambda c: c.sign_typed_data(U, {"types": {}, "primaryType": "EIP712Domain"})),
    "sign_evm_transaction": ("POST /v1/users/{id}/sign/evm-transaction", lambda c: c.sign_evm_transaction(U, {"chainId": 1})),
    "sign_solana_transaction": ("POST /v1/users/{id}/sign/solana-transaction", lambda c: c.sign_solana_transaction(U, b"\x00" * 4)),
    "list_derived_keys": ("GET /v1/users/{id}/derived-keys", lambda c: c.list_derived_keys(U, count=2)),
    "derived_key_belongs": ("POST /v1/users/{id}/derived-keys/belongs", lambda c: c.derived_key_belongs(U, public_key=KEY)),
    "create_pair": ("POST /v1/pairs", lambda c: c.create_pair(public_key=KEY)),
    "list_pairs": ("GET /v1/pairs", lambda c: c.list_pairs()),
    "get_pair": ("GET /v1/pairs/{uuid}", lambda c: c.get_pair(P)),
    "delete_pair": ("DELETE /v1/pairs/{uuid}", lambda c: c.delete_pair(P)),
    "add_pair_keys": ("POST /v1/pairs/{uuid}/keys", lambda c: c.add_pair_keys(P, [KEY])),
    "remove_pair_key": ("DELETE /v1/pairs/{uuid}/keys/{publicKey}", lambda c: c.remove_pair_key(P, KEY)),
    "pair_contains": ("POST /v1/pairs/{uuid}/contains", lambda c: c.pair_contains(P, public_key=KEY)),
    "create_polymarket_credentials": ("POST /v1/users/{id}/polymarket/credentials", lambda c: c.create_polymarket_credentials(U)),
    "list_polymarket_credentials": ("GET /v1/users/{id}/polymarket/credentials", lambda c: c.list_polymarket_credentials(U)),
    "rotate_polymarket_credentials": ("POST /v1/users/{id}/polymarket/credentials/rotate", lambda c: c.rotate_polymarket_credentials(U)),
    "revoke_polymarket_credentials": ("DELETE /v1/users/{id}/polymarket/credentials/{key}", lambda c: c.revoke_polymarket_credentials(U, "api-key")),
    "place_polymarket_order": ("POST /v1/users/{id}/polymarket/orders", lambda c: c.place_polymarket_order(U, token_id="1", side="BUY", price=0.5, size=1, tick_size="0.01", neg_risk=False)),
    "get_polymarket_order": ("GET /v1/polymarket/orders/{hash}", lambda c: c.get_polymarket_order(HASH)),
    "list_polymarket_orders": ("GET /v1/polymarket/orders", lambda c: c.list_polymarket_orders(status="sent")),
    "list_data_keys": ("GET /v1/keys", lambda c: c.list_data_keys()),
    "rotate_data_key": ("POST /v1/keys/rotate-data", lambda c: c.rotate_data_key()),
    "verify_audit": ("GET /v1/audit/verify", lambda c: c.verify_audit()),
    "doctor": ("GET /v1/doctor", lambda c: c.doctor()),
    "list_policies": ("GET /v1/policies", lambda c: c.list_policies()),
    "create_policy": ("POST /v1/policies", lambda c: c.create_policy("p1", {"rules": []})),
    "get_policy": ("GET /v1/policies/{name}", lambda c: c.get_policy("p1")),
    "evaluate_policy": ("POST /v1/policies/evaluate", lambda c: c.evaluate_policy({"operation": "users.create"}, policy="allow-all")),

    "get_balances": ("GET /v1/users/{id}/balances", lambda c: c.get_balances(U)),
    "create_withdrawal": ("POST /v1/users/{id}/withdrawals", lambda c: c.create_withdrawal(U, chain="polygon", asset="POL", amount=1, to="0x" + "11" * 20)),
    "approve_polymarket": ("POST /v1/users/{id}/polymarket/approvals", lambda c: c.approve_polymarket(U)),
    "get_withdrawal": ("GET /v1/withdrawals/{id}", lambda c: c.get_withdrawal(U)),
}


@pytest.fixture(scope="module")
def operations(service) -> List[Tuple[str, "re.Pattern[str]"]]:
    document = httpx.get(f"{service.url}/openapi.json").json()
    found = []
    for path, item in document["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method in item:
            if method in ("get", "post", "put", "patch", "delete"):
                pattern = re.compile("^" + method.upper() + " " + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
                found.append((f"{method.upper()} {path}", pattern))
    assert len(found) >= 25, "the document lists the API"
    return found


def test_every_v1_operation_has_a_method(operations) -> None:
    covered = {route for route, _ in METHODS.values()}
    missing = [route for route, _ in operations if route not in covered]
    assert missing == [], f"routes without a method in clients/python (add one to Coffre and AsyncCoffre, then list it here): {missing}"


def test_both_clients_have_every_method() -> None:
    public = lambda cls: {name for name, member in inspect.getmembers(cls, inspect.isfunction) if not name.startswith("_")}
    assert set(METHODS) <= public(Coffre)
    assert public(Coffre) - {"close"} == public(AsyncCoffre) - {"aclose"}
    for name in METHODS:
        assert inspect.iscoroutinefunction(getattr(AsyncCoffre, name)), name
        assert inspect.signature(getattr(Coffre, name)) == inspect.signature(getattr(AsyncCoffre, name)), f"{name} has the same signature in both"


GENERIC = Step(200, body={"users": [], "orders": [], "pairs": [], "contains": False, "stored": [], "keys": [], "checks": [], "publicKeys": []})


def test_each_method_calls_the_route_it_claims(operations) -> None:
    with ScriptedServer([], GENERIC) as server, Coffre(server.url, "cfr_x", retry=False) as sync_client:
        for name, (route, call) in METHODS.items():
            before = len(server.received)
            call(sync_client)
            seen = [f"{r.method} {r.path.split('?')[0]}" for r in server.received[before:]]
            assert len(seen) == 1, f"{name} makes one request"
            matching = [r for r, pattern in operations if pattern.match(seen[0])]
            assert route in matching, f"{name} called {seen[0]}, not {route} (matches {matching})"


def test_the_async_methods_call_the_same_routes(operations) -> None:
    async def run(url: str) -> None:
        async with AsyncCoffre(url, "cfr_x", retry=False) as client:
            for _, (_, call) in METHODS.items():
                await call(client)

    with ScriptedServer([], GENERIC) as sync_server, Coffre(sync_server.url, "cfr_x", retry=False) as sync_client:
        for _, (_, call) in METHODS.items():
            call(sync_client)
        with ScriptedServer([], GENERIC) as async_server:
            asyncio.run(run(async_server.url))
        assert [(r.method, r.path, r.body if r.method != "POST" else None) for r in async_server.received] == [(r.method, r.path, r.body if r.method != "POST" else None) for r in sync_server.received]
        assert [r.body for r in async_server.received] == [r.body for r in sync_server.received]
