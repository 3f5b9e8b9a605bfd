/* Value Assist pages: a tiny helper for calling the public /v1 API from a signed-in page.
   The session cookie authenticates; the CSRF token from the page's <meta> goes in a header. */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');

  /** Call the API; resolves {ok, status, body}; never throws on HTTP errors. */
  async function api(method, path, body) {
    var init = { method: method, credentials: "same-origin", headers: {} };
    if (method !== "GET") init.headers["X-CSRF-Token"] = csrf ? csrf.content : "";
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    try {
      var response = await fetch(path, init);
      var text = await response.text();
      var parsed = null;
      try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = { raw: text }; }
      return { ok: response.ok, status: response.status, body: parsed };
    } catch (e) {
      return { ok: false, status: 0, body: { error: { code: "network", message: String(e) } } };
    }
  }

  /** The message of a contract error body, with the named fields. */
  function errorText(result) {
    var error = result.body && result.body.error;
    if (!error) return "HTTP " + result.status;
    var fields = error.details && error.details.fields;
    if (!fields) return error.message;
    return error.message + ": " + Object.keys(fields).map(function (name) {
      return name + " (" + fields[name].join(", ") + ")";
    }).join("; ");
  }

  /* Switching language reloads the page in the new language, unless the page handles a
     cancelable "va:language" event itself (the desk keeps a live conversation). */
  var switcher = document.querySelector("[data-lang-switch]");
  if (switcher) {
    switcher.addEventListener("change", function () {
      document.cookie = "va_lang=" + switcher.value + "; path=/; SameSite=Strict";
      var event = new CustomEvent("va:language", { cancelable: true, detail: switcher.value });
      if (document.dispatchEvent(event)) switcher.form.submit();
    });
  }

  window.VA = { api: api, errorText: errorText };
})();
