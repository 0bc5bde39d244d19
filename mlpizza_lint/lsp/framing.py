"""The server's stdin, with a bound on what one message may claim.

pygls reads a header line, then exactly `Content-Length` bytes. A header claiming
99999999999999999 bytes makes it allocate that much at once (MemoryError, and the server
dies with a traceback), and a header line without an end is read until memory runs out. So
header lines are read at most `MAX_HEADER_LINE` bytes at a time, and a body over
`MAX_MESSAGE_BYTES` is refused: the read returns nothing, which pygls takes for the end of
input, and the server stops cleanly. It cannot go on: the bytes that follow are the claimed
body or garbage, and no later message can be found in them with any certainty.
"""

from __future__ import annotations

import io
import logging

# A didOpen of the largest file we read (50 MiB, `reading.SIZE_LIMIT`) with every
# character JSON-escaped stays below this.
MAX_MESSAGE_BYTES = 128 * 1024 * 1024
MAX_HEADER_LINE = 64 * 1024

logger = logging.getLogger(__name__)


class BoundedReader(io.BufferedReader):
    def readline(self, size: int | None = -1) -> bytes:
        return super().readline(MAX_HEADER_LINE if size is None or size < 0 else size)

    def read(self, size: int | None = -1) -> bytes:
        if size is not None and size > MAX_MESSAGE_BYTES:
            logger.error(
                "mlpizza-lint: a message of %d bytes is over the %d MiB limit; stopping",
                size,
                MAX_MESSAGE_BYTES // (1024 * 1024),
            )
            return b""
        return super().read(size)
