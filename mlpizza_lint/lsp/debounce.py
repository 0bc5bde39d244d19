"""Lint once a burst of keystrokes pauses, not after every one of them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class Debouncer:
    """Runs `action(key)` `delay` seconds after the last `schedule(key)`; a later call
    for the same key cancels the pending one and starts the wait again."""

    def __init__(self, delay: float, action: Callable[[str], None]) -> None:
        self.delay = delay
        self.action = action
        self.pending: dict[str, asyncio.TimerHandle] = {}

    def schedule(self, key: str) -> None:
        self.cancel(key)
        if self.delay <= 0:
            self.action(key)
            return
        loop = asyncio.get_running_loop()
        self.pending[key] = loop.call_later(self.delay, self._fire, key)

    def flush(self, key: str) -> None:
        """Run a pending action now: a request must not be answered from stale results."""
        if key in self.pending:
            self.cancel(key)
            self.action(key)

    def cancel(self, key: str) -> None:
        handle = self.pending.pop(key, None)
        if handle is not None:
            handle.cancel()

    def cancel_all(self) -> None:
        for key in list(self.pending):
            self.cancel(key)

    def _fire(self, key: str) -> None:
        del self.pending[key]
        self.action(key)
