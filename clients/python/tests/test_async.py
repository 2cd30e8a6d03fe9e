"""AsyncCoffre against the real service: the same methods, awaited; a concurrent /start storm yields one user."""
from __future__ import annotations

import asyncio

import pytest

from coffre import AsyncCoffre, CoffreApiError
from verifiers import personal_sign_signers


def test_async_client(service, telegram_id: int) -> None:
    async def scenario() -> None:
        async with AsyncCoffre(service.url, service.token) as coffre:
            users = await asyncio.gather(*(coffre.create_user(telegram_user_id=telegram_id, username="storm") for _ in range(8)))
            assert len({u.id for u in users}) == 1
            assert sum(u.created for u in users) == 1, "exactly one call created the user"
            found = await coffre.find_user(telegram_id)
            assert found is not None and found.id == users[0].id
            signed = await coffre.sign_message(found.id, chain="polygon", message="async gm")
            assert found.polygon_address.lower() in personal_sign_signers(b"async gm", signed.signature)
            order = await coffre.place_polymarket_order(found.id, token_id="5005", side="BUY", price=0.5, size=2, tick_size="0.01", neg_risk=False)
            assert order.status == "sent"
            with pytest.raises(CoffreApiError) as missing:
                await coffre.get_pair("00000000-0000-4000-8000-000000000000")
            assert missing.value.code == "COFFRE_NOT_FOUND"

    asyncio.run(scenario())
