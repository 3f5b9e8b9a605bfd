/* The agent desk: the conversation in, guidance out, through the public /v1 API only.

   Each line goes out as an utterance (POST /v1/interactions/{id}/utterances, debounced,
   so a burst of lines is one batch); a new customer line answers with new guidance, and
   guidance made elsewhere (a platform connector posting the same call's words) arrives
   through the long-poll GET /v1/interactions/{id}/guidance (static/desk_stream.js).
   POST /v1/assist opens the contact (who the customer is, channel, language) and is asked
   again only when what the agent knows changes (the form, the "resolved" toggle). An
   answer older than the one on screen is dropped (by the server's `sequence`). The agent
   uses a card or dismisses it with a reason and records the end-of-contact survey
   (desk_outcome.js); desk_view.js draws the answer. The interaction id is kept in the URL
   (?interaction=…): a reload fetches the contact back (GET /v1/interactions/{id}) instead
   of losing it.

   Contact-centre platforms drive the same page through window.ValueAssistDesk:
     startContact({interaction_id?, channel?, language?, contact_reason?, customer?})
     setCustomer({customer_id, days_since_purchase, persona, plan_tier, products_owned,
                  feature_adoption, prior_contacts_90d, clv, switching_effort})
     setContext({channel?, language?, contact_reason?, customer_sentiment?, agent_id?})
     addLine("customer" | "agent", text)
     refresh()  -> Promise of the answer (or null)
     state()    -> a copy of the interaction id, lines and last answer
   and may listen for the "valueassist:answer" event on document. */
(function () {
  "use strict";

  const DEBOUNCE_MS = 400;
  const SPEAKERS = ["customer", "agent"];
  // Lines are sent with an English label; features/text.py drops the agent's lines.
  const PREFIX = { customer: "Customer: ", agent: "Agent: ", system: "System: ", bot: "Bot: " };
  const PASTED_LABEL = {
    customer: /^\s*(customer|caller|お客様|お客さま|顧客)\s*[:：]\s*/i,
    agent: /^\s*(agent|operator|オペレーター|オペレータ|担当者|担当)\s*[:：]\s*/i,
  };
  const CUSTOMER_FIELDS = [
    "customer_id", "days_since_purchase", "persona", "plan_tier", "products_owned",
    "feature_adoption", "prior_contacts_90d", "clv", "switching_effort",
  ];
  const NUMBER_FIELDS = new Set([
    "days_since_purchase", "products_owned", "feature_adoption", "prior_contacts_90d", "clv",
  ]);
  const CONTEXT_FIELDS = ["channel", "language", "contact_reason"];
  const URL_KEY = "interaction";
  const LINE_LABEL = /^(Customer|Agent|System|Bot): /; // the stored transcript's labels
  const EXTRA_FIELDS = ["customer_sentiment", "agent_id"];

  const $ = (id) => document.getElementById(id);
  const texts = JSON.parse($("desk-texts").textContent);
  const el = {
    desk: document.querySelector(".desk"), status: $("desk-status"),
    details: $("contact-details"), contact: $("contact-form"), summary: $("customer-summary"),
    lines: $("transcript"), linesEmpty: $("transcript-empty"), lineForm: $("line-form"),
    speaker: $("f-speaker"), line: $("f-line"),
    resolved: $("f-resolved-now"), resolvedNote: $("resolved-note"),
    cards: $("cards"), cardsNote: $("cards-note"), whyNot: $("why-not"), whyNotBox: $("why-not-box"),
    busy: [$("guidance"), $("openness-panel"), $("route-panel")],
    meter: $("openness-meter"), value: $("openness-value"), band: $("openness-band"),
    reasons: $("reasons"), reasonsHeading: $("reasons-heading"), route: $("route"),
    model: $("model-ref"),
    outcome: $("outcome-form"), outcomeResult: $("outcome-result"),
  };

  let lang = texts[document.documentElement.lang] ? document.documentElement.lang : "en";
  let s = null; // the current contact's state; see newState()

  function t(key) { return texts[lang][key] || texts.en[key] || key; }

  function newState(interactionId) {
    return {
      interactionId: interactionId || randomId(), startedAt: Date.now(), lines: [],
      extra: {}, answer: null, shownTop: null, changedFrom: null, usedCardId: null,
      verdicts: {}, resolvedByAgent: null, moreOpen: false,
      sent: 0, applied: 0, answers: 0, timer: null,
      // the live link: lines not yet posted, whether /v1/assist opened the contact,
      // the newest answer's sequence on screen, the context changed since the last ask
      link: null, unsent: [], opened: false, shownSeq: 0, lastOffset: 0, contextDirty: false,
      status: { state: "idle", key: "desk_status_idle", detail: "" },
    };
  }

  function randomId(prefix) {
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    return (prefix || "desk-") + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function node(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text; // never innerHTML: text is data
    return made;
  }

  function field(name) { return el.contact.elements.namedItem(name); }

  // The view (desk_view.js) and the outcomes (desk_outcome.js) read the same state.
  const d = { el: el, t: t, node: node, field: field, customerFromForm: customerFromForm,
    texts: texts, actions: {}, get s() { return s; }, get lang() { return lang; } };
  const view = DeskView.create(d);
  const { renderAnswer, renderCards, renderResolved, setStatus, renderStatus, setBusy,
    showRequestError, clearErrors, showSignedOut, lineItem, renderSummary } = view;
  const outcome = DeskOutcome.create(d, view);
  d.actions.use = outcome.markUsed;
  d.actions.dismiss = outcome.dismissCard;

  /* ---- the request ------------------------------------------------------------- */

  function customerFromForm() {
    const customer = {};
    for (const name of CUSTOMER_FIELDS) {
      const raw = field("customer." + name).value.trim();
      if (raw === "") continue; // unknown here: the CRM profile (or nothing) stands in
      customer[name] = NUMBER_FIELDS.has(name) && !isNaN(raw) ? Number(raw) : raw;
    }
    return customer;
  }

  function assistRequest() {
    const body = {
      interaction_id: s.interactionId,
      customer: customerFromForm(),
      channel: field("channel").value,
      language: field("language").value,
      transcript: s.lines.map((l) => PREFIX[l.speaker] + l.text),
      elapsed_seconds: Math.round((Date.now() - s.startedAt) / 1000),
    };
    if (field("contact_reason").value) body.contact_reason = field("contact_reason").value;
    if (s.resolvedByAgent !== null) body.issue_resolved = s.resolvedByAgent;
    return Object.assign(body, s.extra);
  }

  /** What the agent knows changed: ask /v1/assist again once the lines are posted. */
  function scheduleGuidance() {
    s.contextDirty = true;
    scheduleFlush();
  }

  function scheduleFlush() {
    clearTimeout(s.timer);
    s.timer = setTimeout(flushLines, DEBOUNCE_MS);
  }

  /** Post the lines typed since the last batch; a new customer line answers with guidance
      (200), or 204 while the contact is not opened yet: then /v1/assist opens it. */
  async function flushLines() {
    clearTimeout(s.timer);
    const contact = s;
    const batch = contact.unsent.splice(0);
    const customerSpoke = batch.some((l) => l.speaker === "customer");
    let ask = contact.contextDirty;
    if (batch.length) {
      if (customerSpoke) {
        setBusy(true);
        setStatus("loading", "desk_status_loading");
      }
      const result = await contact.link.send(batch);
      if (contact !== s) return null;
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
    clearTimeout(s.timer);
    if (!s.lines.some((l) => l.speaker === "customer")) return null;
    const contact = s;
    contact.contextDirty = false;
    const seq = ++contact.sent;
    setBusy(true);
    setStatus("loading", "desk_status_loading");
    const result = await VA.api("POST", "/v1/assist", assistRequest());
    if (contact !== s || seq <= contact.applied) return null; // stale: a newer answer is shown
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
    const contact = s;
    if (!applyAnswer(answer)) return;
    const stored = await VA.api("GET", "/v1/interactions/" + encodeURIComponent(contact.interactionId));
    if (contact !== s || !stored.ok) return;
    const lines = storedLines(stored.body.transcript);
    if (lines.length <= contact.lines.length) return;
    contact.lines = lines;
    showLines();
  }

  function linkStopped(result) {
    if (result.status === 401) showSignedOut();
  }

  /* ---- showing an answer ------------------------------------------------------- */

  /** Show `answer` unless the screen already has a newer one; true when shown. `own`: the
      answer to this page's latest /v1/assist request (requestGuidance dropped older ones). */
  function applyAnswer(answer, own) {
    const sequence = typeof answer.sequence === "number" ? answer.sequence : null;
    if (!own && (sequence === null || sequence <= s.shownSeq)) return false;
    if (sequence !== null) {
      s.shownSeq = Math.max(s.shownSeq, sequence);
      s.link.seen(sequence);
    }
    const top = answer.cards[0] || null;
    s.changedFrom = s.shownTop && top && s.shownTop.card_id !== top.card_id ? s.shownTop : null;
    s.shownTop = top;
    s.answer = answer;
    s.answers += 1;
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
      const changed = s.changedFrom ? t("desk_top_changed") + ": " + top.title : "";
      setStatus("ready", "desk_status_ready", changed);
    }
    renderResolved();
    renderAnswer();
    el.desk.dataset.answers = String(s.answers);
    document.dispatchEvent(new CustomEvent("valueassist:answer", { detail: answer }));
    // The stream reads "resolved" from the words; the agent's own toggle needs /v1/assist.
    const heard = answer.conversation;
    if (s.resolvedByAgent !== null && heard && heard.inferred &&
        heard.issue_resolved !== s.resolvedByAgent) scheduleGuidance();
    return true;
  }

  /* ---- the conversation and the contact ---------------------------------------- */

  function addLine(speaker, text) {
    if (!SPEAKERS.includes(speaker)) {
      throw new TypeError('speaker must be "customer" or "agent", got ' + JSON.stringify(speaker));
    }
    if (typeof text !== "string" || !text.trim()) {
      throw new TypeError("text must be a non-empty string");
    }
    // Epoch milliseconds, strictly increasing: the stream orders the transcript by them.
    s.lastOffset = Math.max(Date.now(), s.lastOffset + 1);
    const line = { id: randomId("u-"), speaker: speaker, text: text.trim(), offset: s.lastOffset };
    s.lines.push(line);
    s.unsent.push(line);
    el.lines.append(lineItem(line));
    el.lines.scrollTop = el.lines.scrollHeight;
    el.linesEmpty.hidden = true;
    scheduleFlush();
  }

  function storedLines(transcript) {
    return (transcript || []).map((stored) => {
      const label = stored.match(LINE_LABEL);
      const speaker = label ? label[1].toLowerCase() : "customer";
      return { speaker: speaker, text: label ? stored.slice(label[0].length) : stored };
    });
  }

  /** Redraw the transcript; the next speaker is the other side of the last line. */
  function showLines() {
    el.lines.replaceChildren(...s.lines.map(lineItem));
    el.lines.scrollTop = el.lines.scrollHeight;
    el.linesEmpty.hidden = s.lines.length > 0;
    const last = s.lines[s.lines.length - 1];
    if (last) el.speaker.value = last.speaker === "customer" ? "agent" : "customer";
  }

  function addTypedLines(event) {
    event.preventDefault();
    let last = null;
    for (const raw of el.line.value.split(/\r?\n/)) {
      let speaker = el.speaker.value;
      let text = raw;
      for (const who of SPEAKERS) {
        const label = raw.match(PASTED_LABEL[who]);
        if (label) { speaker = who; text = raw.slice(label[0].length); }
      }
      if (text.trim()) { addLine(speaker, text); last = speaker; }
    }
    // Turns alternate: after the customer speaks the agent usually answers, and back.
    if (last) el.speaker.value = last === "customer" ? "agent" : "customer";
    el.line.value = "";
    el.line.focus();
  }

  function setCustomer(snapshot) {
    if (!snapshot || typeof snapshot !== "object") {
      throw new TypeError("snapshot must be an object");
    }
    for (const name of CUSTOMER_FIELDS) { // other keys (names, e-mail…) are never read
      if (snapshot[name] !== undefined && snapshot[name] !== null) {
        field("customer." + name).value = String(snapshot[name]);
      }
    }
    el.details.open = false;
    renderSummary();
    if (s.lines.length) scheduleGuidance();
  }

  function setContext(values) {
    values = values || {};
    for (const name of CONTEXT_FIELDS) {
      if (values[name] !== undefined) field(name).value = values[name] || "";
    }
    for (const name of EXTRA_FIELDS) {
      if (values[name] === null) delete s.extra[name];
      else if (values[name] !== undefined) s.extra[name] = values[name];
    }
    if (s.lines.length) scheduleGuidance();
  }

  function startContact(options) {
    options = options || {};
    if (s) {
      clearTimeout(s.timer);
      s.link.stop();
    }
    s = newState(options.interaction_id);
    s.link = DeskStream.create(s.interactionId, { onAnswer: streamAnswer, onStopped: linkStopped });
    for (const name of CUSTOMER_FIELDS) field("customer." + name).value = "";
    field("contact_reason").value = "";
    field("interaction_id").value = s.interactionId;
    el.outcome.reset();
    el.outcomeResult.textContent = "";
    el.lines.replaceChildren();
    el.linesEmpty.hidden = false;
    el.speaker.value = "customer";
    el.details.open = !options.customer;
    rememberInUrl(s.interactionId);
    delete el.desk.dataset.answers;
    clearErrors();
    setBusy(false);
    setContext(options);
    if (options.customer) setCustomer(options.customer);
    renderSummary();
    renderStatus();
    renderResolved();
    renderAnswer();
    return s.interactionId;
  }

  function rememberInUrl(interactionId) {
    const url = new URL(location.href);
    url.searchParams.set(URL_KEY, interactionId);
    history.replaceState(null, "", url);
  }

  /** After a reload: the contact, its customer and its lines come back from the store. */
  async function resumeContact(interactionId) {
    const result = await VA.api("GET", "/v1/interactions/" + encodeURIComponent(interactionId));
    if (!result.ok) {
      startContact();
      if (result.status === 401) showSignedOut();
      return;
    }
    const stored = result.body;
    startContact({
      interaction_id: stored.interaction_id, channel: stored.channel,
      language: stored.language, customer: stored.customer,
    });
    s.lines = storedLines(stored.transcript);
    s.lastOffset = Date.now();
    showLines();
    s.opened = stored.last_sequence !== null && stored.last_sequence !== undefined;
    // The guidance the stream made last, as stored; else ask once (a /v1/assist-only contact).
    const latest = s.opened ? await s.link.latest() : null;
    if (latest && latest.sequence >= stored.last_sequence) {
      applyAnswer(latest);
      s.link.poll();
    } else {
      await requestGuidance();
    }
  }

  /* ---- language: relabel in place, the conversation stays ----------------------- */

  function setLanguage(next) {
    if (!texts[next]) return;
    lang = next;
    document.documentElement.lang = next;
    for (const labelled of document.querySelectorAll("[data-t]")) {
      labelled.textContent = t(labelled.dataset.t);
    }
    document.title = t("desk_title") + " · " + t("app_name");
    el.lines.replaceChildren(...s.lines.map(lineItem));
    renderSummary();
    renderStatus();
    renderResolved();
    renderAnswer();
  }

  /* ---- wiring ------------------------------------------------------------------ */

  el.lineForm.addEventListener("submit", addTypedLines);
  el.line.addEventListener("keydown", (event) => {
    // Enter adds the line, but not while an IME (Japanese input) is composing.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      addTypedLines(event);
    }
  });
  el.contact.addEventListener("change", () => {
    renderSummary();
    if (s.lines.length) scheduleGuidance();
  });
  $("new-contact").addEventListener("click", () => {
    startContact();
    field("customer.customer_id").focus();
  });
  el.outcome.addEventListener("submit", outcome.recordOutcome);
  window.addEventListener("pagehide", () => s.link.stop()); // a reload picks the wait up again
  el.resolved.addEventListener("change", () => {
    s.resolvedByAgent = el.resolved.checked;
    renderResolved();
    if (s.lines.length) scheduleGuidance();
  });
  document.addEventListener("va:language", (event) => {
    event.preventDefault();
    setLanguage(event.detail);
  });

  const resumed = new URL(location.href).searchParams.get(URL_KEY);
  if (resumed) resumeContact(resumed);
  else startContact();

  window.ValueAssistDesk = {
    startContact: startContact,
    setCustomer: setCustomer,
    setContext: setContext,
    addLine: addLine,
    refresh: requestGuidance,
    state: () => JSON.parse(JSON.stringify({
      interaction_id: s.interactionId, lines: s.lines, answer: s.answer, verdicts: s.verdicts,
    })),
  };
})();
