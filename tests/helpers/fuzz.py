"""How many examples a property test draws: its own number, times FUZZ_FACTOR under
`make fuzz` (HYPOTHESIS_PROFILE=fuzz). A test's explicit `max_examples` outranks any
profile, so the scaling has to happen where the number is written."""

import os

FUZZ_FACTOR = 10


def examples(count: int) -> int:
    return count * FUZZ_FACTOR if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else count
