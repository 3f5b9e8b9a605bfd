"""One realistic event per platform, for the OpenAPI document's request bodies."""

AMAZON_CONNECT = {
    "Version": "1.0.0",
    "Channel": "VOICE",
    "AccountId": "123456789012",
    "ContactId": "5d3c7a0e-21f4-4b8e-9a61-0c2f1e7d9b44",
    "InstanceId": "a1b2c3d4-5678-90ab-cdef-111122223333",
    "LanguageCode": "en-US",
    "EventType": "SEGMENTS",
    "Segments": [
        {
            "Transcript": {
                "Id": "2b8d4f1a-3333-4e6c-a1d2-cust00000001",
                "ParticipantId": "CUSTOMER",
                "ParticipantRole": "CUSTOMER",
                "Content": "I bought the premium plan last week and I want to share calendars.",
                "BeginOffsetMillis": 5120,
                "EndOffsetMillis": 11240,
                "Sentiment": "NEUTRAL",
            }
        }
    ],
}
GENESYS = {
    "topicName": "v2.conversations.8f14e45f-ceea-467f-a8f4-8c1b2d3e4f50.transcription",
    "eventBody": {
        "conversationId": "8f14e45f-ceea-467f-a8f4-8c1b2d3e4f50",
        "communicationId": "c4ca4238-a0b9-4382-8dcc-509a6f75849b",
        "transcripts": [
            {
                "utteranceId": "8f14e45f-ea6f-4d1e-9c7b-2a3b4c5d6e7f",
                "isFinal": True,
                "channel": "EXTERNAL",
                "dialect": "en-US",
                "alternatives": [
                    {
                        "confidence": 0.9,
                        "offsetMs": 4800,
                        "durationMs": 5200,
                        "transcript": "my new router keeps dropping the wifi",
                        "decoratedTranscript": "My new router keeps dropping the Wi-Fi.",
                    }
                ],
            }
        ],
    },
}
TWILIO = {
    "AccountSid": "AC0123456789abcdef0123456789abcdef",
    "CallSid": "CA5f0e1d2c3b4a59687766554433221100",
    "TranscriptionSid": "GT9a8b7c6d5e4f30211234567890abcdef",
    "Timestamp": "2026-12-02T02:10:09.780Z",
    "SequenceId": "4",
    "TranscriptionEvent": "transcription-content",
    "LanguageCode": "en-US",
    "Track": "inbound_track",
    "Final": "true",
    "TranscriptionData": '{"transcript":"I want to sync my photos across both phones.",'
    '"confidence":0.91}',
}
ZENDESK = {
    "account_id": 22129848,
    "detail": {"id": "35436", "requester_id": "9873843", "status": "OPEN"},
    "event": {
        "comment": {
            "author": {"id": "9873843", "is_staff": False, "name": "Alex Kim"},
            "body": "I upgraded to the business plan; where do I export all my invoices?",
            "id": "28810001",
            "is_public": True,
        }
    },
    "id": "cbe4028c-7239-495d-b020-f22348516046",
    "subject": "zen:ticket:35436",
    "time": "2026-12-02T01:40:07.672717030Z",
    "type": "zen:event-type:ticket.comment_added",
    "zendesk_event_version": "2022-11-06",
}


def request_body(example: dict, description: str, media: str = "application/json") -> dict:
    return {
        "required": True,
        "description": description,
        "content": {media: {"schema": {"type": "object"}, "example": example}},
    }


EXAMPLES = {
    "amazon_connect": request_body(AMAZON_CONNECT, "a Contact Lens real-time segment event"),
    "genesys": request_body(GENESYS, "a transcription notification"),
    "twilio": request_body(
        TWILIO, "the callback's form fields", "application/x-www-form-urlencoded"
    ),
    "zendesk": request_body(ZENDESK, "a ticket.comment_added webhook event"),
}
