"""A real Coffre for the suite: ``coffre init`` in a temp data dir, a token, the stand-in CLOB, and
``coffre serve`` on a free port — all stopped by the fixtures' finalizers, also when a test fails.

Needs the repository checkout (bin/coffre.js, node_modules) and Node 20 on PATH.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Dict, Iterator, List

import pytest

REPO = Path(__file__).resolve().parents[3]
COFFRE_BIN = REPO / "bin" / "coffre.js"
SCOPES = "users:read,users:write,sign,export,admin"


def node(*args: str, input_text: str | None = None, timeout: float = 120) -> str:
    """Runs node in the repository (tsx for TypeScript helpers); returns stdout, fails loudly otherwise."""
    result = subprocess.run(["node", *args], cwd=REPO, input=input_text, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"node {' '.join(args)} exited {result.returncode}: {result.stderr[-2000:]}")
    return result.stdout


def coffre_cli(data_dir: Path, *args: str) -> Dict[str, Any]:
    return json.loads(node(str(COFFRE_BIN), "--data-dir", str(data_dir), *args, "--json"))


class Helper:
    """A long-running Node process that prints a JSON line carrying the key ``ready`` once ready, and stops when its stdin closes."""

    def __init__(self, *args: str, ready: str) -> None:
        self.process = subprocess.Popen(["node", *args], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.info: Dict[str, Any] = {}
        self.output: List[str] = []
        deadline = time.monotonic() + 120
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line == "" and self.process.poll() is not None:
                break
            self.output.append(line)
            if line.startswith("{") and f'"{ready}"' in line:
                self.info = json.loads(line)
                # Keep reading, so a chatty process never blocks on a full pipe.
                threading.Thread(target=self._drain, daemon=True).start()
                return
        self.stop()
        raise RuntimeError(f"node {' '.join(args)} did not start: {''.join(self.output)[-2000:]}")

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            del self.output[:-200]

    def stop(self) -> None:
        if self.process.poll() is None:
            stdin: IO[str] | None = self.process.stdin
            if stdin is not None:
                stdin.close()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass(frozen=True)
class Service:
    url: str
    token: str
    data_dir: Path
    clob_url: str


@pytest.fixture(scope="session")
def clob() -> Iterator[Helper]:
    helper = Helper("--import", "tsx", "test/client/python/standinClobServer.ts", ready="url")
    yield helper
    helper.stop()


@pytest.fixture(scope="session")
def service(clob: Helper) -> Iterator[Service]:
    data_dir = Path(tempfile.mkdtemp(prefix="coffre-pytest-"))
    serve: Helper | None = None
    try:
        coffre_cli(data_dir, "init")
        token = coffre_cli(data_dir, "tokens", "create", "--policy", "allow-all", "--scopes", SCOPES, "--name", "pytest")["token"]
        serve = Helper(
            str(COFFRE_BIN), "--data-dir", str(data_dir), "serve", "--port", "0", "--log-level", "warn", "--no-scheduler",
            "--clob-url", clob.info["url"], "--chain-id", "137",
            ready="listening",
        )
        url = serve.info["listening"]
        yield Service(url=url, token=token, data_dir=data_dir, clob_url=clob.info["url"])
    finally:
        if serve is not None:
            # SIGTERM drains in-flight requests, then closes the store.
            serve.process.terminate()
            try:
                serve.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                serve.process.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture()
def coffre(service: Service):
    from coffre import Coffre

    with Coffre(service.url, service.token) as client:
        yield client


_telegram_ids = iter(range(500_000, 600_000))


@pytest.fixture()
def telegram_id() -> int:
    """A telegram id no other test uses."""
    return next(_telegram_ids)


def verify_with_node(request: Dict[str, Any]) -> Dict[str, Any]:
    """The independent verifier (viem) for what Python has no Debian library for: EIP-712 and EIP-1559."""
    return json.loads(node("--import", "tsx", "test/client/python/verifySignature.ts", input_text=json.dumps(request)))


def pytest_report_header(config: pytest.Config) -> str:
    import coffre

    return f"coffre client {coffre.__version__} from {Path(coffre.__file__).parent} (API {coffre.API_MAJOR}.x); repo {REPO}"


os.environ.setdefault("COFFRE_PYTEST", "1")
