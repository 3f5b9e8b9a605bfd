"""Connectors: each contact-centre platform's native transcript event -> our utterances.

One small module per platform, each a pure function `map_event(event) -> Mapped` that
never touches the store or Flask, so the routes, the tests and a batch replay of a
platform's archive all map events the same way. `signatures` checks the platforms that
sign their webhooks. What happens to the utterances afterwards (dedupe, partial ->
final, guidance) is the utterance stream's job, identical for every platform.

Identifier rule (interaction id; utterance id, which a partial and its final share). The
desk opens the interaction under the same id:
- Amazon Connect (Contact Lens real-time segments): interaction `ContactId`; utterance
  `Transcript.Id`, and a partial `Utterance` uses its `TranscriptId`.
- Genesys Cloud (`v2.conversations.{id}.transcription`): `conversationId`; `utteranceId`.
- Twilio (real-time transcription callback): `CallSid`; `TranscriptionSid-SequenceId`
  (finals only).
- Zendesk (`ticket.comment_added`): `zendesk-<ticket id>`; `zendesk-comment-<comment id>`.
Connect, Genesys and Twilio ids are globally unique (UUIDs, SIDs) and are what the agent's
softphone already shows, so they are used as they are; Zendesk ticket ids are small
integers that could collide with another system's, hence the prefix.
"""
