"""What the service understood about the interaction: the reason and the sentiment used.

An agent (and the desk page) should see what the score was built on — a reason the
customer gave, or one inferred from their words, how sure the inference is, and the
phrases that point to it — so a wrong guess is visible instead of silently steering the
cards. Same for sentiment: given by the desk, or estimated from the transcript by the
model version's text model.
"""

import math

from features.row import PreparedInteraction

EVIDENCE_SHOWN = 3


def understood(prepared: PreparedInteraction) -> dict:
    """The `understood` block of the /v1/assist answer."""
    sentiment = prepared.sentiment
    return {
        "contact_reason": {
            "value": prepared.contact_reason,
            "inferred": prepared.reason_inferred,
            "confidence": round(float(prepared.reason_confidence), 4),
            "evidence": list(prepared.reason_evidence[:EVIDENCE_SHOWN]),
            "source": prepared.reason_source,
        },
        "sentiment": {
            "value": None if math.isnan(sentiment) else round(float(sentiment), 3),
            "inferred": prepared.sentiment_inferred,
        },
    }
