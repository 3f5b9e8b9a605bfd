/* The playbook editor's card form: a card document <-> form controls, no YAML in between.
   Per language (ja, en): title, body, talk track, listen for, avoid, self-service text;
   the rules as checkboxes and number fields; template variables offered as inserts at the
   cursor. Values the vocabulary does not know (a CRM's own plan tier) survive in an
   "other" field. window.EditorForm.build(root, vocab, texts) -> {set(doc), get(), onInput(fn)} */
(function () {
  "use strict";

  const LANGS = [["ja", "日本語"], ["en", "English"]];
  const TEXT_FIELDS = [
    ["title", "input"], ["body", "textarea"], ["talk_track", "lines"],
    ["evidence", "lines"], ["avoid", "lines"], ["self_service_text", "textarea"],
  ];
  const LIST_RULES = [
    ["eligibility", "plan_tiers", "plan_tiers"], ["eligibility", "personas", "personas"],
    ["eligibility", "languages", "languages"],
    ["applicability", "contact_reasons", "contact_reasons"],
    ["applicability", "channels", "channels"],
  ];
  const NUMBER_RULES = [
    ["eligibility", "min_products_owned", 1], ["eligibility", "max_products_owned", 1],
    ["applicability", "min_days_since_purchase", 1], ["applicability", "max_days_since_purchase", 1],
    ["applicability", "min_feature_adoption", 0.01], ["applicability", "max_feature_adoption", 0.01],
    ["suitability", "min_sentiment", 0.1], ["suitability", "max_per_customer_per_30d", 1],
  ];
  // Where a rule value's label lives among the page's words (the desk's, shared).
  const VALUE_LABELS = { plan_tiers: "desk_plan_", personas: "desk_persona_",
    contact_reasons: "desk_reason_", channels: "desk_channel_", languages: "pb_language_" };
  const FLAG_RULES = [
    ["suitability", "not_during_unresolved_complaint", true],
    ["suitability", "after_resolution", false],
  ];

  function el(tag, attrs, text) {
    const made = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) made.setAttribute(k, v);
    if (text !== undefined) made.textContent = text;
    return made;
  }

  function build(root, vocab, T) {
    const listeners = [];
    const changed = () => listeners.forEach((fn) => fn());
    let lastText = null;
    let explicitFlags = new Set(); // flags the document spelled out, kept even at their default
    const controls = {};
    root.replaceChildren();

    // Identity: id, activity, weight
    const head = el("fieldset", { class: "pb-fields pb-head" });
    head.append(el("legend", {}, T.pb_card_identity));
    controls.id = labelled(head, "input", "pb-f-id", T.pb_card_id, { type: "text" });
    controls.activity = labelled(head, "select", "pb-f-activity", T.pb_activity);
    for (const activity of vocab.activities) {
      controls.activity.append(el("option", { value: activity }, T["desk_activity_" + activity] || activity));
    }
    controls.weight = labelled(head, "input", "pb-f-weight", T.pb_weight,
      { type: "number", min: "0.1", step: "0.1" });
    root.append(head);

    // Template variables, inserted where the cursor was.
    const inserts = el("div", { class: "pb-inserts", role: "group", "aria-label": T.pb_inserts });
    inserts.append(el("span", { class: "help" }, T.pb_inserts + ":"));
    for (const variable of vocab.variables) {
      const button = el("button", { type: "button", class: "secondary small", "data-insert": variable },
        T["pb_var_" + variable.replace(".", "_")] || variable);
      button.addEventListener("mousedown", (event) => event.preventDefault()); // keep the cursor
      const filter = vocab.labelled.includes(variable) ? " | label" : ""; // the code's name
      button.addEventListener("click", () => insert("{{ " + variable + filter + " }}"));
      inserts.append(button);
    }
    root.append(inserts);

    // Texts, one column per language.
    const texts = el("div", { class: "pb-texts" });
    for (const [lang, name] of LANGS) {
      const box = el("fieldset", { class: "pb-fields", lang: lang });
      box.append(el("legend", {}, name));
      for (const [field, kind] of TEXT_FIELDS) {
        const id = "pb-f-" + lang + "-" + field;
        const control = labelled(box, kind === "input" ? "input" : "textarea", id,
          T["pb_field_" + field], kind === "input" ? { type: "text" } : { rows: kind === "lines" ? "3" : "2" });
        if (kind === "lines") control.setAttribute("aria-describedby", "pb-lines-help");
        control.addEventListener("focus", () => { lastText = control; });
        controls[lang + "." + field] = control;
      }
      texts.append(box);
    }
    root.append(texts, el("p", { id: "pb-lines-help", class: "help" }, T.pb_lines_help));

    // Rules as controls.
    const rules = el("fieldset", { class: "pb-fields pb-rules" });
    rules.append(el("legend", {}, T.pb_rules));
    for (const [tier, name, vocabName] of LIST_RULES) {
      const group = el("fieldset", { class: "pb-choices" });
      group.append(el("legend", {}, T["pb_rule_" + name]));
      for (const value of vocab[vocabName]) {
        const id = "pb-r-" + name + "-" + value;
        const box = el("input", { type: "checkbox", id: id, value: value });
        const label = el("label", { for: id, class: "pb-check" });
        label.append(box, " " + (T[VALUE_LABELS[name] + value] || value));
        group.append(label);
      }
      const other = el("input", { type: "text", id: "pb-r-" + name + "-other", class: "pb-other" });
      const otherLabel = el("label", { for: other.id, class: "pb-check" }, T.pb_other_values);
      group.append(otherLabel, other);
      group.append(el("p", { class: "help" }, T.pb_empty_means_all));
      controls["rule." + name] = { tier: tier, group: group, other: other };
      rules.append(group);
    }
    const numbers = el("div", { class: "pb-numbers" });
    for (const [tier, name, step] of NUMBER_RULES) {
      controls["rule." + name] = labelled(numbers, "input", "pb-r-" + name, T["pb_rule_" + name],
        { type: "number", step: String(step) });
      controls["rule." + name].dataset.tier = tier;
    }
    rules.append(numbers);
    for (const [tier, name] of FLAG_RULES) {
      const id = "pb-r-" + name;
      const box = el("input", { type: "checkbox", id: id });
      box.dataset.tier = tier;
      const label = el("label", { for: id, class: "pb-check" });
      label.append(box, " " + T["pb_rule_" + name]);
      rules.append(label);
      controls["rule." + name] = box;
    }
    root.append(rules);
    root.addEventListener("input", changed);
    root.addEventListener("change", changed);

    function labelled(parent, tag, id, text, attrs) {
      const wrap = el("div", { class: "pb-field" });
      wrap.append(el("label", { for: id }, text));
      const control = el(tag, Object.assign({ id: id }, attrs || {}));
      wrap.append(control);
      parent.append(wrap);
      return control;
    }

    function insert(text) {
      const target = lastText || controls["ja.body"];
      const start = target.selectionStart ?? target.value.length;
      const end = target.selectionEnd ?? start;
      target.value = target.value.slice(0, start) + text + target.value.slice(end);
      target.focus();
      target.setSelectionRange(start + text.length, start + text.length);
      changed();
    }

    function set(doc) {
      doc = doc || {};
      controls.id.value = doc.id || "";
      controls.activity.value = doc.activity || vocab.activities[0];
      controls.weight.value = doc.weight ?? 1;
      for (const [lang] of LANGS) {
        const text = (doc.texts || {})[lang] || {};
        for (const [field, kind] of TEXT_FIELDS) {
          const value = text[field];
          controls[lang + "." + field].value = kind === "lines" ? (value || []).join("\n") : (value || "");
        }
      }
      const rulesDoc = doc.rules || {};
      for (const [tier, name] of LIST_RULES) {
        const chosen = ((rulesDoc[tier] || {})[name]) || [];
        const { group, other } = controls["rule." + name];
        const known = new Set();
        for (const box of group.querySelectorAll("input[type=checkbox]")) {
          box.checked = chosen.includes(box.value);
          known.add(box.value);
        }
        other.value = chosen.filter((v) => !known.has(v)).join(", ");
      }
      for (const [tier, name] of NUMBER_RULES) {
        const value = (rulesDoc[tier] || {})[name];
        controls["rule." + name].value = value === null || value === undefined ? "" : value;
      }
      explicitFlags = new Set();
      for (const [tier, name, fallback] of FLAG_RULES) {
        const value = (rulesDoc[tier] || {})[name];
        if (value !== undefined) explicitFlags.add(name);
        controls["rule." + name].checked = value === undefined ? fallback : Boolean(value);
      }
    }

    function get() {
      const doc = { id: controls.id.value.trim(), activity: controls.activity.value };
      const weight = parseFloat(controls.weight.value);
      doc.weight = Number.isNaN(weight) ? controls.weight.value : weight;
      doc.texts = {};
      for (const [lang] of LANGS) {
        const text = {};
        for (const [field, kind] of TEXT_FIELDS) {
          const raw = controls[lang + "." + field].value;
          if (kind === "lines") text[field] = raw.split("\n").map((l) => l.trim()).filter(Boolean);
          else if (raw.trim() || field !== "self_service_text") text[field] = raw.trim();
        }
        doc.texts[lang] = text;
      }
      const rulesDoc = {};
      const put = (tier, name, value) => { (rulesDoc[tier] = rulesDoc[tier] || {})[name] = value; };
      for (const [tier, name] of LIST_RULES) {
        const { group, other } = controls["rule." + name];
        const chosen = Array.from(group.querySelectorAll("input[type=checkbox]:checked"), (b) => b.value)
          .concat(other.value.split(",").map((v) => v.trim()).filter(Boolean));
        if (chosen.length) put(tier, name, chosen);
      }
      for (const [tier, name] of NUMBER_RULES) {
        const raw = controls["rule." + name].value;
        if (raw === "") continue;
        const value = Number(raw);
        put(tier, name, value);
      }
      for (const [tier, name, fallback] of FLAG_RULES) {
        const value = controls["rule." + name].checked;
        if (value !== fallback || explicitFlags.has(name)) put(tier, name, value);
      }
      if (Object.keys(rulesDoc).length) doc.rules = rulesDoc;
      return doc;
    }

    return { set: set, get: get, onInput: (fn) => listeners.push(fn), controls: controls };
  }

  window.EditorForm = { build: build, LANGS: LANGS };
})();
