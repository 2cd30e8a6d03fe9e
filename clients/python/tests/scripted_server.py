"""A loopback HTTP server answering each request with the next scripted step (a reply, a dropped
connection), recording what it received: a real socket for the transport tests."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional

V1 = {"Coffre-Api-Version": "1.0.0"}


@dataclass
class Step:
    status: int = 200
    headers: Dict[str, str] = field(default_factory=lambda: dict(V1))
    body: Any = field(default_factory=dict)
    drop: bool = False


def coffre_error(status: int, code: str, **headers: str) -> Step:
    return Step(status, {**V1, **{k.replace("_", "-"): v for k, v in headers.items()}}, {"error": {"code": code, "message": f"{code} from the script"}})


DROP = Step(drop=True)


@dataclass
class Received:
    method: str
    path: str
    headers: Dict[str, str]
    body: bytes


class ScriptedServer:
    def __init__(self, script: List[Step], fallback: Optional[Step] = None) -> None:
        self.script = list(script)
        self.fallback = fallback or Step()
        self.received: List[Received] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                server.received.append(Received(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                step = server.script.pop(0) if server.script else server.fallback
                if step.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                text = step.body.encode() if isinstance(step.body, str) else json.dumps(step.body).encode()
                self.send_response(step.status)
                self.send_header("content-type", "text/html" if isinstance(step.body, str) else "application/json")
                self.send_header("content-length", str(len(text)))
                for name, value in step.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(text)

            do_GET = do_POST = do_DELETE = _answer

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def __enter__(self) -> "ScriptedServer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
