"""Zendesk `ticket.comment_added` webhooks -> utterances.

A Zendesk webhook subscribed to the event `zen:event-type:ticket.comment_added` posts
one JSON event per comment, signed (`X-Zendesk-Webhook-Signature`, checked by the
route). Zendesk gives no ordering guarantee, so each comment's `time` orders it (epoch
milliseconds) and its id makes a retry harmless. The event's `detail` is the ticket
(`id`, `requester_id`, ...); `event.comment` is the comment: `id`, `body`, `is_public`
and `author` (`id`, `is_staff`, `name`). Staff authors are agents, everyone else is
the customer; private comments are internal notes between agents and are not part of
the conversation with the customer, so they are skipped. Comments are whole messages:
always final.
"""

from assist_api.connectors.base import EventInvalid, Mapped, epoch_ms, need, text, utterance

EVENT_TYPE = "zen:event-type:ticket.comment_added"


def map_event(event: dict) -> Mapped:
    kind = need(event, "type", str, "")
    if kind != EVENT_TYPE:
        raise EventInvalid("type", f"must be {EVENT_TYPE}")
    ticket = need(event, "detail", dict, "")
    ticket_id = need(ticket, "id", (str, int), "detail")
    interaction_id = f"zendesk-{ticket_id}"
    comment = need(need(event, "event", dict, ""), "comment", dict, "event")
    public = need(comment, "is_public", bool, "event.comment")
    author = need(comment, "author", dict, "event.comment")
    staff = need(author, "is_staff", bool, "event.comment.author")
    comment_id = need(comment, "id", (str, int), "event.comment")
    body = text(comment, "body", "event.comment")
    when = epoch_ms(need(event, "time", str, ""), "time")
    if not public:
        return Mapped(interaction_id, [])
    return Mapped(
        interaction_id,
        [
            utterance(
                f"zendesk-comment-{comment_id}",
                "agent" if staff else "customer",
                body,
                is_final=True,
                offset_ms=when,
            )
        ],
    )
