"""Users through the sync client against a real ``coffre serve``."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from conftest import REPO
from coffre import CoffreApiError, Coffre, EnsuredUser, User


def test_create_user_is_idempotent_per_telegram_id(coffre: Coffre, telegram_id: int) -> None:
    user = coffre.create_user(telegram_user_id=telegram_id, username="alice")
    assert isinstance(user, EnsuredUser) and user.created is True
    assert user.telegram_user_id == telegram_id and user.username == "alice"
    assert user.polygon_address.startswith("0x") and len(user.polygon_address) == 42
    assert 32 <= len(user.solana_address) <= 44
    again = coffre.create_user(telegram_user_id=telegram_id)
    assert (again.id, again.created, again.polygon_address, again.solana_address) == (user.id, False, user.polygon_address, user.solana_address)


def test_get_find_and_list(coffre: Coffre, telegram_id: int) -> None:
    created = coffre.create_user(telegram_user_id=telegram_id)
    fetched = coffre.get_user(created.id)
    assert isinstance(fetched, User) and not isinstance(fetched, EnsuredUser)
    assert fetched.id == created.id and fetched.has_mnemonic is True and fetched.origin == "generated"
    assert fetched.onboarding_stage == "created"  # the on-chain stage is read for one user (GET /v1/users/{id}), not in lists
    assert coffre.find_user(telegram_id) == replace(fetched, onboarding_stage=None)
    assert coffre.find_user(telegram_id + 1_000_000) is None
    first = coffre.list_users(limit=1)
    assert len(first.users) == 1 and first.next_cursor is not None
    second = coffre.list_users(limit=1, cursor=first.next_cursor)
    assert second.users[0].id != first.users[0].id


def test_import_a_mnemonic_gives_metamask_and_phantom_addresses(coffre: Coffre, telegram_id: int) -> None:
    known = json.loads((REPO / "test" / "vectors" / "known-addresses.json").read_text())
    imported = coffre.import_user(telegram_user_id=telegram_id, mnemonic=known["mnemonic"])
    assert imported.created is True and imported.origin != "generated"
    assert imported.polygon_address == known["evm"]["address"]
    assert imported.solana_address == known["solana"]["address"]


def test_export_is_sealed_to_the_callers_key(coffre: Coffre, telegram_id: int) -> None:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    import base64

    user = coffre.create_user(telegram_user_id=telegram_id)
    public = X25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    envelope = coffre.export_user(user.id, recipient_public_key=base64.b64encode(public).decode(), reason="pytest")
    assert (envelope.user_id, envelope.format) == (user.id, "coffre-export-v1")
    assert user.polygon_address not in envelope.ciphertext


def test_errors_carry_the_coffre_code(coffre: Coffre, service) -> None:
    with pytest.raises(CoffreApiError) as missing:
        coffre.get_user("00000000-0000-4000-8000-000000000000")
    assert (missing.value.code, missing.value.status) == ("COFFRE_NOT_FOUND", 404)
    with pytest.raises(CoffreApiError) as bad:
        coffre.create_user(telegram_user_id=-5)
    assert (bad.value.code, bad.value.status) == ("COFFRE_INVALID_INPUT", 400)
    with Coffre(service.url, "cfr_not-a-token") as stranger, pytest.raises(CoffreApiError) as refused:
        stranger.find_user(1)
    assert (refused.value.code, refused.value.status) == ("COFFRE_UNAUTHORIZED", 401)


def test_an_explicit_idempotency_key_replays_and_refuses_another_body(coffre: Coffre, telegram_id: int) -> None:
    first = coffre.create_user(telegram_user_id=telegram_id, idempotency_key=f"start-{telegram_id}")
    replay = coffre.create_user(telegram_user_id=telegram_id, idempotency_key=f"start-{telegram_id}")
    assert (replay.id, replay.created) == (first.id, True), "the recorded 201 is replayed, not redone"
    with pytest.raises(CoffreApiError) as mismatch:
        coffre.create_user(telegram_user_id=telegram_id + 1, idempotency_key=f"start-{telegram_id}")
    assert mismatch.value.code == "COFFRE_IDEMPOTENCY_MISMATCH"
