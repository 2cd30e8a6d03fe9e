"""The reply models have exactly the fields of /openapi.json's reply schemas (camelCase to snake_case),
so a field added or renamed on the server fails here until the model follows."""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Dict, Tuple, Type

import httpx
import pytest

from coffre import models

#: model -> (method, path, status) whose success reply it reads
REPLIES: Dict[Type[Any], Tuple[str, str, str]] = {
    models.User: ("get", "/v1/users/{id}", "200"),
    models.UserPage: ("get", "/v1/users", "200"),
    models.ExportEnvelope: ("post", "/v1/users/{id}/export", "200"),
    models.Signature: ("post", "/v1/users/{id}/sign/message", "200"),
    models.SignedEvmTransaction: ("post", "/v1/users/{id}/sign/evm-transaction", "200"),
    models.SignedSolanaTransaction: ("post", "/v1/users/{id}/sign/solana-transaction", "200"),
    models.DerivedKeyPage: ("get", "/v1/users/{id}/derived-keys", "200"),
    models.DerivedKeyMembership: ("post", "/v1/users/{id}/derived-keys/belongs", "200"),
    models.Pair: ("get", "/v1/pairs/{uuid}", "200"),
    models.PairPage: ("get", "/v1/pairs", "200"),
    models.PairMembership: ("post", "/v1/pairs/{uuid}/contains", "200"),
    models.PolymarketCredential: ("post", "/v1/users/{id}/polymarket/credentials", "200"),
    models.PolymarketCredentialListing: ("get", "/v1/users/{id}/polymarket/credentials", "200"),
    models.PolymarketRotation: ("post", "/v1/users/{id}/polymarket/credentials/rotate", "200"),
    models.PolymarketOrder: ("get", "/v1/polymarket/orders/{hash}", "200"),
    models.PolymarketOrderList: ("get", "/v1/polymarket/orders", "200"),
    models.Keyring: ("get", "/v1/keys", "200"),
    models.AuditVerification: ("get", "/v1/audit/verify", "200"),
    models.DoctorReport: ("get", "/v1/doctor", "200"),
    models.UserBackup: ("post", "/v1/users/{id}/backup", "201"),
    models.RestoredBackup: ("post", "/v1/users/{id}/backup/restore", "200"),
    models.UserGuardians: ("get", "/v1/users/{id}/guardians", "200"),
    models.GuardianRemoval: ("delete", "/v1/users/{id}/guardians", "200"),
    models.RecoveryRequest: ("get", "/v1/users/{id}/recovery/{requestId}", "200"),
    models.CreatedSafe: ("post", "/v1/users/{id}/safe", "200"),
    models.SignedSafeTx: ("post", "/v1/users/{id}/safe/propose", "200"),
    models.SafeExecution: ("post", "/v1/safe/execute", "200"),
    models.UserBalances: ("get", "/v1/users/{id}/balances", "200"),
    models.Withdrawal: ("get", "/v1/withdrawals/{id}", "200"),
    models.ApprovalProgress: ("post", "/v1/users/{id}/polymarket/approvals", "202"),
}
NESTED = {("RestoredBackup", "shares_used"): models.BackupShareUsed, ("Keyring", "provider"): models.KeyProviderInfo, ("Keyring", "keys"): models.DataKey, ("DoctorReport", "checks"): models.DoctorCheck, ("ApprovalProgress", "pending"): models.ApprovalTransaction, ("UserBalances", "polygon"): models.PolygonBalances, ("UserBalances", "solana"): models.SolanaBalances}


@pytest.fixture(scope="module")
def document(service) -> Dict[str, Any]:
    return httpx.get(f"{service.url}/openapi.json").json()


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def resolve(document: Dict[str, Any], schema: Dict[str, Any]) -> Dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].split("/")[-1]]
    if schema.get("type") == "array":
        return resolve(document, schema["items"])
    return schema


def check(document: Dict[str, Any], model: Type[Any], schema: Dict[str, Any]) -> None:
    schema = resolve(document, schema)
    fields = {f.name for f in dataclasses.fields(model)}
    properties = {snake(p): s for p, s in schema["properties"].items()}
    assert fields == set(properties), f"{model.__name__}: model {sorted(fields)} vs schema {sorted(properties)}"
    required = {snake(p) for p in schema.get("required", [])}
    for f in dataclasses.fields(model):
        optional_in_model = f.default is not dataclasses.MISSING
        assert optional_in_model == (f.name not in required), f"{model.__name__}.{f.name}: optional in the model iff optional in the schema"
    for (owner, field), nested in NESTED.items():
        if owner == model.__name__:
            check(document, nested, properties[field])


def test_every_reply_model_matches_its_schema(document) -> None:
    for model, (method, path, status) in REPLIES.items():
        schema = document["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
        check(document, model, schema)


def test_every_model_is_checked() -> None:
    checked = set(REPLIES) | set(NESTED.values()) | {models.EnsuredUser}
    defined = {cls for cls in vars(models).values() if dataclasses.is_dataclass(cls) and cls.__module__ == models.__name__}
    assert defined == checked
