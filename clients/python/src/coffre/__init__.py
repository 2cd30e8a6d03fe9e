"""Coffre's Python client: ``Coffre`` (sync) and ``AsyncCoffre`` (asyncio) for the HTTP API v1.

    from coffre import Coffre, CoffreApiError

    coffre = Coffre("http://127.0.0.1:8787", token)
    user = coffre.create_user(telegram_user_id=42, username="alice")
    user.polygon_address, user.solana_address
"""
from ._retry import RetryPolicy
from ._version import API_MAJOR, __version__
from .async_client import AsyncCoffre
from .client import Coffre
from .errors import CoffreApiError
from .models import (
    AuditVerification, DataKey, DerivedKeyMembership, DerivedKeyPage, DoctorCheck, DoctorReport, EnsuredUser, ExportEnvelope, Keyring,
    KeyProviderInfo, Pair, PairPage, PolymarketCredential, PolymarketCredentialListing, PolymarketOrder, PolymarketRotation, Signature,
    SignedEvmTransaction, SignedSolanaTransaction, User, UserPage, UserBackup, RestoredBackup, BackupShareUsed, UserGuardians, GuardianRemoval, RecoveryRequest, CreatedSafe, SignedSafeTx, SafeExecution, PolygonBalances, SolanaBalances, UserBalances, Withdrawal, ApprovalProgress, ApprovalTransaction,
)

__all__ = [
    "API_MAJOR", "ApprovalProgress", "ApprovalTransaction", "Withdrawal", "PolygonBalances", "SolanaBalances", "UserBalances", "AsyncCoffre", "AuditVerification", "Coffre", "CoffreApiError", "DataKey", "DerivedKeyMembership", "DerivedKeyPage",
    "DoctorCheck", "DoctorReport", "EnsuredUser", "ExportEnvelope", "KeyProviderInfo", "Keyring", "Pair", "PairPage", "PolymarketCredential",
    "PolymarketCredentialListing", "PolymarketOrder", "PolymarketRotation", "RetryPolicy", "Signature", "SignedEvmTransaction",
    "SignedSolanaTransaction", "User", "UserPage", "UserBackup", "RestoredBackup", "BackupShareUsed", "UserGuardians", "GuardianRemoval", "RecoveryRequest", "CreatedSafe", "SignedSafeTx", "SafeExecution", "__version__",
]
