"""The sample events under samples/, written from each platform's public documentation."""

import json
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "samples"
PLATFORMS = ("amazon_connect", "genesys", "twilio", "zendesk")


def sample_events(platform: str) -> list[dict]:
    return json.loads((SAMPLES / f"{platform}.json").read_text(encoding="utf-8"))
