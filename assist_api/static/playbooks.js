/* The playbook editor (/ui/playbooks): list, edit as YAML with live validation, preview in
   ja/en, save a draft, publish, history with diffs, roll back. Everything goes through the
   public /v1/playbooks API; card text is only ever inserted with textContent. */
(function () {
  "use strict";
  var T = JSON.parse(document.getElementById("pb-texts").textContent);
  var PREVIEW_DELAY_MS = 350;
  var LANGUAGES = [["ja", "日本語"], ["en", "English"]];
  var state = { cardId: null, latest: null, published: null, savedYaml: "", previewRun: 0 };
  var timer = null;

  function $(id) { return document.getElementById(id); }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  function cardPath(suffix) {
    return "/v1/playbooks/" + encodeURIComponent(state.cardId) + (suffix || "");
  }
  function setStatus(message, isError) {
    $("pb-status").textContent = message;
    $("pb-status").className = isError ? "error" : "status";
  }
  function dirty() { return $("pb-yaml").value !== state.savedYaml; }

  function cardBadge(card) {
    if (card.published_version === null) return T.pb_unpublished;
    var text = T.pb_live + " v" + card.published_version;
    if (card.latest_version > card.published_version) {
      text += " · " + T.pb_draft + " v" + card.latest_version;
    }
    return text;
  }

  async function loadList() {
    var result = await VA.api("GET", "/v1/playbooks");
    var list = $("pb-card-list");
    list.replaceChildren();
    if (!result.ok) { list.append(el("li", VA.errorText(result), "error")); return; }
    result.body.forEach(function (card) {
      var button = el("button", undefined, "pb-card-button");
      button.type = "button";
      button.dataset.cardId = card.card_id;
      button.append(el("span", card.card_id, "pb-id"), el("span", cardBadge(card), "badge"));
      if (card.card_id === state.cardId) button.setAttribute("aria-current", "true");
      button.addEventListener("click", function () {
        openCard(card.card_id).then(function () { $("pb-card-heading").focus(); });
      });
      var item = el("li");
      item.append(button);
      list.append(item);
    });
  }

  async function openCard(cardId, keepStatus) {
    state.cardId = cardId;
    var result = await VA.api("GET", cardPath("/versions"));
    if (!result.ok) { setStatus(VA.errorText(result), true); return; }
    var live = result.body.find(function (v) { return v.live; });
    state.latest = result.body[0];
    state.published = live ? live.version : null;
    state.savedYaml = state.latest.yaml;
    $("pb-card-heading").textContent = cardId;
    $("pb-editor-area").hidden = false;
    $("pb-yaml").value = state.latest.yaml;
    $("pb-note").value = "";
    $("pb-reload").hidden = true;
    document.querySelectorAll(".pb-card-button").forEach(function (button) {
      if (button.dataset.cardId === cardId) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    });
    if (location.hash.slice(1) !== cardId) history.replaceState(null, "", "#" + cardId);
    if (!keepStatus) setStatus("");
    renderState();
    renderHistory(result.body);
    schedulePreview(0);
  }

  function renderState() {
    var text = T.pb_version + " " + state.latest.version + " · " +
      (state.published === null ? T.pb_unpublished : T.pb_live + " v" + state.published);
    $("pb-state").textContent = text;
    updateButtons();
  }

  function updateButtons() {
    var latestLive = state.latest && state.latest.version === state.published;
    $("pb-save").disabled = !dirty();
    $("pb-publish").disabled = dirty() || latestLive;
    $("pb-publish").textContent = latestLive
      ? T.pb_nothing_to_publish
      : T.pb_publish + " " + state.latest.version;
  }

  function renderHistory(versions) {
    var list = $("pb-history");
    list.replaceChildren();
    versions.forEach(function (v) {
      var item = el("li");
      var when = new Date(v.created_at).toLocaleString(document.documentElement.lang);
      var line = T.pb_version + " " + v.version + " · " + when + " · " + T.pb_by + " " + v.author;
      item.append(el("span", line));
      if (v.live) item.append(" ", el("span", T.pb_live, "badge high"));
      if (v.note) item.append(el("div", v.note, "help"));
      var details = el("details");
      details.append(el("summary", T.pb_show_diff), diffBlock(v.diff));
      item.append(details);
      if (state.published !== null && v.version < state.published) {
        var button = el("button", T.pb_rollback + " (v" + v.version + ")", "secondary");
        button.type = "button";
        button.addEventListener("click", function () { rollback(v.version); });
        item.append(button);
      }
      list.append(item);
    });
  }

  function diffBlock(diff) {
    var pre = el("pre", undefined, "pb-diff");
    diff.split("\n").forEach(function (line) {
      var kind = "";
      if (line.startsWith("+") && !line.startsWith("+++")) kind = "add";
      if (line.startsWith("-") && !line.startsWith("---")) kind = "del";
      pre.append(el("span", line + "\n", kind));
    });
    return pre;
  }

  function sample() {
    var chosen = { plan_tier: $("pb-plan").value, contact_reason: $("pb-reason").value };
    var days = parseInt($("pb-days").value, 10);
    if (!Number.isNaN(days) && days >= 0) chosen.days_since_purchase = days;
    return chosen;
  }

  function schedulePreview(delay) {
    clearTimeout(timer);
    timer = setTimeout(runPreview, delay);
  }

  async function parseEditor() {
    return VA.api("POST", "/ui/playbooks/parse", { yaml: $("pb-yaml").value });
  }

  async function runPreview() {
    var run = ++state.previewRun;
    var parsed = await parseEditor();
    if (run !== state.previewRun) return;
    if (!parsed.ok) { showProblems(parsed); return; }
    var result = await VA.api("POST", cardPath("/preview"), {
      card: parsed.body.card, sample: sample(),
    });
    if (run !== state.previewRun) return;
    if (!result.ok) { showProblems(result); return; }
    showProblems(null);
    renderPreview(result.body.rendered);
  }

  function showProblems(result) {
    var box = $("pb-problems");
    box.replaceChildren();
    $("pb-yaml").setAttribute("aria-invalid", result ? "true" : "false");
    if (!result) { box.append(el("p", T.pb_valid, "pb-rule ok")); return; }
    var error = result.body && result.body.error;
    var fields = error && error.details && error.details.fields;
    if (!fields) { box.append(el("p", VA.errorText(result), "error")); return; }
    box.append(el("p", T.pb_invalid, "error"));
    var list = el("ul", undefined, "error");
    Object.keys(fields).forEach(function (name) {
      fields[name].forEach(function (reason) { list.append(el("li", name + ": " + reason)); });
    });
    box.append(list);
  }

  function renderPreview(rendered) {
    LANGUAGES.forEach(function (pair) {
      var card = rendered[pair[0]];
      var box = $("pb-preview-" + pair[0]);
      box.replaceChildren(el("h4", pair[1]));
      box.append(card.passes
        ? el("p", T.pb_passes, "pb-rule ok")
        : el("p", T.pb_blocked + " " + card.reason, "pb-rule blocked"));
      box.append(el("p", card.title, "pb-title"), el("p", card.body));
      [["pb_talk_track", card.talk_track, "ol"], ["pb_evidence", card.evidence, "ul"],
        ["pb_avoid", card.avoid, "ul"]].forEach(function (part) {
        var list = el(part[2]);
        part[1].forEach(function (line) { list.append(el("li", line)); });
        box.append(el("h5", T[part[0]]), list);
      });
      if (card.self_service_text) {
        box.append(el("h5", T.pb_self_service), el("p", card.self_service_text));
      }
    });
  }

  async function save() {
    var parsed = await parseEditor();
    if (!parsed.ok) { showProblems(parsed); setStatus(VA.errorText(parsed), true); return; }
    var body = Object.assign({}, parsed.body.card, { base_version: state.latest.version });
    var note = $("pb-note").value.trim();
    if (note) body.note = note;
    var result = await VA.api("PUT", cardPath(), body);
    if (result.status === 409) {
      setStatus(T.pb_conflict, true);
      $("pb-reload").hidden = false;
      return;
    }
    if (!result.ok) { showProblems(result); setStatus(VA.errorText(result), true); return; }
    await openCard(state.cardId, true);
    setStatus(T.pb_saved + " " + result.body.version);
    loadList();
  }

  async function publish() {
    var version = state.latest.version;
    var result = await VA.api("POST", cardPath("/publish"), { version: version });
    if (!result.ok) { setStatus(VA.errorText(result), true); return; }
    await openCard(state.cardId, true);
    setStatus(T.pb_published + " " + version);
    loadList();
  }

  async function rollback(version) {
    if (!window.confirm(T.pb_confirm_rollback.replace("{v}", version))) return;
    var result = await VA.api("POST", cardPath("/rollback"), { to_version: version });
    if (!result.ok) { setStatus(VA.errorText(result), true); return; }
    await openCard(state.cardId, true);
    setStatus(T.pb_rolled_back + " " + version);
    loadList();
  }

  $("pb-yaml").addEventListener("input", function () {
    updateButtons();
    schedulePreview(PREVIEW_DELAY_MS);
  });
  ["pb-days", "pb-plan", "pb-reason"].forEach(function (id) {
    $(id).addEventListener("change", function () { schedulePreview(0); });
  });
  $("pb-save").addEventListener("click", save);
  $("pb-publish").addEventListener("click", publish);
  $("pb-reload").addEventListener("click", function () { openCard(state.cardId); });

  loadList().then(function () {
    var wanted = decodeURIComponent(location.hash.slice(1));
    if (wanted) openCard(wanted);
  });
})();
