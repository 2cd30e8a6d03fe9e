"""One request description per /v1 route, shared by Coffre (sync) and AsyncCoffre (async)."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Callable, Dict, Generic, Iterable, Mapping, Optional, Type, TypeVar, Union
from urllib.parse import quote

import httpx

from ._json import camel_body, from_json, json_safe, to_camel
from .models import (
    AuditVerification, DerivedKeyMembership, DerivedKeyPage, DoctorReport, EnsuredUser, ExportEnvelope, Keyring, Pair, PairMembership,
    PairPage, PolymarketCredential, PolymarketCredentialListing, PolymarketOrder, PolymarketOrderList, PolymarketRotation, Signature,
    SignedEvmTransaction, SignedSolanaTransaction, User, UserBalances, UserPage, Withdrawal, ApprovalProgress,
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
