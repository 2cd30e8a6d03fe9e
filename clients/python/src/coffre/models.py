"""Replies of the Coffre HTTP API as frozen dataclasses with snake_case fields (the JSON is camelCase).

Each model lists the fields of one reply schema of /openapi.json; a test checks they agree.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Union


@dataclass(frozen=True)
class User:
    id: str
    telegram_user_id: int
    username: Optional[str]
    polygon_address: str
    solana_address: str
    identity_public_key: str
    origin: str
    has_mnemonic: bool
    created_at: str
    #: ``created`` → ``funded`` (first deposit) → ``approved`` → ``ready``; set by get_user.
    onboarding_stage: Optional[str] = None


@dataclass(frozen=True)
class EnsuredUser(User):
    """A user from create_user / import_user; ``created`` is False when the telegram id already had one."""

    created: bool = True


@dataclass(frozen=True)
class UserPage:
    users: List[User]
    next_cursor: Optional[str]


@dataclass(frozen=True)
class ExportEnvelope:
    """The wallet sealed with HPKE to the caller's X25519 key (Coffre's docs/export.md)."""

    user_id: str
    format: str
    suite: str
    enc: str
    ciphertext: str


@dataclass(frozen=True)
class UserBackup:
    """A Shamir backup of a user's wallet (Coffre's docs/recovery.md). ``sealed_user_share`` is share 3,
    sealed to the bot's X25519 key or under a passphrase, exactly as the server sent it (camelCase JSON):
    store it; it is returned only once."""

    user_id: str
    backup_id: str
    threshold: int
    shares: int
    vault_share: Dict[str, Any]
    object_share: Dict[str, Any]
    user_share: Dict[str, Any]
    created_at: str
    sealed_user_share: Dict[str, Any]


@dataclass(frozen=True)
class BackupShareUsed:
    index: int
    source: str


@dataclass(frozen=True)
class RestoredBackup:
    """What a restore (or a ``verify_only`` check) used and found; ``restored`` is False for a check."""

    user_id: str
    backup_id: str
    threshold: int
    shares_used: List[BackupShareUsed]
    polygon_address: str
    solana_address: str
    restored: bool


@dataclass(frozen=True)
class UserGuardians:
    """A user's guardians: one ECIES-sealed share per guardian key (hand each guardian its own)."""

    user_id: str
    set_id: str
    pair_uuid: str
    version: int
    threshold: int
    guardians: List[str]
    backup_id: str
    sealed_shares: List[Dict[str, Any]]
    created_at: str


@dataclass(frozen=True)
class GuardianRemoval:
    user_id: str
    set_id: str
    cancelled_requests: int


@dataclass(frozen=True)
class RecoveryRequest:
    """An account-recovery request; guardians sign ``text`` with EIP-191 personal_sign."""

    request_id: str
    user_id: str
    guardian_set_id: str
    new_telegram_user_id: int
    text: str
    expires_at: str
    state: str
    approved_by: List[str]
    threshold: int
    executable_at: Optional[str]
    created_at: str


@dataclass(frozen=True)
class CreatedSafe:
    """A Safe's address before deployment; send ``deployment`` ({"to", "data"}) to deploy it."""

    safe_address: str
    owners: List[str]
    threshold: int
    salt_nonce: str
    contracts: Dict[str, Any]
    initializer: str
    deployment: Dict[str, Any]


@dataclass(frozen=True)
class SignedSafeTx:
    """A SafeTx (camelCase JSON, to pass back unchanged), its hash, and the vault owner's signature."""

    safe: str
    chain_id: int
    safe_tx: Dict[str, Any]
    safe_tx_hash: str
    owner: str
    signature: str


@dataclass(frozen=True)
class SafeExecution:
    """The execTransaction call to send (``to``, ``data``) and the owners whose signatures it carries."""

    to: str
    data: str
    signers: List[str]


@dataclass(frozen=True)
class Signature:
    signature: str
    address: str


@dataclass(frozen=True)
class SignedEvmTransaction:
    serialized_transaction: str
    hash: str
    address: str


@dataclass(frozen=True)
class SignedSolanaTransaction:
    """``signed_transaction`` is the wire transaction, base64; ``signature`` is base58 (the transaction id for a fee payer)."""

    signed_transaction: str
    signature: str
    address: str


@dataclass(frozen=True)
class DerivedKeyPage:
    public_keys: List[str]
    next_offset: Optional[int]


@dataclass(frozen=True)
class DerivedKeyMembership:
    belongs: bool
    #: "main", the derived index, or None.
    index: Union[str, int, None]


@dataclass(frozen=True)
class Pair:
    uuid: str
    label: Optional[str]
    user_id: Optional[str]
    public_keys: List[str]
    derived_count: int
    created_at: str
    updated_at: str
    public_key: Optional[str] = None


@dataclass(frozen=True)
class PairPage:
    pairs: List[Pair]
    next_cursor: Optional[str]


@dataclass(frozen=True)
class PairMembership:
    contains: bool


@dataclass(frozen=True)
class PolymarketCredential:
    """A CLOB API key as Coffre stores it; the secret and passphrase never leave Coffre."""

    api_key: str
    kind: str
    state: str
    address: str
    nonce: int
    chain_id: int
    base_url: str
    created_at: str
    rotated_at: Optional[str]
    revoked_at: Optional[str]


@dataclass(frozen=True)
class PolymarketCredentialListing:
    stored: List[PolymarketCredential]
    clob_api_keys: Optional[List[str]]


@dataclass(frozen=True)
class PolymarketRotation:
    current: PolymarketCredential
    revoked: List[str]
    verify_attempts: int


@dataclass(frozen=True)
class PolymarketOrder:
    """An order in Coffre's outbox: ``status`` pending (Coffre keeps sending), sent, or failed (``last_error`` is the CLOB's text)."""

    order_hash: str
    user_id: str
    status: str
    attempts: int
    last_error: Optional[str]
    clob_order_id: Optional[str]
    clob_status: Optional[str]
    token_id: str
    side: str
    maker_amount: str
    taker_amount: str
    order_type: str
    owner: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class PolymarketOrderList:
    orders: List[PolymarketOrder]


@dataclass(frozen=True)
class KeyProviderInfo:
    kind: str
    key_ref: str


@dataclass(frozen=True)
class DataKey:
    id: str
    state: str
    encryption_count: int
    created_at: str
    done_rows: Optional[int] = None
    total_rows: Optional[int] = None


@dataclass(frozen=True)
class Keyring:
    provider: KeyProviderInfo
    active_data_key_id: str
    nonce_budget: int
    background_rotation: bool
    keys: List[DataKey]


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    entries: int
    first_broken_entry: Optional[int] = None
    reason: Optional[str] = None


@dataclass(frozen=True)
class DoctorCheck:
    name: str
    ok: bool
    detail: str
    failures: Optional[List[str]] = None


@dataclass(frozen=True)
class DoctorReport:
    ok: bool
    checks: List[DoctorCheck]


@dataclass(frozen=True)
class PolygonBalances:
    """POL (wei), pUSD and USDC.e (6 decimals) as integer strings, read at ``block_number``."""

    chain_id: int
    address: str
    block_number: str
    block_hash: str
    pol: str
    p_usd: str
    usdc_e: str


@dataclass(frozen=True)
class SolanaBalances:
    """SOL (lamports) and SPL USDC (6 decimals) as integer strings, read at ``slot``."""

    address: str
    slot: str
    sol: str
    usdc: str
    usdc_mint: str


@dataclass(frozen=True)
class UserBalances:
    """A user's balances; a chain the service has no RPC for is None."""

    user_id: str
    polygon: Optional[PolygonBalances]
    solana: Optional[SolanaBalances]


@dataclass(frozen=True)
class Withdrawal:
    """A withdrawal: ``state`` pending, sent, confirmed or failed; ``tx_ref`` the transaction hash or signature."""

    id: str
    user_id: str
    chain: str
    asset: str
    amount: str
    from_address: str
    to: str
    state: str
    tx_ref: Optional[str]
    error: Optional[str]
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class ApprovalTransaction:
    kind: str
    contract: str
    spender: str
    transaction_id: str
    state: str
    tx_hash: Optional[str]


@dataclass(frozen=True)
class ApprovalProgress:
    """Polymarket trading approvals of a user: ``state`` approved (none missing) or pending (``pending`` in flight)."""

    user_id: str
    address: str
    block_number: str
    state: str
    pending: List[ApprovalTransaction]
