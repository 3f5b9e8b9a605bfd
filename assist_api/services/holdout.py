"""Deterministic control groups: the same customer always lands in the same group.

A salted hash of the customer id, read as a number in [0, 1), is compared with the rate.
Changing the salt re-draws the groups; two groups with different salts are independent,
which is what the 2x2 card/routing design needs.
"""

import hashlib

SCALE = float(2**64)


def hash_fraction(customer_id: str, salt: str) -> float:
    digest = hashlib.blake2b(f"{salt}:{customer_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / SCALE


def in_control_group(customer_id: str, salt: str, rate: float) -> bool:
    return rate > 0 and hash_fraction(customer_id, salt) < rate
