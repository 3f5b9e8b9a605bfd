"""Small, valid import-format records for tests that must not depend on the simulator."""

import csv
from pathlib import Path

from features.columns import INTERACTION_COLUMN_NAMES

TRANSCRIPTS = {
    "ja": "お世話になっております。\n設定方法を教えていただけますか？",
    "en": "Hi, quick question.\nHow do I set up the sharing feature?",
}


def interaction(i: int, **overrides) -> dict:
    """Interaction `i` as import-format strings, like a CSV export would hold them."""
    language = "ja" if i % 2 else "en"
    row = {
        "interaction_id": f"i-{i}",
        "customer_id": f"c-{i % 7}",
        "started_at": f"2026-03-{1 + i % 28:02d}T10:{i % 60:02d}:00+09:00",
        "channel": ("phone", "chat", "email")[i % 3],
        "language": language,
        "contact_reason": "" if i % 4 == 0 else "how_to",
        "transcript": TRANSCRIPTS[language],
        "customer_sentiment": "" if i % 5 == 0 else "0.2",
        "elapsed_seconds": "95",
        "agent_id": f"a-{i % 3}",
        "pool": "standard",
        "days_since_purchase": str(3 + i),
        "persona": "novice",
        "plan_tier": "standard",
        "products_owned": "2",
        "feature_adoption": "0.35",
        "prior_contacts_90d": "1",
        "clv": "1200.0",
        "switching_effort": "high" if i % 2 else "low",
        "holdout": "false",
        "activity_attempted": "validate_purchase" if i % 3 else "",
    }
    row.update({k: str(v) for k, v in overrides.items()})
    return row


def outcome(i: int, **overrides) -> dict:
    row = {
        "interaction_id": f"i-{i}",
        "ves_confidence": "6",
        "ves_ability": "5",
        "csat": "5",
        "retained_60d": "true",
    }
    row.update({k: str(v) for k, v in overrides.items()})
    return row


def write_csv(path: Path, rows: list[dict], columns=None) -> Path:
    columns = columns or (list(rows[0]) if rows else list(INTERACTION_COLUMN_NAMES))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path
