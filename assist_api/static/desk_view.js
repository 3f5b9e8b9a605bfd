/* The agent desk's view: an answer, the status line and errors, the transcript's lines and
   the customer summary drawn from the desk's state (desk.js owns the state and the calls).
   Everything is set with textContent, never innerHTML: the answer's text is data.

     const view = DeskView.create(d)   d: {el, t, node, field, texts, actions: {use, dismiss},
                                           get s, get lang} */
(function () {
  "use strict";

  const CUSTOMER_FIELDS = [
    "customer_id", "days_since_purchase", "persona", "plan_tier", "products_owned",
    "feature_adoption", "prior_contacts_90d", "clv", "switching_effort",
  ];
  const NUMBER_FIELDS = new Set([
    "days_since_purchase", "products_owned", "feature_adoption", "prior_contacts_90d", "clv",
  ]);

  function create(d) {
    const { el, t, node, field } = d;

    /** The customer fields typed (or pushed by the platform) on the form. */
    function customerFromForm() {
      const customer = {};
      for (const name of CUSTOMER_FIELDS) {
        const raw = field("customer." + name).value.trim();
        if (raw === "") continue; // unknown here: the CRM profile (or nothing) stands in
        customer[name] = NUMBER_FIELDS.has(name) && !isNaN(raw) ? Number(raw) : raw;
      }
      return customer;
    }

    function renderAnswer() {
      const answer = d.s.answer;
      renderOpenness(answer && !answer.holdout ? answer.openness : null);
      el.band.hidden = !answer;
      renderCards(answer);
      el.route.textContent = "—";
      el.model.textContent = "—";
      if (!answer) return;
      const route = answer.route;
      // The route's reason is one plain sentence in the conversation's language.
      el.route.replaceChildren(node("strong", "", route.pool), " — " + route.reason);
      if (route.fallback) el.route.append(" (" + t("desk_route_fallback") + ")");
      const model = answer.model;
      if (model.version) el.model.textContent = model.name + " v" + model.version;
    }

    function renderOpenness(openness) {
      el.reasons.replaceChildren();
      const scored = openness && openness.score !== null;
      el.meter.hidden = el.value.hidden = el.reasonsHeading.hidden = !scored;
      el.value.textContent = scored ? Math.round(openness.score * 100) + "%" : "";
      el.band.className = "badge" + (scored ? " " + openness.band : "");
      el.band.textContent = scored ? t("desk_band_" + openness.band) : t("desk_no_score");
      if (!scored) return;
      el.meter.value = openness.score;
      for (const reason of openness.reasons) el.reasons.append(node("li", "", reason.text));
    }

    function renderCards(answer) {
      el.cardsNote.textContent = "";
      el.whyNot.replaceChildren();
      el.whyNotBox.hidden = true;
      if (!answer) { el.cards.replaceChildren(); return; }
      if (answer.holdout) el.cardsNote.textContent = t("desk_cards_holdout");
      else if (!answer.cards.length) el.cardsNote.textContent = t("desk_no_cards");
      DeskCards.render(el.cards, answer.cards, {
        t: t, verdicts: d.s.verdicts, usedCardId: d.s.usedCardId, changedFrom: d.s.changedFrom,
        moreOpen: d.s.moreOpen, onFold: (open) => { d.s.moreOpen = open; },
        onUse: d.actions.use, onDismiss: d.actions.dismiss,
      });
      for (const missing of answer.not_offered || []) {
        const colon = d.lang === "ja" ? "：" : ": ";
        el.whyNot.append(node("li", "", t("desk_activity_" + missing.activity) + colon + missing.text));
      }
      el.whyNotBox.hidden = !el.whyNot.childElementCount;
    }

    function renderResolved() {
      const said = d.s.answer && d.s.answer.conversation;
      if (d.s.resolvedByAgent !== null) {
        el.resolved.checked = d.s.resolvedByAgent;
        el.resolvedNote.textContent = t("desk_resolved_by_agent");
      } else if (said && said.issue_resolved !== null && said.issue_resolved !== undefined) {
        el.resolved.checked = said.issue_resolved;
        el.resolvedNote.textContent = t(said.issue_resolved ? "desk_resolved_heard" : "desk_unresolved_heard");
      } else {
        el.resolved.checked = false;
        el.resolvedNote.textContent = t("desk_resolved_unknown");
      }
    }

    /* ---- states and errors ------------------------------------------------------- */

    function setStatus(state, key, detail, signIn) {
      d.s.status = { state: state, key: key, detail: detail || "", signIn: Boolean(signIn) };
      renderStatus();
    }

    function renderStatus() {
      const status = d.s.status;
      el.status.dataset.state = status.state;
      el.status.textContent = [status.key && t(status.key), status.detail].filter(Boolean).join(" ");
      if (status.signIn) {
        const link = node("a", "", t("desk_sign_in_again"));
        link.href = "/ui/login?next=/ui/desk";
        el.status.append(" ", link);
      }
    }

    function setBusy(busy) {
      for (const part of el.busy) part.setAttribute("aria-busy", String(busy));
    }

    function showRequestError(result) {
      if (result.status === 401) return showSignedOut();
      if (result.status === 0) return setStatus("error", "desk_error_network");
      const fields = result.body && result.body.error && result.body.error.details &&
        result.body.error.details.fields;
      if (result.status === 422 && fields) return showFieldErrors(fields);
      setStatus("error", "", VA.errorText(result));
    }

    function showFieldErrors(fields) {
      clearErrors();
      const named = [];
      for (const [name, messages] of Object.entries(fields)) {
        const input = field(name);
        if (input) {
          input.setAttribute("aria-invalid", "true");
          const label = el.contact.querySelector('label[for="' + input.id + '"]');
          named.push((label ? label.textContent : name) + " (" + messages.join(" ") + ")");
        } else {
          named.push(name + " (" + messages.join(" ") + ")");
        }
      }
      el.details.open = true;
      setStatus("error", "desk_error_fields", named.join("; "));
    }

    function clearErrors() {
      for (const input of el.contact.querySelectorAll('[aria-invalid="true"]')) {
        input.removeAttribute("aria-invalid");
      }
    }

    function showSignedOut() {
      setStatus("error", "desk_error_session", "", true);
    }

    function lineItem(line) {
      const item = node("li", line.speaker);
      item.append(node("span", "speaker", t("desk_speaker_" + line.speaker)), line.text);
      return item;
    }

    function labelOf(prefix, value) {
      if (value === undefined || value === "") return value;
      const key = prefix + value;
      return d.texts[d.lang][key] ? t(key) : value;
    }

    function renderSummary() {
      const c = customerFromForm();
      const parts = [c.customer_id, labelOf("desk_persona_", c.persona), labelOf("desk_plan_", c.plan_tier)];
      if (c.days_since_purchase !== undefined) {
        parts.push(t("desk_days").replace("{n}", c.days_since_purchase));
      }
      if (c.switching_effort) {
        parts.push(t("desk_switching_effort") + ": " + t("desk_effort_" + c.switching_effort));
      }
      el.summary.textContent = parts.filter((p) => p !== undefined && p !== "").join(" · ");
    }

    return { renderAnswer, renderOpenness, renderCards, renderResolved, setStatus, renderStatus,
      setBusy, showRequestError, showFieldErrors, clearErrors, showSignedOut, lineItem,
      labelOf, renderSummary, customerFromForm };
  }

  window.DeskView = { create: create, CUSTOMER_FIELDS: CUSTOMER_FIELDS };
})();
