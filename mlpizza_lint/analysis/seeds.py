"""Which calls seed random numbers: shared by MLP002 (an unrun seed changed what ran
below it) and MLP403 (no seed in effect)."""

from __future__ import annotations

import re

# A library's own seeding call (qualified) -> the library whose global state it seeds.
LIBRARY_SEEDS = {
    "numpy.random.seed": "numpy",
    "random.seed": "random",
    "torch.manual_seed": "torch",
    "tensorflow.random.set_seed": "tensorflow",
    "tensorflow.set_random_seed": "tensorflow",
}
EVERY_LIBRARY = "*"
# Any other call named like a seed seeds everything: `seed_everything`, `set_seed`,
# `keras.utils.set_random_seed`, the notebook's own `fix_seeds`.
SEED_NAME = re.compile(r"seed", re.IGNORECASE)


def seeded_library(qualified: str) -> str | None:
    """The library a call seeds, `EVERY_LIBRARY` for a general seeding call, else None."""
    if qualified in LIBRARY_SEEDS:
        return LIBRARY_SEEDS[qualified]
    return EVERY_LIBRARY if SEED_NAME.search(qualified.rsplit(".", 1)[-1]) else None
