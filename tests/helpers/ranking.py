"""The exploit ranking the desk shows when nothing explores: every eligible card, best
first, rendered, up to `limit` (the pipeline's own two steps, without the policy)."""

from assist_api.services.playbooks.ranking import eligible_cards, render_ranked


def ranked_cards(cards, context, probabilities, *, limit, recent_views=None, held_back=None):
    eligible = eligible_cards(
        cards, context, probabilities, recent_views=recent_views, held_back=held_back
    )
    return render_ranked(eligible, context, limit)
