"""Running a kernel with no network: a Linux network namespace, or a clear refusal."""

from __future__ import annotations

import shutil
import subprocess
import sys
from functools import cache

# Tried in order: a new network namespace as root, then inside a new user namespace
# (unprivileged users, where the kernel allows it).
UNSHARE_FORMS = (("-n",), ("-r", "-n"))


class NetworkIsolationError(Exception):
    """`--no-network` cannot be honoured on this machine; the message says why."""


@cache
def isolation_prefix() -> tuple[str, ...]:
    """The command that, put before a kernel's argv, runs it without any network."""
    unshare = shutil.which("unshare")
    if not sys.platform.startswith("linux") or unshare is None:
        raise NetworkIsolationError(
            "--no-network needs Linux network namespaces (the `unshare` command), "
            "which this machine does not have; run without --no-network"
        )
    reasons = []
    for form in UNSHARE_FORMS:
        probe = subprocess.run([unshare, *form, "true"], capture_output=True, text=True)
        if probe.returncode == 0:
            return (unshare, *form)
        reasons.append(probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else "")
    raise NetworkIsolationError(
        "--no-network: this machine does not allow a new network namespace "
        f"({'; '.join(filter(None, reasons)) or 'unshare failed'}); run without --no-network"
    )
