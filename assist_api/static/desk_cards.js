/* The agent desk's cards: what to say, what to listen for, what to avoid, and the agent's
   verdict on each (use it, or dismiss it with a reason). The top card is shown whole; the
   others fold under "More cards" so the top card fits a 1280×720 screen. Text is data:
   only ever set with textContent. Used by desk.js as window.DeskCards.render(…). */
(function () {
  "use strict";

  const DISMISS_REASONS = ["wrong_moment", "not_relevant", "customer_upset", "already_covered"];

  function node(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  function list(className, heading, items) {
    const box = node("div", className);
    box.append(node("h4", "", heading));
    const ul = node("ul");
    for (const item of items) ul.append(node("li", "", item));
    box.append(ul);
    return box;
  }

  function actions(card, view) {
    const t = view.t;
    const bar = node("div", "card-actions");
    const verdict = view.verdicts[card.card_id];
    if (verdict && verdict.verdict === "dismissed") {
      bar.append(node("span", "verdict",
        t("desk_dismissed") + ": " + t("desk_dismiss_" + verdict.reason)));
    }
    const used = view.usedCardId === card.card_id;
    const use = node("button", "secondary", t(used ? "desk_used" : "desk_mark_used"));
    use.type = "button";
    use.dataset.action = "use";
    use.setAttribute("aria-pressed", String(used));
    use.setAttribute("aria-label", t("desk_mark_used") + ": " + card.title);
    use.addEventListener("click", () => view.onUse(card));
    const dismiss = node("button", "secondary", t("desk_dismiss"));
    dismiss.type = "button";
    dismiss.dataset.action = "dismiss";
    dismiss.setAttribute("aria-expanded", "false");
    dismiss.setAttribute("aria-label", t("desk_dismiss") + ": " + card.title);
    bar.append(dismiss, use);
    const reasons = node("fieldset", "dismiss-reasons");
    reasons.hidden = true;
    reasons.append(node("legend", "", t("desk_dismiss_why")));
    for (const reason of DISMISS_REASONS) {
      const choice = node("button", "secondary", t("desk_dismiss_" + reason));
      choice.type = "button";
      choice.dataset.reason = reason;
      choice.addEventListener("click", () => view.onDismiss(card, reason));
      reasons.append(choice);
    }
    dismiss.addEventListener("click", () => {
      reasons.hidden = !reasons.hidden;
      dismiss.setAttribute("aria-expanded", String(!reasons.hidden));
      if (!reasons.hidden) reasons.querySelector("button").focus();
    });
    return [bar, reasons];
  }

  function cardItem(card, isTop, view) {
    const t = view.t;
    const item = node("li", isTop ? "top" : "");
    item.dataset.cardId = card.card_id;
    const verdict = view.verdicts[card.card_id];
    if (verdict && verdict.verdict === "dismissed") item.classList.add("dismissed");
    if (isTop && view.changedFrom) {
      item.classList.add("changed");
      item.append(node("span", "changed-note",
        t("desk_top_changed") + " (" + t("desk_replaces") + ": " + view.changedFrom.title + ")"));
    }
    const head = node("div", "card-head");
    head.append(node("h3", "", card.title),
      node("span", "card-activity", t("desk_activity_" + card.activity)));
    if (card.score !== null && card.score !== undefined) {
      head.append(node("span", "card-score", t("desk_fit") + " " + Math.round(card.score * 100) + "%"));
    }
    item.append(head, node("p", "card-body", card.body));
    const talk = node("ol", "talk");
    for (const line of card.talk_track) talk.append(node("li", "", line));
    item.append(talk);
    const cues = node("div", "cues");
    if (card.evidence && card.evidence.length) {
      cues.append(list("listen", t("desk_listen_for"), card.evidence));
    }
    if (card.avoid && card.avoid.length) cues.append(list("avoid", t("desk_avoid"), card.avoid));
    if (cues.childElementCount) item.append(cues);
    item.append(...actions(card, view));
    return item;
  }

  /** Render `answer.cards` into `container` (an <ol>); view = {t, verdicts, usedCardId,
      changedFrom, onUse(card), onDismiss(card, reason)}. */
  function render(container, cards, view) {
    container.replaceChildren();
    if (!cards.length) return;
    container.append(cardItem(cards[0], true, view));
    if (cards.length < 2) return;
    const more = node("li", "more-cards-item");
    const fold = node("details", "more-cards");
    fold.append(node("summary", "", view.t("desk_more_cards").replace("{n}", cards.length - 1)));
    const rest = node("ol", "cards");
    cards.slice(1).forEach((card) => rest.append(cardItem(card, false, view)));
    fold.append(rest);
    if (view.moreOpen) fold.open = true;
    fold.addEventListener("toggle", () => { view.onFold(fold.open); });
    more.append(fold);
    container.append(more);
  }

  window.DeskCards = { render: render, DISMISS_REASONS: DISMISS_REASONS };
})();
