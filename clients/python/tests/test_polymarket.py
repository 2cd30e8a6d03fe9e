"""Polymarket through the Python client: CLOB credentials and orders against the stand-in CLOB,
which verifies the L1 (ClobAuth EIP-712) and order signatures as Polymarket's server does."""
from __future__ import annotations

import pytest

from coffre import Coffre, CoffreApiError


def test_credentials_lifecycle(coffre: Coffre, telegram_id: int) -> None:
    user = coffre.create_user(telegram_user_id=telegram_id)
    created = coffre.create_polymarket_credentials(user.id)
    assert (created.state, created.kind, created.address, created.chain_id) == ("active", "trading", user.polygon_address, 137)
    again = coffre.create_polymarket_credentials(user.id)
    assert again.api_key == created.api_key, "create-or-derive: the second call derives the same key"
    listing = coffre.list_polymarket_credentials(user.id)
    assert listing.clob_api_keys == [created.api_key], "the stand-in CLOB lists the key it issued after checking the L1 signature"
    assert [c.api_key for c in listing.stored] == [created.api_key]
    rotation = coffre.rotate_polymarket_credentials(user.id)
    assert rotation.revoked == [created.api_key] and rotation.current.api_key != created.api_key
    revoked = coffre.revoke_polymarket_credentials(user.id, rotation.current.api_key)
    assert revoked.state == "revoked"


def test_order_placed_verified_and_listed(coffre: Coffre, telegram_id: int) -> None:
    user = coffre.create_user(telegram_user_id=telegram_id)
    coffre.create_polymarket_credentials(user.id)
    order = coffre.place_polymarket_order(user.id, token_id="4001", side="BUY", price=0.35, size=20, tick_size="0.01", neg_risk=False)
    assert (order.status, order.clob_status, order.maker_amount, order.taker_amount) == ("sent", "live", "7000000", "20000000")
    assert order.clob_order_id == order.order_hash, "the stand-in recomputed the hash from the signed order and accepted the signature"
    assert coffre.get_polymarket_order(order.order_hash).status == "sent"
    listed = coffre.list_polymarket_orders(user_id=user.id, status="sent")
    assert [o.order_hash for o in listed] == [order.order_hash]
    sell = coffre.place_polymarket_order(user.id, token_id="4001", side="SELL", price=0.61, size=5, tick_size="0.01", neg_risk=False, order_type="GTC")
    assert sell.status == "sent" and sell.side == "SELL"


def test_a_bad_order_is_refused_before_signing(coffre: Coffre, telegram_id: int) -> None:
    user = coffre.create_user(telegram_user_id=telegram_id)
    with pytest.raises(CoffreApiError) as refused:
        coffre.place_polymarket_order(user.id, token_id="4001", side="BUY", price=1.5, size=1, tick_size="0.01", neg_risk=False)
    assert (refused.value.code, refused.value.status) == ("COFFRE_INVALID_INPUT", 400)
    assert coffre.list_polymarket_orders(user_id=user.id) == []
