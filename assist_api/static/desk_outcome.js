/* The agent desk's outcomes: a card used or dismissed with a reason (PUT /v1/decisions/…/
   cards/…/feedback; a used card is also the outcome's card_id_used) and the end-of-contact
   survey (POST /v1/outcomes), for the contact desk.js holds.

     const outcome = DeskOutcome.create(d, view)   -> {markUsed, dismissCard, recordOutcome} */
(function () {
  "use strict";

  const OUTCOME_FIELDS = { ves_confidence: Number, ves_ability: Number, csat: Number,
    resolved: (v) => v === "true" };

  function create(d, view) {
    const { el, t } = d;
    const { setStatus, showSignedOut, renderCards } = view;

    /* ---- outcomes ---------------------------------------------------------------- */

    async function postOutcome(fields) {
      const result = await VA.api("POST", "/v1/outcomes",
        Object.assign({ interaction_id: d.s.interactionId }, fields));
      if (result.status === 401) showSignedOut();
      return result;
    }

    function outcomeError(result) {
      if (result.status === 404) return t("desk_error_unknown_contact");
      if (result.status === 0) return t("desk_error_network");
      return VA.errorText(result);
    }

    function feedbackPath(card) {
      return "/v1/decisions/" + encodeURIComponent(d.s.answer.decision_id) + "/cards/" +
        encodeURIComponent(card.card_id) + "/feedback";
    }

    function refocus(card, action) {
      const selector = '[data-card-id="' + CSS.escape(card.card_id) + '"] [data-action="' + action + '"]';
      const button = el.cards.querySelector(selector);
      if (button) button.focus();
    }

    async function markUsed(card) {
      const result = await postOutcome({ card_id_used: card.card_id });
      if (!result.ok) return setStatus("error", "", outcomeError(result));
      d.s.usedCardId = card.card_id;
      d.s.verdicts[card.card_id] = { verdict: "accepted", reason: null };
      const verdict = await VA.api("PUT", feedbackPath(card), { verdict: "accepted" });
      if (!verdict.ok) setStatus("error", "", VA.errorText(verdict));
      renderCards(d.s.answer);
      refocus(card, "use");
    }

    async function dismissCard(card, reason) {
      const result = await VA.api("PUT", feedbackPath(card), { verdict: "dismissed", reason: reason });
      if (result.status === 401) return showSignedOut();
      if (!result.ok) return setStatus("error", "", VA.errorText(result));
      d.s.verdicts[card.card_id] = { verdict: "dismissed", reason: reason };
      if (d.s.usedCardId === card.card_id) d.s.usedCardId = null;
      renderCards(d.s.answer);
      refocus(card, "dismiss");
    }

    async function recordOutcome(event) {
      event.preventDefault();
      const fields = {};
      for (const [name, convert] of Object.entries(OUTCOME_FIELDS)) {
        const value = el.outcome.elements.namedItem(name).value;
        if (value !== "") fields[name] = convert(value);
      }
      el.outcomeResult.className = "status";
      if (!Object.keys(fields).length) {
        el.outcomeResult.className = "error";
        el.outcomeResult.textContent = t("desk_error_nothing_chosen");
        return;
      }
      const result = await postOutcome(fields);
      if (!result.ok) {
        el.outcomeResult.className = "error";
        el.outcomeResult.textContent = outcomeError(result);
        return;
      }
      const success = result.body.outcome.ve_success;
      el.outcomeResult.textContent = t("desk_outcome_saved") + (success === null ? "" :
        " " + t(success ? "desk_ve_success" : "desk_ve_not_success"));
    }

    return { markUsed, dismissCard, recordOutcome };
  }

  window.DeskOutcome = { create: create };
})();
