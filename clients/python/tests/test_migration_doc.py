"""Runs every code block of docs/migrating-from-the-python-bot.md, in order, as a reader would:
Python blocks in one namespace (with COFFRE_URL and COFFRE_TOKEN set), shell blocks with `coffre`
on PATH, the service's data dir, and a legacy database written the way the seed's bot wrote it
(test/client/python/legacyDatabase.ts). Then checks what the blocks claim."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from conftest import COFFRE_BIN, REPO, Helper

GUIDE = REPO / "docs" / "migrating-from-the-python-bot.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks() -> List[Tuple[str, str]]:
    return [(lang, code) for lang, code in BLOCK.findall(GUIDE.read_text())]


@pytest.fixture(scope="module")
def legacy() -> Any:
    helper = Helper("--import", "tsx", "test/client/python/legacyDatabase.ts", ready="url")
    yield helper.info
    helper.stop()


def test_the_guide_has_only_runnable_blocks() -> None:
    languages = [lang for lang, _ in blocks()]
    assert set(languages) == {"python", "sh"}, languages
    assert languages.count("python") >= 8 and languages.count("sh") >= 3


def test_every_block_of_the_guide_runs(service, legacy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COFFRE_URL", service.url)
    monkeypatch.setenv("COFFRE_TOKEN", service.token)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "coffre"
    shim.write_text(f'#!/bin/sh\nexec node "{COFFRE_BIN}" "$@"\n')
    shim.chmod(0o755)
    shutil.copy(legacy["keyFile"], tmp_path / "legacy.key")
    (tmp_path / "legacy.key").chmod(0o600)
    shell_env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "COFFRE_DATA_DIR": str(service.data_dir), "LEGACY_DATABASE_URL": legacy["url"]}

    namespace: Dict[str, Any] = {"__name__": "migration_guide"}
    shell_outputs: List[str] = []
    for index, (lang, code) in enumerate(blocks()):
        if lang == "python":
            try:
                exec(compile(code, f"{GUIDE.name} block {index}", "exec"), namespace)
            except Exception as error:  # noqa: BLE001 - report which block failed
                pytest.fail(f"python block {index} failed: {error!r}\n{code}")
        else:
            result = subprocess.run(["bash", "-euo", "pipefail", "-c", code], cwd=tmp_path, env=shell_env, capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, f"shell block {index} failed:\n{code}\n{result.stderr[-3000:]}"
            shell_outputs.append(result.stdout)

    # Section 1: a token for the bot, without export or admin.
    token = json.loads(shell_outputs[0])
    assert token["token"].startswith("cfr_") and sorted(token["scopes"]) == ["sign", "users:read", "users:write"]
    # Section 3: the dry run writes nothing, the import brings every well-formed user, the other is quarantined.
    dry, real = json.loads(shell_outputs[1]), json.loads(shell_outputs[2])
    assert (dry["dryRun"], dry["scanned"], dry["imported"], dry["quarantinedUsers"]) == (True, 4, 3, 1)
    assert (real["dryRun"], real["imported"], real["quarantinedUsers"]) == (False, 3, 1)
    assert {(q["telegramUserId"], q["field"]) for q in real["quarantined"]} == {("1004", "polygon_private_key"), ("1004", "solana_private_key")}
    rows = [(u["telegramUserId"], u["polygonAddress"], u["solanaAddress"]) for u in legacy["users"]]
    coffre = namespace["coffre"]
    assert namespace["check_migrated"](coffre, rows) == [1004]
    assert real["apiCredentials"] == {"imported": 1, "quarantined": 0, "alreadyPresent": 0}
    # Section 2: what the blocks did is really there.
    assert namespace["order"].status == "sent"
    received: List[bytes] = []
    wire = bytes([1]) + bytes(64) + _self_transfer_message(namespace["user"].solana_address)
    namespace["sign_and_send_solana"](namespace["user"].id, wire, received.append)
    assert len(received) == 1 and received[0][65:] == wire[65:] and received[0][1:65] != bytes(64)


def _self_transfer_message(solana_address: str) -> bytes:
    import base58
    import struct

    data = struct.pack("<IQ", 2, 1)
    return bytes([1, 0, 1, 2]) + base58.b58decode(solana_address) + bytes(32) + bytes(32) + bytes([1, 1, 1, 0, len(data)]) + data
