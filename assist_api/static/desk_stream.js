/* The desk's live link to one interaction, through the API a contact-centre platform uses.

   Lines go out as utterances (POST /v1/interactions/{id}/utterances, one batch per burst,
   one batch at a time so the server sees them in order); new guidance comes back through
   the long-poll (GET /v1/interactions/{id}/guidance?after=SEQUENCE), whichever worker made
   it: after the desk's own customer line or a platform connector's. The server orders
   answers by `sequence`; the desk shows an answer only when it is newer than the one on
   screen (desk.js), so an answer that arrives both ways is shown once.

     const link = DeskStream.create(interactionId, {onAnswer, onStopped});
     link.send([{id, speaker, text, offset}])  -> Promise of {ok, status, body} (VA.api's)
     link.latest()                             -> Promise of the newest stored answer or null
     link.poll()      start waiting for guidance (idempotent); link.seen(sequence)
     link.stop()      end the wait (a new contact, or the page going away) */
(function () {
  "use strict";

  const RETRY_MS = 2000; // after a network or server error, before waiting again
  const LATEST_WAIT_SECONDS = 0.1; // a reload only asks what is stored: no real wait

  function interactionPath(interactionId, tail) {
    return "/v1/interactions/" + encodeURIComponent(interactionId) + tail;
  }

  function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

  /** A GET that can be aborted (VA.api cannot): {ok, status, body, retryAfter}. */
  async function get(path, signal) {
    try {
      const response = await fetch(path, { credentials: "same-origin", signal: signal });
      const text = await response.text();
      let body = null;
      try { body = text ? JSON.parse(text) : null; } catch (e) { body = { raw: text }; }
      const retryAfter = Number(response.headers.get("Retry-After")) || 0;
      return { ok: response.ok, status: response.status, body: body, retryAfter: retryAfter };
    } catch (e) {
      return { ok: false, status: 0, body: null, aborted: e.name === "AbortError" };
    }
  }

  function utterance(line) {
    return { utterance_id: line.id, speaker: line.speaker, text: line.text, is_final: true,
      offset_ms: line.offset };
  }

  function create(interactionId, handlers) {
    let stopped = false;
    let polling = false;
    let after = 0;
    let controller = null;
    let queue = Promise.resolve();

    function send(lines) {
      const body = { utterances: lines.map(utterance) };
      const sent = queue.then(() => VA.api("POST", interactionPath(interactionId, "/utterances"), body));
      queue = sent.catch(() => null);
      return sent;
    }

    async function latest() {
      const result = await get(interactionPath(interactionId,
        "/guidance?after=0&wait=" + LATEST_WAIT_SECONDS));
      return result.status === 200 ? result.body : null;
    }

    async function poll() {
      if (polling || stopped) return;
      polling = true;
      while (!stopped) {
        controller = new AbortController();
        const result = await get(interactionPath(interactionId, "/guidance?after=" + after),
          controller.signal);
        if (stopped) break;
        if (result.status === 200) {
          if (result.body && result.body.sequence > after) after = result.body.sequence;
          handlers.onAnswer(result.body);
        } else if (result.status === 204) {
          // Nothing newer within the wait; Retry-After when the worker holds its maximum.
          if (result.retryAfter) await sleep(result.retryAfter * 1000);
        } else if (result.status === 0 || result.status >= 500) {
          await sleep(RETRY_MS);
        } else {
          handlers.onStopped(result); // 401 signed out, 404 not this key's: asking again won't help
          break;
        }
      }
      polling = false;
    }

    function seen(sequence) {
      if (typeof sequence === "number" && sequence > after) after = sequence;
    }

    function stop() {
      stopped = true;
      if (controller) controller.abort();
    }

    return { send: send, latest: latest, poll: poll, seen: seen, stop: stop };
  }

  window.DeskStream = { create: create };
})();
