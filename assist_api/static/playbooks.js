/* The playbook editor (/ui/playbooks): a searchable card list with titles, activity and
   status; a form per card (editor_form.js) with the rendered preview beside it for a
   sample that can vary every rule input; save a draft (only when valid, saying why not),
   publish, an approval queue when two-person publish is on; a history where publishes and
   rollbacks are entries of their own and changes show word by word (editor_diff.js);
   YAML as import/export. Everything goes through the public /v1/playbooks API; card text
   is only ever inserted with textContent. */
(function () {
  "use strict";
  const T = JSON.parse(document.getElementById("pb-texts").textContent);
  const VOCAB = JSON.parse(document.getElementById("pb-vocab").textContent);
  const PREVIEW_DELAY_MS = 300;
  const LANG = document.documentElement.lang === "ja" ? "ja" : "en";
  const layout = document.querySelector(".pb-layout");
  const ME = layout.dataset.me;
  const TWO_PERSON = layout.dataset.twoPerson === "true";
  const SAMPLE_INPUTS = ["pb-days", "pb-persona", "pb-plan", "pb-products", "pb-adoption",
    "pb-channel", "pb-reason", "pb-sentiment", "pb-complaint", "pb-resolved"];
  const state = { cardId: null, versions: [], latest: null, published: null, base: null,
    savedJson: "", valid: false, previewRun: 0, cards: [], isNew: false };
  let timer = null;

  const $ = (id) => document.getElementById(id);
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  const form = EditorForm.build($("pb-form"), VOCAB, T);

  function cardPath(suffix) {
    return "/v1/playbooks/" + encodeURIComponent(state.cardId) + (suffix || "");
  }
  function setStatus(message, isError) {
    $("pb-status").textContent = message;
    $("pb-status").className = isError ? "error" : "status";
  }
  const current = () => JSON.stringify(form.get());
  const dirty = () => current() !== state.savedJson;
  const titleOf = (card) => {
    const texts = (card && card.texts) || {};
    return (texts[LANG] && texts[LANG].title) || (texts.en && texts.en.title) || "";
  };

  function cardBadge(card) {
    if (card.published_version === null) return T.pb_unpublished;
    let text = T.pb_live + " v" + card.published_version;
    if (card.latest_version > card.published_version) text += " · " + T.pb_draft + " v" + card.latest_version;
    return text;
  }

  /* ---- the list, search and approval queue ------------------------------------ */

  async function loadList() {
    const [result, verdicts] = await Promise.all([
      VA.api("GET", "/v1/playbooks"), VA.api("GET", "/v1/reports/feedback"),
    ]);
    if (!result.ok) { $("pb-card-list").replaceChildren(el("li", VA.errorText(result), "error")); return; }
    state.cards = result.body;
    state.verdicts = {};
    if (verdicts.ok) verdicts.body.cards.forEach((v) => { state.verdicts[v.card_id] = v; });
    renderList();
    renderQueue();
  }

  function renderList() {
    const query = $("pb-search").value.trim().toLowerCase();
    const list = $("pb-card-list");
    list.replaceChildren();
    for (const card of state.cards) {
      const title = titleOf(card.card) || card.card_id;
      const activity = T["desk_activity_" + card.activity] || card.activity;
      const haystack = [card.card_id, title, activity, titleOf({ texts: (card.card || {}).texts })]
        .concat(Object.values((card.card || {}).texts || {}).map((t) => t.title)).join(" ").toLowerCase();
      if (query && !haystack.includes(query)) continue;
      const button = el("button", undefined, "pb-card-button");
      button.type = "button";
      button.dataset.cardId = card.card_id;
      button.append(el("span", title, "pb-card-title"), el("span", activity, "pb-card-meta"),
        el("span", cardBadge(card), "badge"));
      const verdict = state.verdicts[card.card_id];
      if (verdict) { // what agents said of the card on the desk
        button.append(el("span", T.pb_agent_verdicts.replace("{used}", verdict.accepted)
          .replace("{dismissed}", verdict.dismissed), "pb-card-meta pb-verdicts"));
      }
      if (card.card_id === state.cardId) button.setAttribute("aria-current", "true");
      button.addEventListener("click", () => openCard(card.card_id).then(() => $("pb-card-heading").focus()));
      const item = el("li");
      item.append(button);
      list.append(item);
    }
    if (!list.childElementCount) list.append(el("li", T.pb_no_match, "status"));
  }

  async function renderQueue() {
    const box = $("pb-queue-box");
    const waiting = state.cards.filter((c) => c.published_version === null || c.latest_version > c.published_version);
    box.hidden = !TWO_PERSON || !waiting.length;
    if (box.hidden) return;
    const list = $("pb-queue");
    list.replaceChildren();
    for (const card of waiting) {
      const history = await VA.api("GET", "/v1/playbooks/" + encodeURIComponent(card.card_id) + "/versions");
      if (!history.ok) continue;
      const latest = history.body[0];
      if (latest.published_at) continue; // withdrawn by a rollback, not waiting for anyone
      const item = el("li");
      const open = el("button", (titleOf(latest.card) || card.card_id) + " v" + latest.version, "secondary");
      open.type = "button";
      open.addEventListener("click", () => openCard(card.card_id));
      item.append(open, el("span", " " + T.pb_by + " " + latest.author +
        (latest.author === ME ? " (" + T.pb_yours + ")" : ""), "help"));
      list.append(item);
    }
    box.hidden = !list.childElementCount;
  }

  /* ---- one card ---------------------------------------------------------------- */

  async function openCard(cardId, keepStatus) {
    state.cardId = cardId;
    state.isNew = false;
    const [versions, events] = await Promise.all([
      VA.api("GET", cardPath("/versions")), VA.api("GET", cardPath("/events")),
    ]);
    if (!versions.ok) { setStatus(VA.errorText(versions), true); return; }
    state.versions = versions.body;
    state.latest = versions.body[0];
    const live = versions.body.find((v) => v.live);
    state.published = live ? live.version : null;
    // After a rollback the newest version is withdrawn: edit what agents see now.
    const withdrawn = state.latest.published_at && !state.latest.live && live;
    state.base = withdrawn ? live : state.latest;
    form.set(state.base.card);
    form.controls.id.readOnly = true;
    state.savedJson = current();
    $("pb-card-heading").textContent = titleOf(state.base.card) || cardId;
    $("pb-editor-area").hidden = false;
    $("pb-note").value = "";
    $("pb-reload").hidden = true;
    document.querySelectorAll(".pb-card-button").forEach((b) => {
      if (b.dataset.cardId === cardId) b.setAttribute("aria-current", "true");
      else b.removeAttribute("aria-current");
    });
    if (decodeURIComponent(location.hash.slice(1)) !== cardId) history.replaceState(null, "", "#" + cardId);
    if (!keepStatus) setStatus("");
    renderState(withdrawn);
    renderHistory(versions.body, events.ok ? events.body : []);
    schedulePreview(0);
  }

  function newCard() {
    state.cardId = null;
    state.isNew = true;
    state.versions = [];
    state.latest = null;
    state.published = null;
    state.base = null;
    form.set({ id: "", activity: VOCAB.activities[0], weight: 1, texts: {} });
    form.controls.id.readOnly = false;
    state.savedJson = "";
    $("pb-card-heading").textContent = T.pb_new_card;
    $("pb-editor-area").hidden = false;
    $("pb-history").replaceChildren();
    $("pb-state").textContent = T.pb_new_help;
    setStatus("");
    form.controls.id.focus();
    schedulePreview(0);
  }

  function renderState(withdrawn) {
    if (!state.latest) return;
    let text = T.pb_version + " " + state.base.version + " · " +
      (state.published === null ? T.pb_unpublished : T.pb_live + " v" + state.published);
    if (withdrawn) text += " · " + T.pb_withdrawn.replace("{v}", state.latest.version);
    $("pb-state").textContent = text;
    updateButtons();
  }

  function updateButtons() {
    const why = !state.valid ? T.pb_fix_first : !dirty() ? T.pb_no_changes : "";
    $("pb-save").disabled = Boolean(why);
    $("pb-save-why").textContent = why;
    const latest = state.latest;
    const latestLive = latest && latest.version === state.published;
    const waiting = latest && !latestLive && !latest.published_at;
    const ownDraft = TWO_PERSON && waiting && latest.author === ME;
    $("pb-publish").disabled = !waiting || dirty() || ownDraft;
    $("pb-publish").textContent = !latest || !waiting ? T.pb_nothing_to_publish
      : ownDraft ? T.pb_needs_other_lead : T.pb_publish + " " + latest.version;
  }

  /* ---- history: versions, publishes and rollbacks, word-level changes ----------- */

  function renderHistory(versions, events) {
    const entries = versions.map((v) => ({ at: v.created_at, version: v }))
      .concat(events.filter((e) => e.action === "rollback").map((e) => ({ at: e.at, event: e })))
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    const list = $("pb-history");
    list.replaceChildren();
    for (const entry of entries) {
      const item = el("li");
      const when = new Date(entry.at).toLocaleString(LANG);
      if (entry.event) {
        const e = entry.event;
        item.append(el("span", T.pb_rollback_entry.replace("{from}", e.previous_version)
          .replace("{to}", e.version) + " · " + when + " · " + T.pb_by + " " + e.actor, "pb-event"));
        list.append(item);
        continue;
      }
      const v = entry.version;
      item.append(el("span", T.pb_version + " " + v.version + " · " + when + " · " + T.pb_by + " " + v.author));
      if (v.live) item.append(" ", el("span", T.pb_live, "badge high"));
      if (v.note) item.append(el("div", v.note, "help"));
      const before = versions.find((o) => o.version === v.base_version) ||
        versions.find((o) => o.version === v.version - 1);
      const details = el("details");
      details.append(el("summary", T.pb_show_diff), diffBlock(before ? before.card : null, v.card));
      item.append(details);
      if (state.published !== null && v.version < state.published) {
        const button = el("button", T.pb_rollback + " (v" + v.version + ")", "secondary");
        button.type = "button";
        button.addEventListener("click", () => rollback(v.version));
        item.append(button);
      }
      list.append(item);
    }
  }

  function diffBlock(before, after) {
    const box = el("dl", undefined, "pb-diff");
    const changes = EditorDiff.fields(before, after);
    if (!changes.length) box.append(el("dd", T.pb_first_version));
    for (const change of changes) {
      box.append(el("dt", change.path));
      const dd = el("dd");
      for (const part of change.parts) {
        dd.append(part.kind === "same" ? document.createTextNode(part.text)
          : el(part.kind === "add" ? "ins" : "del", part.text));
      }
      box.append(dd);
    }
    return box;
  }

  /* ---- validation and preview ---------------------------------------------------- */

  function sample() {
    const number = (id, parse) => { const v = parse($(id).value); return Number.isNaN(v) ? undefined : v; };
    const chosen = {
      persona: $("pb-persona").value, plan_tier: $("pb-plan").value,
      channel: $("pb-channel").value, contact_reason: $("pb-reason").value,
      days_since_purchase: number("pb-days", (v) => parseInt(v, 10)),
      products_owned: number("pb-products", (v) => parseInt(v, 10)),
      feature_adoption: number("pb-adoption", parseFloat),
      customer_sentiment: number("pb-sentiment", parseFloat),
      complaint_unresolved: $("pb-complaint").checked,
      issue_resolved: $("pb-resolved").checked,
    };
    for (const key of Object.keys(chosen)) if (chosen[key] === undefined) delete chosen[key];
    return chosen;
  }

  function schedulePreview(delay) {
    clearTimeout(timer);
    timer = setTimeout(runPreview, delay);
  }

  async function runPreview() {
    const run = ++state.previewRun;
    const doc = form.get();
    const path = "/v1/playbooks/" + encodeURIComponent(doc.id || "_") + "/preview";
    const result = await VA.api("POST", path, { card: doc, sample: sample() });
    if (run !== state.previewRun) return;
    state.valid = result.ok;
    showProblems(result.ok ? null : result);
    if (result.ok) renderPreview(result.body.rendered);
    updateButtons();
  }

  function showProblems(result) {
    const box = $("pb-problems");
    box.replaceChildren();
    for (const bad of document.querySelectorAll("#pb-form [aria-invalid]")) bad.removeAttribute("aria-invalid");
    if (!result) { box.append(el("p", T.pb_valid, "pb-rule ok")); return; }
    const error = result.body && result.body.error;
    const fields = error && error.details && error.details.fields;
    if (!fields) { box.append(el("p", VA.errorText(result), "error")); return; }
    box.append(el("p", T.pb_invalid, "error"));
    const list = el("ul", undefined, "error");
    for (const [name, reasons] of Object.entries(flatten(fields))) {
      const control = controlFor(name);
      if (control) control.setAttribute("aria-invalid", "true");
      const label = control && document.querySelector('label[for="' + control.id + '"]');
      list.append(el("li", (label ? label.textContent + " (" + name + ")" : name) + ": " + reasons.join(" ")));
    }
    box.append(list);
  }

  function flatten(fields, prefix, out) {
    out = out || {};
    for (const [key, value] of Object.entries(fields)) {
      const path = prefix ? prefix + "." + key : key;
      if (Array.isArray(value) && value.every((v) => typeof v === "string")) out[path] = value;
      else if (value && typeof value === "object") flatten(value, path, out);
    }
    return out;
  }

  function controlFor(path) {
    const text = path.match(/^card\.texts\.(ja|en)\.(\w+)/) || path.match(/^texts\.(ja|en)\.(\w+)/);
    if (text) return form.controls[text[1] + "." + text[2]];
    const rule = path.match(/rules\.\w+\.(\w+)/);
    if (rule && form.controls["rule." + rule[1]]) {
      const control = form.controls["rule." + rule[1]];
      return control.other || control;
    }
    const top = path.replace(/^card\./, "");
    return form.controls[top] || null;
  }

  function renderPreview(rendered) {
    for (const [lang, name] of EditorForm.LANGS) {
      const card = rendered[lang];
      const box = $("pb-preview-" + lang);
      box.replaceChildren(el("h4", name));
      box.append(card.passes ? el("p", T.pb_passes, "pb-rule ok")
        : el("p", T.pb_blocked + " " + card.reason, "pb-rule blocked"));
      box.append(el("p", card.title, "pb-title"), el("p", card.body));
      for (const [key, lines, tag] of [["pb_field_talk_track", card.talk_track, "ol"],
        ["pb_field_evidence", card.evidence, "ul"], ["pb_field_avoid", card.avoid, "ul"]]) {
        const list = el(tag);
        lines.forEach((line) => list.append(el("li", line)));
        box.append(el("h5", T[key]), list);
      }
      if (card.self_service_text) box.append(el("h5", T.pb_field_self_service_text), el("p", card.self_service_text));
    }
  }

  /* ---- save, publish, roll back, YAML ------------------------------------------- */

  async function save() {
    const doc = form.get();
    if (state.isNew) state.cardId = doc.id;
    const body = Object.assign({}, doc, { base_version: state.latest ? state.latest.version : 0 });
    const note = $("pb-note").value.trim();
    if (note) body.note = note;
    const result = await VA.api("PUT", cardPath(), body);
    if (result.status === 409) { setStatus(T.pb_conflict, true); $("pb-reload").hidden = false; return; }
    if (!result.ok) { showProblems(result); setStatus(VA.errorText(result), true); return; }
    await loadList();
    await openCard(state.cardId, true);
    setStatus(T.pb_saved + " " + result.body.version);
  }

  async function publish() {
    const version = state.latest.version;
    const result = await VA.api("POST", cardPath("/publish"), { version: version });
    if (!result.ok) { setStatus(VA.errorText(result), true); return; }
    await loadList();
    await openCard(state.cardId, true);
    setStatus(T.pb_published + " " + version);
  }

  async function rollback(version) {
    if (!window.confirm(T.pb_confirm_rollback.replace("{v}", version))) return;
    const result = await VA.api("POST", cardPath("/rollback"), { to_version: version });
    if (!result.ok) { setStatus(VA.errorText(result), true); return; }
    await loadList();
    await openCard(state.cardId, true);
    setStatus(T.pb_rolled_back + " " + version);
  }

  async function exportYaml() {
    const result = await VA.api("POST", "/ui/playbooks/yaml", { card: form.get() });
    if (!result.ok) { setStatus(VA.errorText(result), true); return; }
    $("pb-yaml").value = result.body.yaml;
  }

  async function importYaml() {
    const result = await VA.api("POST", "/ui/playbooks/parse", { yaml: $("pb-yaml").value });
    if (!result.ok) { showProblems(result); setStatus(VA.errorText(result), true); return; }
    form.set(result.body.card);
    setStatus(T.pb_imported);
    updateButtons();
    schedulePreview(0);
  }

  form.onInput(() => { updateButtons(); schedulePreview(PREVIEW_DELAY_MS); });
  SAMPLE_INPUTS.forEach((id) => $(id).addEventListener("change", () => schedulePreview(0)));
  $("pb-search").addEventListener("input", renderList);
  $("pb-save").addEventListener("click", save);
  $("pb-publish").addEventListener("click", publish);
  $("pb-reload").addEventListener("click", () => openCard(state.cardId));
  $("pb-new").addEventListener("click", newCard);
  $("pb-export").addEventListener("click", exportYaml);
  $("pb-import").addEventListener("click", importYaml);

  loadList().then(() => {
    const wanted = decodeURIComponent(location.hash.slice(1));
    if (wanted) openCard(wanted);
  });
})();
