"""One request description per /v1 route, shared by Coffre (sync) and AsyncCoffre (async)."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Callable, Dict, Generic, Iterable, List, Mapping, Optional, Type, TypeVar, Union
from urllib.parse import quote

import httpx

from ._json import camel_body, from_json, json_safe, to_camel
from .models import (
    AuditVerification, DerivedKeyMembership, DerivedKeyPage, DoctorReport, EnsuredUser, ExportEnvelope, Keyring, Pair, PairMembership,
    PairPage, PolymarketCredential, PolymarketCredentialListing, PolymarketOrder, PolymarketOrderList, PolymarketRotation, Signature,
    SignedEvmTransaction, SignedSolanaTransaction, User, UserPage, UserBackup, RestoredBackup, UserGuardians, GuardianRemoval, RecoveryRequest, CreatedSafe, SignedSafeTx, SafeExecution, UserBalances, Withdrawal, ApprovalProgress,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Operation(Generic[T]):
    method: str
    path: str
    parse: Callable[[httpx.Response], T]
    json: Any = None
    params: Optional[Dict[str, str]] = None


def _segment(value: str) -> str:
    if not isinstance(value, str) or value == "":
        raise TypeError("path parameters must be non-empty strings")
    return quote(value, safe="")


def _model(cls: Type[T]) -> Callable[[httpx.Response], T]:
    return lambda response: from_json(cls, response.json())


def _ensured(response: httpx.Response) -> EnsuredUser:
    return from_json(EnsuredUser, response.json(), created=response.status_code == 201)


def _query(**values: Any) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for key, value in values.items():
        if value is None:
            continue
        out[to_camel(key)] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


def _user(user_id: str, rest: str = "") -> str:
    return f"/v1/users/{_segment(user_id)}{rest}"


# users


def create_user(telegram_user_id: int, username: Optional[str]) -> Operation[EnsuredUser]:
    return Operation("POST", "/v1/users", _ensured, {"telegramUserId": telegram_user_id, **({} if username is None else {"username": username})})


def get_user(user_id: str) -> Operation[User]:
    return Operation("GET", _user(user_id), _model(User))


def find_user(telegram_user_id: int) -> Operation[Optional[User]]:
    def parse(response: httpx.Response) -> Optional[User]:
        page = from_json(UserPage, response.json())
        return page.users[0] if page.users else None

    return Operation("GET", "/v1/users", parse, params=_query(telegram_user_id=telegram_user_id))


def list_users(cursor: Optional[str], limit: Optional[int]) -> Operation[UserPage]:
    return Operation("GET", "/v1/users", _model(UserPage), params=_query(cursor=cursor, limit=limit))


def import_user(**fields: Any) -> Operation[EnsuredUser]:
    return Operation("POST", "/v1/users/import", _ensured, camel_body(**fields))


def export_user(user_id: str, recipient_public_key: str, reason: Optional[str]) -> Operation[ExportEnvelope]:
    return Operation("POST", _user(user_id, "/export"), _model(ExportEnvelope), camel_body(recipient_public_key=recipient_public_key, reason=reason))


def create_user_backup(user_id: str, user_share: Mapping[str, Any], threshold: Optional[int]) -> Operation[UserBackup]:
    body: Dict[str, Any] = {"userShare": dict(user_share), **({} if threshold is None else {"threshold": threshold})}
    return Operation("POST", _user(user_id, "/backup"), _model(UserBackup), body)


def restore_user_backup(user_id: str, *, backup_id: Optional[str], shares: Optional[List[str]], passphrase_share: Optional[Mapping[str, Any]], use_vault_share: Optional[bool], use_object_share: Optional[bool], verify_only: Optional[bool]) -> Operation[RestoredBackup]:
    body = camel_body(backup_id=backup_id, shares=shares, use_vault_share=use_vault_share, use_object_share=use_object_share, verify_only=verify_only)
    if passphrase_share is not None:
        body["passphraseShare"] = dict(passphrase_share)
    return Operation("POST", _user(user_id, "/backup/restore"), _model(RestoredBackup), body)


def add_guardians(user_id: str, public_keys: Optional[List[str]], pair_uuid: Optional[str], threshold: Optional[int]) -> Operation[UserGuardians]:
    return Operation("POST", _user(user_id, "/guardians"), _model(UserGuardians), camel_body(public_keys=public_keys, pair_uuid=pair_uuid, threshold=threshold))


def get_guardians(user_id: str) -> Operation[UserGuardians]:
    return Operation("GET", _user(user_id, "/guardians"), _model(UserGuardians))


def remove_guardians(user_id: str) -> Operation[GuardianRemoval]:
    return Operation("DELETE", _user(user_id, "/guardians"), _model(GuardianRemoval))


def request_recovery(user_id: str, new_telegram_user_id: int, ttl_seconds: Optional[int]) -> Operation[RecoveryRequest]:
    return Operation("POST", _user(user_id, "/recovery"), _model(RecoveryRequest), camel_body(new_telegram_user_id=new_telegram_user_id, ttl_seconds=ttl_seconds))


def recovery_status(user_id: str, request_id: str) -> Operation[RecoveryRequest]:
    return Operation("GET", _user(user_id, f"/recovery/{_segment(request_id)}"), _model(RecoveryRequest))


def approve_recovery(user_id: str, request_id: str, signatures: List[str]) -> Operation[RecoveryRequest]:
    return Operation("POST", _user(user_id, f"/recovery/{_segment(request_id)}/approve"), _model(RecoveryRequest), {"signatures": list(signatures)})


def recovery_step(user_id: str, request_id: str, step: str) -> Operation[RecoveryRequest]:
    return Operation("POST", _user(user_id, f"/recovery/{_segment(request_id)}/{step}"), _model(RecoveryRequest))


def create_safe(user_id: str, co_signers: List[str], threshold: int, salt_nonce: Optional[str], contracts: Optional[Mapping[str, str]]) -> Operation[CreatedSafe]:
    body: Dict[str, Any] = {"coSigners": list(co_signers), "threshold": threshold, **({} if salt_nonce is None else {"saltNonce": salt_nonce}), **({} if contracts is None else {"contracts": dict(contracts)})}
    return Operation("POST", _user(user_id, "/safe"), _model(CreatedSafe), body)


def propose_safe_tx(user_id: str, body: Dict[str, Any]) -> Operation[SignedSafeTx]:
    return Operation("POST", _user(user_id, "/safe/propose"), _model(SignedSafeTx), body)


def sign_safe_tx(user_id: str, safe: str, chain_id: int, safe_tx: Mapping[str, Any]) -> Operation[SignedSafeTx]:
    return Operation("POST", _user(user_id, "/safe/sign"), _model(SignedSafeTx), {"safe": safe, "chainId": chain_id, "safeTx": dict(safe_tx)})


def execute_safe_tx(safe: str, chain_id: int, safe_tx: Mapping[str, Any], owners: List[str], threshold: int, signatures: List[str]) -> Operation[SafeExecution]:
    body = {"safe": safe, "chainId": chain_id, "safeTx": dict(safe_tx), "owners": list(owners), "threshold": threshold, "signatures": list(signatures)}
    return Operation("POST", "/v1/safe/execute", _model(SafeExecution), body)


# signing


def sign_message(user_id: str, chain: str, message: Union[str, bytes], encoding: Optional[str]) -> Operation[Signature]:
    if isinstance(message, (bytes, bytearray, memoryview)):
        body: Dict[str, Any] = {"chain": chain, "message": bytes(message).hex(), "encoding": "hex"}
    else:
        body = {"chain": chain, "message": message, **({} if encoding is None else {"encoding": encoding})}
    return Operation("POST", _user(user_id, "/sign/message"), _model(Signature), body)


def sign_typed_data(user_id: str, typed_data: Mapping[str, Any]) -> Operation[Signature]:
    return Operation("POST", _user(user_id, "/sign/typed-data"), _model(Signature), {"typedData": json_safe(typed_data)})


def sign_evm_transaction(user_id: str, transaction: Mapping[str, Any]) -> Operation[SignedEvmTransaction]:
    # web3.py writes transactions in camelCase already; snake_case keys are accepted too.
    body = {to_camel(key): json_safe(value) for key, value in transaction.items() if value is not None}
    return Operation("POST", _user(user_id, "/sign/evm-transaction"), _model(SignedEvmTransaction), {"transaction": body})


def sign_solana_transaction(user_id: str, transaction: Union[bytes, str]) -> Operation[SignedSolanaTransaction]:
    wire = transaction if isinstance(transaction, str) else base64.b64encode(bytes(transaction)).decode("ascii")
    return Operation("POST", _user(user_id, "/sign/solana-transaction"), _model(SignedSolanaTransaction), {"transaction": wire})


# derived keys and pairs


def list_derived_keys(user_id: str, count: Optional[int], offset: Optional[int]) -> Operation[DerivedKeyPage]:
    return Operation("GET", _user(user_id, "/derived-keys"), _model(DerivedKeyPage), params=_query(count=count, offset=offset))


def derived_key_belongs(user_id: str, public_key: str, max_derived: Optional[int]) -> Operation[DerivedKeyMembership]:
    return Operation("POST", _user(user_id, "/derived-keys/belongs"), _model(DerivedKeyMembership), camel_body(public_key=public_key, max_derived=max_derived))


def create_pair(**fields: Any) -> Operation[Pair]:
    return Operation("POST", "/v1/pairs", _model(Pair), camel_body(**fields))


def list_pairs(cursor: Optional[str], limit: Optional[int]) -> Operation[PairPage]:
    return Operation("GET", "/v1/pairs", _model(PairPage), params=_query(cursor=cursor, limit=limit))


def get_pair(uuid: str) -> Operation[Pair]:
    return Operation("GET", f"/v1/pairs/{_segment(uuid)}", _model(Pair))


def delete_pair(uuid: str) -> Operation[Pair]:
    return Operation("DELETE", f"/v1/pairs/{_segment(uuid)}", _model(Pair))


def add_pair_keys(uuid: str, public_keys: Iterable[str]) -> Operation[Pair]:
    return Operation("POST", f"/v1/pairs/{_segment(uuid)}/keys", _model(Pair), {"publicKeys": list(public_keys)})


def remove_pair_key(uuid: str, public_key: str) -> Operation[Pair]:
    return Operation("DELETE", f"/v1/pairs/{_segment(uuid)}/keys/{_segment(public_key)}", _model(Pair))


def pair_contains(uuid: str, public_key: str, max_derived: Optional[int]) -> Operation[bool]:
    return Operation("POST", f"/v1/pairs/{_segment(uuid)}/contains", lambda r: from_json(PairMembership, r.json()).contains, camel_body(public_key=public_key, max_derived=max_derived))


# polymarket


def create_polymarket_credentials(user_id: str, nonce: Optional[int]) -> Operation[PolymarketCredential]:
    return Operation("POST", _user(user_id, "/polymarket/credentials"), _model(PolymarketCredential), camel_body(nonce=nonce))


def list_polymarket_credentials(user_id: str) -> Operation[PolymarketCredentialListing]:
    return Operation("GET", _user(user_id, "/polymarket/credentials"), _model(PolymarketCredentialListing))


def rotate_polymarket_credentials(user_id: str) -> Operation[PolymarketRotation]:
    return Operation("POST", _user(user_id, "/polymarket/credentials/rotate"), _model(PolymarketRotation))


def revoke_polymarket_credentials(user_id: str, api_key: str) -> Operation[PolymarketCredential]:
    return Operation("DELETE", _user(user_id, f"/polymarket/credentials/{_segment(api_key)}"), _model(PolymarketCredential))


def place_polymarket_order(user_id: str, **fields: Any) -> Operation[PolymarketOrder]:
    return Operation("POST", _user(user_id, "/polymarket/orders"), _model(PolymarketOrder), camel_body(**fields))


def get_polymarket_order(order_hash: str) -> Operation[PolymarketOrder]:
    return Operation("GET", f"/v1/polymarket/orders/{_segment(order_hash)}", _model(PolymarketOrder))


def list_polymarket_orders(user_id: Optional[str], status: Optional[str], limit: Optional[int]) -> Operation[list]:
    return Operation("GET", "/v1/polymarket/orders", lambda r: from_json(PolymarketOrderList, r.json()).orders, params=_query(user_id=user_id, status=status, limit=limit))


# operations (admin)


def list_data_keys() -> Operation[Keyring]:
    return Operation("GET", "/v1/keys", _model(Keyring))


def rotate_data_key() -> Operation[Keyring]:
    return Operation("POST", "/v1/keys/rotate-data", _model(Keyring))


def verify_audit() -> Operation[AuditVerification]:
    return Operation("GET", "/v1/audit/verify", _model(AuditVerification))


def doctor(secrets: Optional[bool]) -> Operation[DoctorReport]:
    return Operation("GET", "/v1/doctor", _model(DoctorReport), params=_query(secrets=secrets))


# signing policies (admin); replies are the JSON objects of docs/policies.md


def _raw(response: httpx.Response) -> Dict[str, Any]:
    return response.json()


def list_policies() -> Operation[Dict[str, Any]]:
    return Operation("GET", "/v1/policies", _raw)


def create_policy(name: str, document: Mapping[str, Any]) -> Operation[Dict[str, Any]]:
    return Operation("POST", "/v1/policies", _raw, json={"name": name, "document": dict(document)})


def get_policy(name: str) -> Operation[Dict[str, Any]]:
    return Operation("GET", f"/v1/policies/{_segment(name)}", _raw)


def evaluate_policy(request: Mapping[str, Any], policy: Optional[str], document: Optional[Mapping[str, Any]], user_id: Optional[str]) -> Operation[Dict[str, Any]]:
    body: Dict[str, Any] = {"request": dict(request)}
    if policy is not None:
        body["policy"] = policy
    if document is not None:
        body["document"] = dict(document)
    if user_id is not None:
        body["userId"] = user_id
    return Operation("POST", "/v1/policies/evaluate", _raw, json=body)


def get_balances(user_id: str) -> Operation[UserBalances]:
    return Operation("GET", _user(user_id, "/balances"), _model(UserBalances))


def _withdrawal(response: httpx.Response) -> Withdrawal:
    return from_json(Withdrawal, response.json())


def create_withdrawal(user_id: str, chain: str, asset: str, amount: Union[int, str], to: str) -> Operation[Withdrawal]:
    return Operation("POST", _user(user_id, "/withdrawals"), _withdrawal, {"chain": chain, "asset": asset, "amount": str(amount), "to": to})


def get_withdrawal(withdrawal_id: str) -> Operation[Withdrawal]:
    return Operation("GET", f"/v1/withdrawals/{_segment(withdrawal_id)}", _withdrawal)


def approve_polymarket(user_id: str) -> Operation[ApprovalProgress]:
    return Operation("POST", _user(user_id, "/polymarket/approvals"), _model(ApprovalProgress))
