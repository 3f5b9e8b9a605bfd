/* The agent desk's guidance: the lines go out as utterances and the answers come back, for
   the contact desk.js holds. A batch of lines (one per burst) is posted to the utterance
   stream; a new customer line answers with new guidance, or 204 while the contact is not
   opened yet, and then POST /v1/assist opens it (who the customer is, channel, language).
   /v1/assist is asked again only when what the agent knows changes (the form, the
   "resolved" toggle). The long-poll's answers (desk_stream.js) come in through
   streamAnswer. An answer is shown only when newer than the one on screen.

     const guidance = DeskGuidance.create(d, view)
       -> {scheduleGuidance, scheduleFlush, requestGuidance, streamAnswer, linkStopped,
           applyAnswer} */
(function () {
  "use strict";

  const DEBOUNCE_MS = 400;
  // Lines are sent with an English label; features/text.py drops the agent's lines.
  const PREFIX = { customer: "Customer: ", agent: "Agent: ", system: "System: ", bot: "Bot: " };

  function create(d, view) {
    const { el, t, field, customerFromForm, storedLines, showLines } = d;
    const { renderAnswer, renderResolved, setStatus, setBusy, showRequestError, clearErrors,
      showSignedOut } = view;

    function assistRequest() {
      const body = {
        interaction_id: d.s.interactionId,
        customer: customerFromForm(),
        channel: field("channel").value,
        language: field("language").value,
        transcript: d.s.lines.map((l) => PREFIX[l.speaker] + l.text),
        elapsed_seconds: Math.round((Date.now() - d.s.startedAt) / 1000),
      };
      if (field("contact_reason").value) body.contact_reason = field("contact_reason").value;
      if (d.s.resolvedByAgent !== null) body.issue_resolved = d.s.resolvedByAgent;
      return Object.assign(body, d.s.extra);
    }

    /** What the agent knows changed: ask /v1/assist again once the lines are posted. */
    function scheduleGuidance() {
      d.s.contextDirty = true;
      scheduleFlush();
    }

    function scheduleFlush() {
      clearTimeout(d.s.timer);
      d.s.timer = setTimeout(flushLines, DEBOUNCE_MS);
    }

    /** Post the lines typed since the last batch; a new customer line answers with guidance
        (200), or 204 while the contact is not opened yet: then /v1/assist opens it. */
    async function flushLines() {
      clearTimeout(d.s.timer);
      const contact = d.s;
      const batch = contact.unsent.splice(0);
      const customerSpoke = batch.some((l) => l.speaker === "customer");
      let ask = contact.contextDirty;
      if (batch.length) {
        if (customerSpoke) {
          setBusy(true);
          setStatus("loading", "desk_status_loading");
        }
        const result = await contact.link.send(batch);
        if (contact !== d.s) return null;
        if (!result.ok) {
          // kept for the next try when the service was out of reach; a refusal is final
          if (result.status === 0 || result.status >= 500) contact.unsent.unshift(...batch);
          setBusy(false);
          showRequestError(result);
          return null;
        }
        if (result.status === 200) {
          applyAnswer(result.body);
          setBusy(false);
        } else if (customerSpoke) {
          ask = true; // 204: the contact is not opened yet, so no guidance was made
        }
      }
      return ask ? requestGuidance() : null;
    }

    async function requestGuidance() {
      clearTimeout(d.s.timer);
      if (!d.s.lines.some((l) => l.speaker === "customer")) return null;
      const contact = d.s;
      contact.contextDirty = false;
      const seq = ++contact.sent;
      setBusy(true);
      setStatus("loading", "desk_status_loading");
      const result = await VA.api("POST", "/v1/assist", assistRequest());
      if (contact !== d.s || seq <= contact.applied) return null; // stale: a newer answer is shown
      contact.applied = seq;
      if (seq === contact.sent) setBusy(false);
      if (!result.ok) {
        showRequestError(result);
        return null;
      }
      contact.opened = true; // from now on the stream's words make the guidance
      applyAnswer(result.body, true);
      contact.link.poll();
      return result.body;
    }

    /** Guidance from the long-poll: maybe made from words this page has not seen (a
        platform's connector), so the transcript is fetched again when it grew. */
    async function streamAnswer(answer) {
      const contact = d.s;
      if (!applyAnswer(answer)) return;
      const stored = await VA.api("GET", "/v1/interactions/" + encodeURIComponent(contact.interactionId));
      if (contact !== d.s || !stored.ok) return;
      const lines = storedLines(stored.body.transcript);
      if (lines.length <= contact.lines.length) return;
      contact.lines = lines;
      showLines();
    }

    function linkStopped(result) {
      if (result.status === 401) showSignedOut();
    }

    /** Show `answer` unless the screen already has a newer one; true when shown. `own`: the
        answer to this page's latest /v1/assist request (requestGuidance dropped older ones). */
    function applyAnswer(answer, own) {
      const sequence = typeof answer.sequence === "number" ? answer.sequence : null;
      if (!own && (sequence === null || sequence <= d.s.shownSeq)) return false;
      if (sequence !== null) {
        d.s.shownSeq = Math.max(d.s.shownSeq, sequence);
        d.s.link.seen(sequence);
      }
      const top = answer.cards[0] || null;
      d.s.changedFrom = d.s.shownTop && top && d.s.shownTop.card_id !== top.card_id ? d.s.shownTop : null;
      d.s.shownTop = top;
      d.s.answer = answer;
      d.s.answers += 1;
      clearErrors();
      if (answer.holdout) setStatus("holdout", "desk_status_holdout");
      else if (answer.degraded.includes("model_unavailable")) {
        setStatus("degraded", "desk_status_model_unavailable");
      } else if (answer.degraded.length === 1 && answer.degraded[0] === "customer_profile_missing") {
        setStatus("degraded", "desk_status_profile_missing");
      } else if (answer.degraded.length) {
        setStatus("degraded", "desk_status_degraded",
          answer.degraded.map((code) => t("desk_degraded_" + code)).join("; "));
      } else {
        const changed = d.s.changedFrom ? t("desk_top_changed") + ": " + top.title : "";
        setStatus("ready", "desk_status_ready", changed);
      }
      renderResolved();
      renderAnswer();
      el.desk.dataset.answers = String(d.s.answers);
      document.dispatchEvent(new CustomEvent("valueassist:answer", { detail: answer }));
      // The stream reads "resolved" from the words; the agent's own toggle needs /v1/assist.
      const heard = answer.conversation;
      if (d.s.resolvedByAgent !== null && heard && heard.inferred &&
          heard.issue_resolved !== d.s.resolvedByAgent) scheduleGuidance();
      return true;
    }

    return { scheduleGuidance, scheduleFlush, requestGuidance, streamAnswer, linkStopped,
      applyAnswer };
  }

  window.DeskGuidance = { create: create };
})();
