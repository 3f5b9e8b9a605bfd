"""The customers domain: what the centre knows about a customer and a live conversation.

- `profiles`: CRM attributes kept as point-in-time versions (`as_of`), the per-worker
  cached lookup /v1/assist uses, and how a request's own fields override a profile.
- `profile_import`: `value-assist import --customers F`.
- `utterances`: a live interaction's utterance stream (partials replaced by finals,
  duplicates and reordering harmless) and the labelled transcript built from it.
- `stream`: a batch of utterances in, a new decision out when the customer said more.
- `guidance`: the latest stream answer per interaction, and the long-poll that waits for it.
"""
