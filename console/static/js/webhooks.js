// Webhook endpoints (admin keys): each endpoint, its recent deliveries
// with their attempts, and "send test" (POST /webhooks/{id}/test, a write
// that carries the session's anti-CSRF token).
import { h, replace, formatTime, tableWrap } from "./dom.js";
import { get, request, hasScope, APIError } from "./api.js";

export function webhooksPage({ main }) {
  let closed = false;
  const body = h("div", { id: "webhooks" }, h("p", { className: "loading" }, "Loading the endpoints…"));
  replace(main, h("h1", {}, "Webhooks"), body);
  if (!hasScope("admin")) {
    replace(body, h("p", { className: "empty" }, "Webhook endpoints need an admin key; this session's key is not one."));
    return () => {};
  }
  (async () => {
    let list;
    try {
      list = await get("/webhooks?limit=100");
    } catch (err) {
      if (closed) return;
      replace(body, h("p", { className: "error", role: "alert" }, err instanceof APIError && err.status === 404
        ? "Webhooks are not available on this server." : "The endpoints could not be loaded: " + err.message));
      return;
    }
    if (closed) return;
    if (!list.data.length) {
      replace(body, h("p", { className: "empty" }, "No webhook endpoint is registered. Add one with POST /webhooks."));
      return;
    }
    replace(body, list.data.map(endpoint));
  })();

  function endpoint(ep) {
    const deliveries = h("div", { className: "deliveries" }, h("p", { className: "loading" }, "Loading deliveries…"));
    const note = h("p", { className: "live", role: "status" });
    const send = h("button", { type: "button", className: "send-test", disabled: ep.status !== "enabled" }, "Send test");
    send.addEventListener("click", async () => {
      send.disabled = true;
      note.textContent = "Sending a test event…";
      try {
        const { data } = await request("POST", "/webhooks/" + encodeURIComponent(ep.id) + "/test");
        note.textContent = "Test event queued (delivery " + (data && data.id ? data.id : "") + ").";
        // Follow it until it is delivered or failed, for up to 30 s.
        for (let i = 0; i < 30 && !closed; i++) {
          const page = await loadDeliveries();
          const d = page && page.data.find((x) => x.id === data.id);
          if (d && d.status !== "pending") { note.textContent = "Test event " + d.status + "."; break; }
          await new Promise((r) => setTimeout(r, 1000));
        }
      } catch (err) {
        note.textContent = "The test could not be sent: " + err.message;
      } finally {
        send.disabled = ep.status !== "enabled";
      }
    });
    async function loadDeliveries() {
      try {
        const page = await get("/webhooks/" + encodeURIComponent(ep.id) + "/deliveries?limit=20");
        if (closed) return;
        if (!page.data.length) { replace(deliveries, h("p", { className: "empty" }, "No deliveries yet.")); return page; }
        replace(deliveries, tableWrap(h("table", { className: "list" },
          h("thead", {}, h("tr", {}, ["Created", "Event", "Status", "Attempts", "Next attempt"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, page.data.map((d) => h("tr", { "data-delivery": d.id },
            h("td", {}, formatTime(d.createdAt)),
            h("td", {}, d.eventType, h("div", { className: "mono small" }, d.eventId)),
            h("td", {}, h("span", { className: "badge d-" + d.status }, d.status)),
            h("td", {}, (d.attempts || []).map((a) => h("div", { className: "attempt", title: a.response || "" },
              formatTime(a.at), " · ", a.statusCode ? "HTTP " + a.statusCode : (a.error || "no answer"), " · ", a.durationMs + " ms"))),
            h("td", {}, d.nextAttemptAt ? formatTime(d.nextAttemptAt) : "—"))))), "Deliveries"));
        return page;
      } catch (err) {
        if (!closed) replace(deliveries, h("p", { className: "error" }, "The deliveries could not be loaded: " + err.message));
      }
    }
    loadDeliveries();
    return h("article", { className: "card endpoint", "data-endpoint": ep.id },
      h("h2", { className: "mono" }, ep.url),
      h("dl", { className: "fields" },
        h("dt", {}, "Status"), h("dd", {}, h("span", { className: "badge e-" + ep.status }, ep.status), ep.disabledReason ? " — " + ep.disabledReason : ""),
        h("dt", {}, "Events"), h("dd", {}, (ep.types || []).join(", ") + (ep.frozenOnly ? " (frozen changes only)" : "")),
        ep.description ? [h("dt", {}, "Description"), h("dd", {}, ep.description)] : null,
        h("dt", {}, "Id"), h("dd", { className: "mono" }, ep.id),
        h("dt", {}, "Created"), h("dd", {}, formatTime(ep.createdAt))),
      h("div", { className: "row" }, send), note,
      h("h3", {}, "Recent deliveries"), deliveries);
  }
  return () => { closed = true; };
}
