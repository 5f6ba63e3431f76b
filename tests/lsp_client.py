"""A small Language Server Protocol client for the tests: JSON-RPC 2.0 over a
child process's pipes, each message framed by a ``Content-Length`` header.

It also applies TextEdits as an editor does (positions in UTF-16 code units,
lines ending at ``\\n``, ``\\r\\n`` or ``\\r``), written apart from the
server's own conversion so that the two check each other.
"""

from __future__ import annotations

import json
import queue
import re
import subprocess
import sys
import threading
import time
from typing import Any

TIMEOUT = 20.0


class LspClient:
    def __init__(self, cwd: str, stderr: Any) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "newslint", "server"], cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=stderr)
        self.messages: queue.Queue[dict | None] = queue.Queue()
        self.notifications: list[dict] = []  # not yet waited for
        self.history: list[dict] = []  # every notification
        self.server_requests: list[dict] = []
        self.responses: dict[int, dict] = {}
        self.next_id = 0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    # -- framing ----------------------------------------------------------------------
    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None, "a message without Content-Length"
            self.messages.put(json.loads(out.read(length).decode("utf-8")))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _pump(self, deadline: float) -> None:
        """Take one message off the pipe (notification or response)."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the server did not answer in time")
        try:
            message = self.messages.get(timeout=left)
        except queue.Empty:
            raise TimeoutError("the server did not answer in time") from None
        if message is None:
            raise ConnectionError(f"the server exited (status {self.proc.poll()})")
        if "id" in message and "method" not in message:
            self.responses[message["id"]] = message
        elif "id" in message:  # a request from the server (registerCapability, ...): kept, answered
            self.server_requests.append(message)
            self.send({"id": message["id"], "result": None})
        else:
            self.notifications.append(message)
            self.history.append(message)

    # -- messages -----------------------------------------------------------------------
    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request_raw(self, method: str, params: Any) -> dict:
        self.next_id += 1
        rid = self.next_id
        self.send({"id": rid, "method": method, "params": params})
        deadline = time.monotonic() + TIMEOUT
        while rid not in self.responses:
            self._pump(deadline)
        return self.responses.pop(rid)

    def request(self, method: str, params: Any) -> Any:
        answer = self.request_raw(method, params)
        assert "error" not in answer, answer
        return answer["result"]

    def diagnostics(self, uri: str, version: int | None = None) -> list[dict]:
        """The diagnostics published for ``uri`` (at ``version``, when given); waits for them."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for i, n in enumerate(self.notifications):
                p = n.get("params", {})
                if (n["method"] == "textDocument/publishDiagnostics" and p.get("uri") == uri
                        and (version is None or p.get("version") == version)):
                    del self.notifications[: i + 1]
                    return p["diagnostics"]
            self._pump(deadline)

    def published(self, uri: str) -> list[dict]:
        """Every diagnostics notification received so far for ``uri``."""
        return [n["params"] for n in self.history
                if n["method"] == "textDocument/publishDiagnostics" and n["params"].get("uri") == uri]

    # -- life ---------------------------------------------------------------------------
    def initialize(self, root_uri: str, capabilities: dict | None = None) -> dict:
        result = self.request("initialize", {"processId": None, "rootUri": root_uri,
                                             "capabilities": capabilities or {}})
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, version: int = 1, language: str = "markdown") -> None:
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language,
                                                              "version": version, "text": text}})

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.request("shutdown", None)
                self.notify("exit", None)
                self.proc.wait(timeout=10)
            except Exception:
                self.proc.kill()
                self.proc.wait()


# -- what an editor does with the answers ----------------------------------------------------
def utf16_offset(text: str, line: int, character: int) -> int:
    """The offset of an LSP position (UTF-16 units) in ``text``."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    start = starts[line]
    end = len(text) if line + 1 >= len(starts) else starts[line + 1]
    units = 0
    for i in range(start, end):
        if units >= character or text[i] in "\r\n":
            return i
        units += 2 if ord(text[i]) > 0xFFFF else 1
    return end


def apply_text_edits(text: str, edits: list[dict]) -> str:
    spans = []
    for e in edits:
        r = e["range"]
        spans.append((utf16_offset(text, r["start"]["line"], r["start"]["character"]),
                      utf16_offset(text, r["end"]["line"], r["end"]["character"]), e["newText"]))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def apply_workspace_edit(text: str, edit: dict, uri: str, version: int | None = None) -> str:
    changes = edit["documentChanges"]
    assert [c["textDocument"]["uri"] for c in changes] == [uri]
    if version is not None:
        assert changes[0]["textDocument"]["version"] == version
    return apply_text_edits(text, changes[0]["edits"])


def newslint_offset(text: str, line: int, column: int) -> int:
    """The offset of newslint's 1-based (line, column): lines end at ``\\n``, columns count code points."""
    starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    return starts[line - 1] + column - 1


def apply_json_fix(text: str, fix: dict) -> str:
    """A finding's fix from ``--format json`` applied to ``text``."""
    spans = [(newslint_offset(text, e["start_line"], e["start_column"]),
              newslint_offset(text, e["end_line"], e["end_column"]), e["content"]) for e in fix["edits"]]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def utf16_position(text: str, line: int, column: int) -> dict:
    """newslint's 1-based (line, column) as an LSP position in UTF-16 units."""
    start = newslint_offset(text, line, 1)
    prefix = text[start:start + column - 1]
    return {"line": line - 1, "character": sum(2 if ord(c) > 0xFFFF else 1 for c in prefix)}
