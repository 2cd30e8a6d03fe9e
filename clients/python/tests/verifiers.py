"""Independent signature checks from Debian's Python libraries (none of Coffre's code):
EIP-191 with python3-ecdsa (secp256k1 public-key recovery) and python3-pycryptodome (Keccak-256);
Ed25519 with python3-nacl (libsodium) and python3-base58."""
from __future__ import annotations

from typing import Set

import base58
import nacl.exceptions
import nacl.signing
from Cryptodome.Hash import keccak
from ecdsa import SECP256k1, VerifyingKey
from ecdsa.util import sigdecode_string


def keccak256(data: bytes) -> bytes:
    digest = keccak.new(digest_bits=256)
    digest.update(data)
    return digest.digest()


def _address(key: VerifyingKey) -> str:
    return "0x" + keccak256(key.to_string("uncompressed")[1:])[-20:].hex()


def personal_sign_signers(message: bytes, signature_hex: str) -> Set[str]:
    """The addresses (lowercase) whose key could have made this EIP-191 signature, by public-key recovery."""
    signature = bytes.fromhex(signature_hex.removeprefix("0x"))
    assert len(signature) == 65 and signature[64] in (27, 28), "r || s || v with v 27 or 28"
    digest = keccak256(b"\x19Ethereum Signed Message:\n" + str(len(message)).encode() + message)
    keys = VerifyingKey.from_public_key_recovery_with_digest(signature[:64], digest, SECP256k1, sigdecode=sigdecode_string)
    return {_address(key) for key in keys if key.verify_digest(signature[:64], digest, sigdecode=sigdecode_string)}


def ed25519_valid(address: str, message: bytes, signature_base58: str) -> bool:
    try:
        nacl.signing.VerifyKey(base58.b58decode(address)).verify(message, base58.b58decode(signature_base58))
        return True
    except nacl.exceptions.BadSignatureError:
        return False
