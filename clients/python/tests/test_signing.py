"""Signing through the Python client, each signature checked by an independent verifier:
EIP-191 and Ed25519 in Python (verifiers.py, Debian libraries), EIP-712 and EIP-1559 by viem in
Node (conftest.verify_with_node: Debian has no EIP-712 library for Python)."""
from __future__ import annotations

import base64
import struct

import base58

from conftest import verify_with_node
from coffre import Coffre
from verifiers import ed25519_valid, personal_sign_signers


def test_personal_sign_text_and_bytes(coffre: Coffre, telegram_id: int) -> None:
    user = coffre.create_user(telegram_user_id=telegram_id)
    signed = coffre.sign_message(user.id, chain="polygon", message="gm from python")
    assert signed.address == user.polygon_address
    assert user.polygon_address.lower() in personal_sign_signers(b"gm from python", signed.signature)
    assert user.polygon_address.lower() not in personal_sign_signers(b"gm from pythoN", signed.signature)
    raw = coffre.sign_message(user.id, chain="polygon", message=b"\x00\xffbytes")
    assert user.polygon_address.lower() in personal_sign_signers(b"\x00\xffbytes", raw.signature)


def test_solana_message(coffre: Coffre, telegram_id: int) -> None:
    user = coffre.create_user(telegram_user_id=telegram_id)
    signed = coffre.sign_message(user.id, chain="solana", message=b"solana says hi")
    assert signed.address == user.solana_address
    assert ed25519_valid(user.solana_address, b"solana says hi", signed.signature)
    assert not ed25519_valid(user.solana_address, b"solana says bye", signed.signature)


def test_typed_data_with_big_integers(coffre: Coffre, telegram_id: int) -> None:
    user = coffre.create_user(telegram_user_id=telegram_id)
    permit = {
        "domain": {"name": "USD Coin (PoS)", "version": "1", "chainId": 137, "verifyingContract": "0x2791Bca1f2de4661ED88A30C99A7a9449Aa84174"},
        "types": {"Permit": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"}, {"name": "value", "type": "uint256"}, {"name": "nonce", "type": "uint256"}, {"name": "deadline", "type": "uint256"}]},
        "primaryType": "Permit",
        "message": {"owner": user.polygon_address, "spender": "0xE111180000d2663C0091e4f400237545B87B996B", "value": 2**255 + 7, "nonce": 0, "deadline": 1_900_000_000},
    }
    signed = coffre.sign_typed_data(user.id, permit)
    as_json = {**permit, "message": {**permit["message"], "value": str(2**255 + 7)}}
    assert verify_with_node({"kind": "typedData", "address": user.polygon_address, "typedData": as_json, "signature": signed.signature})["valid"] is True
    other = {**as_json, "message": {**as_json["message"], "value": "1"}}
    assert verify_with_node({"kind": "typedData", "address": user.polygon_address, "typedData": other, "signature": signed.signature})["valid"] is False


def test_evm_transaction_in_web3_py_form(coffre: Coffre, telegram_id: int) -> None:
    user = coffre.create_user(telegram_user_id=telegram_id)
    tx = {"chainId": 137, "nonce": 7, "to": "0x000000000000000000000000000000000000dEaD", "value": 10**18, "gas": 21_000, "maxFeePerGas": 50 * 10**9, "maxPriorityFeePerGas": 30 * 10**9, "type": 2}
    signed = coffre.sign_evm_transaction(user.id, tx)
    checked = verify_with_node({"kind": "evmTransaction", "serializedTransaction": signed.serialized_transaction})
    assert (checked["signer"], checked["type"], checked["chainId"], checked["nonce"], checked["value"]) == (user.polygon_address, "eip1559", 137, 7, str(10**18))


def _transfer_message(source: bytes, destination: bytes, lamports: int) -> bytes:
    """A legacy Solana message: one System Program transfer signed by ``source`` (test data, laid out by hand)."""
    system_program = bytes(32)
    header = bytes([1, 0, 1])  # one signer, no read-only signer, one read-only account (the program)
    keys = bytes([3]) + source + destination + system_program
    blockhash = bytes(range(32))
    data = struct.pack("<IQ", 2, lamports)
    instruction = bytes([1, 2, 2, 0, 1, len(data)]) + data  # one instruction: program #2, accounts [0, 1]
    return header + keys + blockhash + instruction


def test_solana_transaction(coffre: Coffre, telegram_id: int) -> None:
    user = coffre.create_user(telegram_user_id=telegram_id)
    message = _transfer_message(base58.b58decode(user.solana_address), bytes([7]) * 32, 1_000_000)
    wire = bytes([1]) + bytes(64) + message
    signed = coffre.sign_solana_transaction(user.id, wire)
    out = base64.b64decode(signed.signed_transaction)
    assert out[65:] == message, "the message is returned unchanged"
    assert out[1:65] == base58.b58decode(signed.signature), "the signature fills the signer's slot"
    assert ed25519_valid(user.solana_address, message, signed.signature)
