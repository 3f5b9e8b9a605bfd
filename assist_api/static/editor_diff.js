/* Word- and character-level differences between two card versions, for the editor's
   history. A changed Japanese phrase shows as the characters that changed, an English one
   as the words, instead of the whole YAML line. Compares the documents field by field
   (texts.ja.title, rules.applicability.channels, …), so moved YAML never shows as change.
   window.EditorDiff.fields(before, after) -> [{path, parts: [{kind: same|add|del, text}]}] */
(function () {
  "use strict";

  const MAX_CELLS = 250000; // tokens × tokens; beyond it, show the field as replaced whole
  const CJK = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;

  /** Words (with their trailing space) for Latin text; single characters for Japanese. */
  function tokens(text) {
    if (CJK.test(text)) return Array.from(text);
    return text.match(/\S+\s*|\s+/g) || [];
  }

  function lcsParts(a, b) {
    if (a.length * b.length > MAX_CELLS) {
      return [{ kind: "del", text: a.join("") }, { kind: "add", text: b.join("") }];
    }
    const rows = a.length + 1, cols = b.length + 1;
    const table = new Uint32Array(rows * cols);
    for (let i = a.length - 1; i >= 0; i--) {
      for (let j = b.length - 1; j >= 0; j--) {
        table[i * cols + j] = a[i] === b[j] ? table[(i + 1) * cols + j + 1] + 1
          : Math.max(table[(i + 1) * cols + j], table[i * cols + j + 1]);
      }
    }
    const parts = [];
    const push = (kind, text) => {
      const last = parts[parts.length - 1];
      if (last && last.kind === kind) last.text += text; else parts.push({ kind: kind, text: text });
    };
    let i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { push("same", a[i]); i++; j++; }
      else if (table[(i + 1) * cols + j] >= table[i * cols + j + 1]) push("del", a[i++]);
      else push("add", b[j++]);
    }
    while (i < a.length) push("del", a[i++]);
    while (j < b.length) push("add", b[j++]);
    return parts;
  }

  /** Every leaf of a document as path -> text (lists of text joined one per line). */
  function leaves(doc, prefix, out) {
    out = out || {};
    if (doc === null || doc === undefined) return out;
    if (Array.isArray(doc) && doc.every((v) => typeof v !== "object" || v === null)) {
      out[prefix] = doc.map(String).join("\n");
    } else if (typeof doc === "object") {
      for (const key of Object.keys(doc)) leaves(doc[key], prefix ? prefix + "." + key : key, out);
    } else {
      out[prefix] = String(doc);
    }
    return out;
  }

  function fields(before, after) {
    const old = leaves(before || {}, ""), now = leaves(after || {}, "");
    const paths = Array.from(new Set(Object.keys(old).concat(Object.keys(now)))).sort();
    const changed = [];
    for (const path of paths) {
      const a = old[path] || "", b = now[path] || "";
      if (a !== b) changed.push({ path: path, parts: lcsParts(tokens(a), tokens(b)) });
    }
    return changed;
  }

  window.EditorDiff = { fields: fields, tokens: tokens };
})();
