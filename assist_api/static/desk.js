/* The agent desk: the conversation in, guidance out, through the public /v1 API only.

   This module holds the contact's state, the lines and the page's wiring; the lines go
   out as utterances and guidance comes back through desk_guidance.js (utterance stream,
   /v1/assist to open the contact) and desk_stream.js (the long-poll); desk_view.js draws
   it; desk_outcome.js records card verdicts and the survey. The interaction id is in the
   URL (?interaction=…): a reload fetches the contact back (GET /v1/interactions/{id}).

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

  const SPEAKERS = ["customer", "agent"];
  const PASTED_LABEL = {
    customer: /^\s*(customer|caller|お客様|お客さま|顧客)\s*[:：]\s*/i,
    agent: /^\s*(agent|operator|オペレーター|オペレータ|担当者|担当)\s*[:：]\s*/i,
  };
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

  // The view, the outcomes and the guidance (desk_*.js) share this page's state.
  const d = { el: el, t: t, node: node, field: field, texts: texts, actions: {},
    storedLines: storedLines, showLines: showLines,
    get s() { return s; }, get lang() { return lang; } };
  const view = DeskView.create(d);
  const CUSTOMER_FIELDS = DeskView.CUSTOMER_FIELDS;
  const { renderAnswer, renderResolved, renderStatus, setBusy, clearErrors, showSignedOut,
    lineItem, renderSummary } = view;
  d.customerFromForm = view.customerFromForm;
  const outcome = DeskOutcome.create(d, view);
  d.actions.use = outcome.markUsed;
  d.actions.dismiss = outcome.dismissCard;
  const { scheduleGuidance, scheduleFlush, requestGuidance, streamAnswer, linkStopped,
    applyAnswer } = DeskGuidance.create(d, view);


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
