"""``Coffre(base_url, token)``: the synchronous client of a Coffre service, one method per /v1 route.

    from coffre import Coffre

    with Coffre("http://127.0.0.1:8787", token) as coffre:
        user = coffre.create_user(telegram_user_id=42, username="alice")
        signed = coffre.sign_message(user.id, chain="polygon", message="hello")

Failures raise CoffreApiError (``code``, ``status``, ``message``). POSTs carry an Idempotency-Key;
connection failures, timeouts, 429 and 5xx are retried (see _retry.py). AsyncCoffre has the same
methods, awaitable.
"""
from __future__ import annotations

import time
from typing import Any, Dict, List, Mapping, Optional, TypeVar, Union

import httpx

from . import _operations as ops
from ._json import camel_body
from ._base import DEFAULT_TIMEOUT, client_settings, request_headers, result_of
from ._operations import Operation
from ._retry import Attempts, RetryPolicy
from .models import (
    AuditVerification, DerivedKeyMembership, DerivedKeyPage, DoctorReport, EnsuredUser, ExportEnvelope, Keyring, Pair, PairPage,
    PolymarketCredential, PolymarketCredentialListing, PolymarketOrder, PolymarketRotation, Signature, SignedEvmTransaction,
    SignedSolanaTransaction, User, UserPage, UserBackup, RestoredBackup, UserGuardians, GuardianRemoval, RecoveryRequest, CreatedSafe, SignedSafeTx, SafeExecution, UserBalances, Withdrawal, ApprovalProgress,
)

T = TypeVar("T")
sleep = time.sleep


class Coffre:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retry: Union[RetryPolicy, bool, None] = None,
        transport: Optional[httpx.BaseTransport] = None,
    ) -> None:
        settings = client_settings(base_url, token, timeout, retry)
        self._policy: RetryPolicy = settings["policy"]
        self._http = httpx.Client(base_url=settings["base_url"], headers=settings["headers"], timeout=timeout, transport=transport, follow_redirects=False)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "Coffre":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _execute(self, operation: Operation[T], idempotency_key: Optional[str] = None) -> T:
        attempts = Attempts(self._policy, operation.method, operation.path)
        headers = request_headers(operation, idempotency_key)
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._http.request(operation.method, operation.path, json=operation.json, params=operation.params, headers=headers)
            except httpx.TransportError as error:
                sleep(attempts.after_error(attempt, error))
                continue
            delay = attempts.after_response(attempt, response)
            if delay is None:
                return result_of(operation, response)
            response.close()
            sleep(delay)

    def create_user(self, *, telegram_user_id: int, username: Optional[str] = None, idempotency_key: Optional[str] = None) -> EnsuredUser:
        """Creates the user with a new wallet; for a telegram id that exists, returns that user (``created`` False)."""
        return self._execute(ops.create_user(telegram_user_id, username), idempotency_key)

    def get_user(self, user_id: str) -> User:
        return self._execute(ops.get_user(user_id))

    def find_user(self, telegram_user_id: int) -> Optional[User]:
        """The user with this telegram id, or None."""
        return self._execute(ops.find_user(telegram_user_id))

    def list_users(self, *, cursor: Optional[str] = None, limit: Optional[int] = None) -> UserPage:
        """A page of users in creation order; pass ``next_cursor`` back as ``cursor``."""
        return self._execute(ops.list_users(cursor, limit))

    def import_user(self, *, telegram_user_id: int, username: Optional[str] = None, mnemonic: Optional[str] = None, polygon_private_key: Optional[str] = None, solana_secret_key: Union[str, List[int], None] = None, polygon_address: Optional[str] = None, solana_address: Optional[str] = None, idempotency_key: Optional[str] = None) -> EnsuredUser:
        """Imports a wallet: a mnemonic, or a Polygon key and a Solana key (which must derive the given addresses)."""
        return self._execute(ops.import_user(telegram_user_id=telegram_user_id, username=username, mnemonic=mnemonic, polygon_private_key=polygon_private_key, solana_secret_key=solana_secret_key, polygon_address=polygon_address, solana_address=solana_address), idempotency_key)

    def export_user(self, user_id: str, *, recipient_public_key: str, reason: Optional[str] = None, idempotency_key: Optional[str] = None) -> ExportEnvelope:
        """The wallet sealed with HPKE to ``recipient_public_key`` (raw X25519, base64); audited."""
        return self._execute(ops.export_user(user_id, recipient_public_key, reason), idempotency_key)

    def create_user_backup(self, user_id: str, *, user_share: Mapping[str, Any], threshold: Optional[int] = None, idempotency_key: Optional[str] = None) -> UserBackup:
        """Shamir backup of the wallet, 2-of-3 by default: ``user_share`` is ``{"recipientPublicKey": <X25519 base64>}`` or ``{"passphrase": ...}``; share 3 comes back sealed, once."""
        return self._execute(ops.create_user_backup(user_id, user_share, threshold), idempotency_key)

    def restore_user_backup(self, user_id: str, *, backup_id: Optional[str] = None, shares: Optional[List[str]] = None, passphrase_share: Optional[Mapping[str, Any]] = None, use_vault_share: Optional[bool] = None, use_object_share: Optional[bool] = None, verify_only: Optional[bool] = None, idempotency_key: Optional[str] = None) -> RestoredBackup:
        """Restores (or with ``verify_only`` checks) the wallet from t shares (``cfus1.`` texts, the passphrase envelope, the vault's and the object-storage share)."""
        return self._execute(ops.restore_user_backup(user_id, backup_id=backup_id, shares=shares, passphrase_share=passphrase_share, use_vault_share=use_vault_share, use_object_share=use_object_share, verify_only=verify_only), idempotency_key)

    def add_guardians(self, user_id: str, *, public_keys: Optional[List[str]] = None, pair_uuid: Optional[str] = None, threshold: Optional[int] = None, idempotency_key: Optional[str] = None) -> UserGuardians:
        """Registers (or rotates) the user's guardians (secp256k1 keys, threshold t < n); needs the export scope."""
        return self._execute(ops.add_guardians(user_id, public_keys, pair_uuid, threshold), idempotency_key)

    def get_guardians(self, user_id: str) -> UserGuardians:
        return self._execute(ops.get_guardians(user_id), None)

    def remove_guardians(self, user_id: str) -> GuardianRemoval:
        return self._execute(ops.remove_guardians(user_id), None)

    def request_recovery(self, user_id: str, *, new_telegram_user_id: int, ttl_seconds: Optional[int] = None, idempotency_key: Optional[str] = None) -> RecoveryRequest:
        """Opens an account-recovery request; guardians sign its ``text`` (EIP-191)."""
        return self._execute(ops.request_recovery(user_id, new_telegram_user_id, ttl_seconds), idempotency_key)

    def recovery_status(self, user_id: str, request_id: str) -> RecoveryRequest:
        return self._execute(ops.recovery_status(user_id, request_id), None)

    def approve_recovery(self, user_id: str, request_id: str, signatures: List[str], *, idempotency_key: Optional[str] = None) -> RecoveryRequest:
        return self._execute(ops.approve_recovery(user_id, request_id, signatures), idempotency_key)

    def cancel_recovery(self, user_id: str, request_id: str, *, idempotency_key: Optional[str] = None) -> RecoveryRequest:
        return self._execute(ops.recovery_step(user_id, request_id, "cancel"), idempotency_key)

    def complete_recovery(self, user_id: str, request_id: str, *, idempotency_key: Optional[str] = None) -> RecoveryRequest:
        """After the waiting period, moves the user's telegram binding."""
        return self._execute(ops.recovery_step(user_id, request_id, "complete"), idempotency_key)

    def create_safe(self, user_id: str, *, co_signers: List[str], threshold: int, salt_nonce: Optional[str] = None, contracts: Optional[Mapping[str, str]] = None, idempotency_key: Optional[str] = None) -> CreatedSafe:
        """A Safe v1.4.1 owned by the user's EOA and ``co_signers``: its address before deployment and the deployment call (not sent)."""
        return self._execute(ops.create_safe(user_id, co_signers, threshold, salt_nonce, contracts), idempotency_key)

    def propose_safe_tx(self, user_id: str, *, safe: str, chain_id: int, to: str, nonce: str, value: Optional[str] = None, data: Optional[str] = None, operation: Optional[int] = None, idempotency_key: Optional[str] = None) -> SignedSafeTx:
        """Builds a SafeTx and signs it (EIP-712) with the user's vault key."""
        body = camel_body(safe=safe, chain_id=chain_id, to=to, nonce=nonce, value=value, data=data, operation=operation)
        return self._execute(ops.propose_safe_tx(user_id, body), idempotency_key)

    def sign_safe_tx(self, user_id: str, *, safe: str, chain_id: int, safe_tx: Mapping[str, Any], idempotency_key: Optional[str] = None) -> SignedSafeTx:
        return self._execute(ops.sign_safe_tx(user_id, safe, chain_id, safe_tx), idempotency_key)

    def execute_safe_tx(self, *, safe: str, chain_id: int, safe_tx: Mapping[str, Any], owners: List[str], threshold: int, signatures: List[str], idempotency_key: Optional[str] = None) -> SafeExecution:
        """Checks the owners' signatures and returns the execTransaction call to send."""
        return self._execute(ops.execute_safe_tx(safe, chain_id, safe_tx, owners, threshold, signatures), idempotency_key)

    def sign_message(self, user_id: str, *, chain: str, message: Union[str, bytes], encoding: Optional[str] = None, idempotency_key: Optional[str] = None) -> Signature:
        """EIP-191 personal_sign on ``polygon`` (0x r||s||v), ed25519 on ``solana`` (base58). Bytes are sent as hex."""
        return self._execute(ops.sign_message(user_id, chain, message, encoding), idempotency_key)

    def sign_typed_data(self, user_id: str, typed_data: Mapping[str, Any], *, idempotency_key: Optional[str] = None) -> Signature:
        """EIP-712 with the Polygon key: ``{domain, types, primaryType, message}``; big integers may be Python ints."""
        return self._execute(ops.sign_typed_data(user_id, typed_data), idempotency_key)

    def sign_evm_transaction(self, user_id: str, transaction: Mapping[str, Any], *, idempotency_key: Optional[str] = None) -> SignedEvmTransaction:
        """An EIP-1559 transaction (web3.py's dict: chainId, nonce, to, value, data, gas, maxFeePerGas, maxPriorityFeePerGas), signed not sent."""
        return self._execute(ops.sign_evm_transaction(user_id, transaction), idempotency_key)

    def sign_solana_transaction(self, user_id: str, transaction: Union[bytes, str], *, idempotency_key: Optional[str] = None) -> SignedSolanaTransaction:
        """A Solana wire transaction (bytes, or base64) with the user's signature added."""
        return self._execute(ops.sign_solana_transaction(user_id, transaction), idempotency_key)

    def list_derived_keys(self, user_id: str, *, count: Optional[int] = None, offset: Optional[int] = None) -> DerivedKeyPage:
        """A page of [main, derived(0), ...] of the user's identity key."""
        return self._execute(ops.list_derived_keys(user_id, count, offset))

    def derived_key_belongs(self, user_id: str, *, public_key: str, max_derived: Optional[int] = None, idempotency_key: Optional[str] = None) -> DerivedKeyMembership:
        return self._execute(ops.derived_key_belongs(user_id, public_key, max_derived), idempotency_key)

    def create_pair(self, *, uuid: Optional[str] = None, label: Optional[str] = None, public_key: Optional[str] = None, public_keys: Optional[List[str]] = None, user_id: Optional[str] = None, derived_count: Optional[int] = None, idempotency_key: Optional[str] = None) -> Pair:
        """A remote pair (``public_key``, ``public_keys``) or a user's local pair (``user_id``, ``derived_count``)."""
        return self._execute(ops.create_pair(uuid=uuid, label=label, public_key=public_key, public_keys=public_keys, user_id=user_id, derived_count=derived_count), idempotency_key)

    def list_pairs(self, *, cursor: Optional[str] = None, limit: Optional[int] = None) -> PairPage:
        return self._execute(ops.list_pairs(cursor, limit))

    def get_pair(self, uuid: str) -> Pair:
        return self._execute(ops.get_pair(uuid))

    def delete_pair(self, uuid: str) -> Pair:
        return self._execute(ops.delete_pair(uuid))

    def add_pair_keys(self, uuid: str, public_keys: List[str], *, idempotency_key: Optional[str] = None) -> Pair:
        return self._execute(ops.add_pair_keys(uuid, public_keys), idempotency_key)

    def remove_pair_key(self, uuid: str, public_key: str) -> Pair:
        return self._execute(ops.remove_pair_key(uuid, public_key))

    def pair_contains(self, uuid: str, *, public_key: str, max_derived: Optional[int] = None, idempotency_key: Optional[str] = None) -> bool:
        return self._execute(ops.pair_contains(uuid, public_key, max_derived), idempotency_key)

    def create_polymarket_credentials(self, user_id: str, *, nonce: Optional[int] = None, idempotency_key: Optional[str] = None) -> PolymarketCredential:
        """Creates the user's CLOB API key, or derives it when it exists; the secret stays in Coffre."""
        return self._execute(ops.create_polymarket_credentials(user_id, nonce), idempotency_key)

    def list_polymarket_credentials(self, user_id: str) -> PolymarketCredentialListing:
        return self._execute(ops.list_polymarket_credentials(user_id))

    def rotate_polymarket_credentials(self, user_id: str, *, idempotency_key: Optional[str] = None) -> PolymarketRotation:
        return self._execute(ops.rotate_polymarket_credentials(user_id), idempotency_key)

    def revoke_polymarket_credentials(self, user_id: str, api_key: str) -> PolymarketCredential:
        return self._execute(ops.revoke_polymarket_credentials(user_id, api_key))

    def place_polymarket_order(self, user_id: str, *, token_id: str, side: str, price: float, size: float, tick_size: str, neg_risk: bool, order_type: Optional[str] = None, expiration: Optional[int] = None, signature_type: Optional[int] = None, maker: Optional[str] = None, post_only: Optional[bool] = None, defer_exec: Optional[bool] = None, metadata: Optional[str] = None, builder_code: Optional[str] = None, idempotency_key: Optional[str] = None) -> PolymarketOrder:
        """Builds and signs a V2 limit order in Coffre, stores it in the outbox and sends it; ``status`` pending means Coffre keeps retrying."""
        return self._execute(ops.place_polymarket_order(user_id, token_id=token_id, side=side, price=price, size=size, tick_size=tick_size, neg_risk=neg_risk, order_type=order_type, expiration=expiration, signature_type=signature_type, maker=maker, post_only=post_only, defer_exec=defer_exec, metadata=metadata, builder_code=builder_code), idempotency_key)

    def get_polymarket_order(self, order_hash: str) -> PolymarketOrder:
        return self._execute(ops.get_polymarket_order(order_hash))

    def list_polymarket_orders(self, *, user_id: Optional[str] = None, status: Optional[str] = None, limit: Optional[int] = None) -> List[PolymarketOrder]:
        return self._execute(ops.list_polymarket_orders(user_id, status, limit))

    def list_data_keys(self) -> Keyring:
        """Admin: data keys, nonce-budget use, rotation progress."""
        return self._execute(ops.list_data_keys())

    def rotate_data_key(self, *, idempotency_key: Optional[str] = None) -> Keyring:
        """Admin: starts (or joins) a data-key rotation in the background."""
        return self._execute(ops.rotate_data_key(), idempotency_key)

    def verify_audit(self) -> AuditVerification:
        """Admin: verifies the audit chain."""
        return self._execute(ops.verify_audit())

    def doctor(self, *, secrets: Optional[bool] = None) -> DoctorReport:
        """Admin: database, migrations, root key, secrets, audit chain."""
        return self._execute(ops.doctor(secrets))

    def list_policies(self) -> Dict[str, Any]:
        """Admin: the latest version of every stored signing policy ({"policies": [...]})."""
        return self._execute(ops.list_policies())

    def create_policy(self, name: str, document: Mapping[str, Any], *, idempotency_key: Optional[str] = None) -> Dict[str, Any]:
        """Admin: stores a new immutable version of a signing policy (a document or a template instance)."""
        return self._execute(ops.create_policy(name, document), idempotency_key)

    def get_policy(self, name: str) -> Dict[str, Any]:
        """Admin: the latest version of a policy and its version numbers."""
        return self._execute(ops.get_policy(name))

    def evaluate_policy(self, request: Mapping[str, Any], *, policy: Optional[str] = None, document: Optional[Mapping[str, Any]] = None, user_id: Optional[str] = None) -> Dict[str, Any]:
        """Admin: dry run, the decision and the deciding rule; nothing is signed."""
        return self._execute(ops.evaluate_policy(request, policy, document, user_id))

    def get_balances(self, user_id: str) -> UserBalances:
        """POL, pUSD, USDC.e and SOL, SPL USDC of a user, with the block and slot they were read at."""
        return self._execute(ops.get_balances(user_id))

    def create_withdrawal(self, user_id: str, *, chain: str, asset: str, amount: Union[int, str], to: str, idempotency_key: Optional[str] = None) -> Withdrawal:
        """Sends POL, pUSD, USDC.e (polygon) or SOL, USDC (solana) out; amount in base units. Retried safely under one idempotency key."""
        return self._execute(ops.create_withdrawal(user_id, chain, asset, amount, to), idempotency_key)

    def get_withdrawal(self, withdrawal_id: str) -> Withdrawal:
        """Where a withdrawal stands: pending, sent, confirmed or failed."""
        return self._execute(ops.get_withdrawal(withdrawal_id))

    def approve_polymarket(self, user_id: str, *, idempotency_key: Optional[str] = None) -> ApprovalProgress:
        """Sends the user's missing Polymarket trading approvals, each exactly once."""
        return self._execute(ops.approve_polymarket(user_id), idempotency_key)
