"""The request's own facts before scoring: the flat record, its size check, the
conversation state, and the openness band of a score."""

from assist_api.config import Settings
from assist_api.errors import TooLarge
from features.resolution import issue_resolved


def flatten_request(data: dict) -> dict:
    """The API's nested request -> a flat import-format record (what `features` reads)."""
    record = {k: v for k, v in data.items() if k != "customer"}
    record.update(data["customer"])
    record["transcript"] = "\n".join(data.get("transcript") or ())
    return record


def band_for(score: float, settings: Settings) -> str:
    if score >= settings.band_high:
        return "high"
    if score >= settings.band_medium:
        return "medium"
    return "low"


def check_size(data: dict, settings: Settings) -> None:
    chars = sum(len(line) for line in data.get("transcript") or ())
    if chars > settings.max_transcript_chars:
        raise TooLarge(
            f"transcript has {chars} characters; the limit is {settings.max_transcript_chars}",
            details={"field": "transcript", "limit": settings.max_transcript_chars},
        )


def conversation_state(data: dict) -> dict:
    """Is the customer's issue resolved? The agent's say-so wins over the customer's words."""
    if data.get("issue_resolved") is not None:
        return {"issue_resolved": data["issue_resolved"], "inferred": False}
    return {"issue_resolved": issue_resolved(data.get("transcript")), "inferred": True}
