"""The language server against a raw stdio client that lies about message sizes."""

from __future__ import annotations

import subprocess
import sys

SERVER = [sys.executable, "-m", "mlpizza_lint", "lsp"]


def test_a_header_claiming_an_enormous_message_stops_the_server_cleanly() -> None:
    server = subprocess.Popen(
        SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert server.stdin is not None and server.stderr is not None
    server.stdin.write(b"Content-Length: 99999999999999999\r\n\r\n")
    server.stdin.flush()  # and keep stdin open: the server must not wait for more
    try:
        code = server.wait(timeout=60)
    finally:
        server.kill()
        server.stdin.close()
    stderr = server.stderr.read().decode()
    assert code == 1  # the LSP's code for an exit without `shutdown`
    assert stderr == (
        "mlpizza-lint: a message of 99999999999999999 bytes is over the 128 MiB limit; stopping\n"
    )
