"""Which kernel runs the notebook, and how it is started.

Every run gets its own kernel spec in a private folder, so the kernel is exactly the
interpreter asked for (this environment's, a named Jupyter kernel's, or a fresh
environment's), optionally wrapped in a network namespace; nothing is registered with the
user's Jupyter.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from mlpizza_lint.verify.network import isolation_prefix

if TYPE_CHECKING:
    from jupyter_client.manager import AsyncKernelManager

SPEC_NAME = "mlpizza-lint-verify"
IPYKERNEL = ("-m", "ipykernel_launcher", "-f", "{connection_file}")


class KernelError(Exception):
    """The kernel asked for cannot be started; the message says why."""


@dataclass(frozen=True)
class KernelLaunch:
    """How to start a kernel: its command line (with `{connection_file}`) and language."""

    argv: tuple[str, ...]
    language: str = "python"
    description: str = "this environment's Python"
    isolated: bool = False  # no network: the kernel talks to us over Unix sockets

    def without_network(self) -> KernelLaunch:
        return replace(self, argv=(*isolation_prefix(), *self.argv), isolated=True)

    def manager(self, folder: Path) -> AsyncKernelManager:
        """A kernel manager for this launch, its spec written into `folder`."""
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import AsyncKernelManager

        spec = folder / "kernels" / SPEC_NAME
        spec.mkdir(parents=True, exist_ok=True)
        (spec / "kernel.json").write_text(
            json.dumps(
                {"argv": list(self.argv), "display_name": SPEC_NAME, "language": self.language}
            ),
            encoding="utf-8",
        )
        specs = KernelSpecManager(kernel_dirs=[str(folder / "kernels")])
        if not self.isolated:
            return AsyncKernelManager(kernel_spec_manager=specs, kernel_name=SPEC_NAME)
        return AsyncKernelManager(
            kernel_spec_manager=specs,
            kernel_name=SPEC_NAME,
            transport="ipc",
            ip=str(folder / "ipc"),
        )


def python_kernel(python: str = sys.executable, description: str = "") -> KernelLaunch:
    return KernelLaunch((python, *IPYKERNEL), description=description or f"Python at {python}")


def this_environment() -> KernelLaunch:
    if importlib.util.find_spec("ipykernel") is None:
        raise KernelError(
            "verify needs ipykernel in this environment (pip install ipykernel), "
            "or --kernel NAME for an installed Jupyter kernel"
        )
    return python_kernel(description="this environment's Python")


def named_kernel(name: str) -> KernelLaunch:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise KernelError(
            f"no Jupyter kernel named `{name}`; `jupyter kernelspec list` shows them"
        ) from None
    return KernelLaunch(tuple(spec.argv), spec.language.lower(), f"the `{name}` kernel")
