// The customer page: profile, verification, the portfolio per wallet with
// live updates from GET /customer/{id}/events, and the history.
import { h, replace, amount, setAmount, flash, formatTime, formatUnits, shortHex, tableWrap } from "./dom.js";
import { get, state, tokenOf, checkSession, APIError } from "./api.js";

const FIELDS = ["total", "available", "frozen"];

export function customerPage({ main, onNodeStatus }, id) {
  let closed = false;
  let source = null;
  const cleanups = [];
  replace(main, h("h1", {}, "Customer"), h("p", { className: "loading" }, "Loading the customer…"));

  (async () => {
    let cust;
    try {
      cust = await get("/customer/" + encodeURIComponent(id));
    } catch (err) {
      if (closed) return;
      replace(main, h("h1", {}, "Customer"), h("p", { className: "error", role: "alert" },
        err instanceof APIError && err.status === 404 ? "No customer has the id " + id + "." : "The customer could not be loaded: " + err.message),
        h("p", {}, h("a", { href: "#/search" }, "Back to the search")));
      return;
    }
    if (closed) return;
    const live = h("p", { className: "live", id: "live-status", role: "status" }, "Connecting to live updates…");
    const portfolio = h("section", { id: "portfolio", className: "portfolio", "aria-labelledby": "portfolio-h" },
      h("h2", { id: "portfolio-h" }, "Portfolio"), live, wallets(cust));
    const history = h("section", { id: "history", "aria-labelledby": "history-h" }, h("h2", { id: "history-h" }, "History"));
    replace(main,
      h("p", { className: "crumbs" }, h("a", { href: "#/search" }, "Customers"), " / ", h("span", { className: "mono" }, cust.id)),
      h("h1", { id: "customer-name" }, cust.name || cust.username || cust.id),
      profile(cust), portfolio, history);

    let stale = false, nodeDown = false, streamDown = false;
    const setStale = () => {
      const s = nodeDown || streamDown;
      portfolio.classList.toggle("stale", s);
      if (s) {
        live.textContent = nodeDown ? "Stale: the chain node is unreachable; these are the last known figures."
          : "Stale: live updates are disconnected; reconnecting…";
      } else if (stale) {
        live.textContent = "Live: figures update as blocks change them.";
      }
      stale = s || stale;
    };
    cleanups.push(onNodeStatus((down) => { nodeDown = down; setStale(); }));

    const update = (wallet, token, figures, flashIt) => {
      const row = portfolio.querySelector(`tr[data-wallet="${wallet}"][data-token="${token}"]`);
      if (!row) return;
      const tok = tokenOf(token);
      const values = { total: figures.total, available: figures.available?.amount, frozen: figures.frozen?.amount };
      for (const f of FIELDS) {
        const el = row.querySelector(`[data-field="${f}"]`);
        if (setAmount(el, values[f], tok) && flashIt) flash(el);
      }
      row.classList.toggle("has-frozen", values.frozen !== undefined && values.frozen !== "0");
      row.querySelector(".frozen-flag").hidden = !(values.frozen && values.frozen !== "0");
    };

    // Tokens other than the default one: the stream's first message holds
    // the default token only.
    for (const t of state.tokens.filter((t) => !t.default)) {
      get("/customer/" + encodeURIComponent(id) + "/portfolio?token=" + t.address).then((p) => {
        for (const w of p[0].wallets) if (w.balances) update(w.address, t.address, w.balances, false);
      }).catch(() => {});
    }

    const hist = historyTable(history, id);
    cleanups.push(hist.close);

    source = new EventSource("/customer/" + encodeURIComponent(id) + "/events", { withCredentials: true });
    source.addEventListener("open", () => { streamDown = false; setStale(); if (!nodeDown) live.textContent = "Live: figures update as blocks change them."; });
    source.addEventListener("error", () => {
      streamDown = true; setStale();
      if (source.readyState === EventSource.CLOSED) checkSession(); // refused: signed out?
    });
    source.addEventListener("portfolio", (ev) => {
      const p = JSON.parse(ev.data)[0];
      for (const w of p.wallets) if (w.balances) update(w.address, w.balances.token, w.balances, true);
    });
    source.addEventListener("portfolio_unavailable", () => {
      nodeDown = true; setStale();
    });
    source.addEventListener("balance.updated", (ev) => {
      const e = JSON.parse(ev.data);
      update(e.data.wallet, e.data.token, e.data.balances, true);
      hist.prepend(e);
    });
  })();

  return () => {
    closed = true;
    if (source) source.close();
    for (const c of cleanups) c();
  };
}

function field(label, value, attrs = {}) {
  if (value === undefined || value === null || value === "") return null;
  return [h("dt", {}, label), h("dd", attrs, value)];
}

function profile(c) {
  const a = c.address;
  const addr = a ? [a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(" "), a.state, a.countryCode].filter(Boolean).join(", ") : "";
  const meta = Object.entries(c.metadata || {});
  return h("section", { id: "profile", className: "card", "aria-labelledby": "profile-h" },
    h("h2", { id: "profile-h" }, "Profile"),
    h("dl", { className: "fields" },
      field("Verification", h("span", { className: "badge v-" + c.verificationStatus.toLowerCase(), id: "verification" }, c.verificationStatus)),
      field("Id", c.id, { className: "mono" }),
      field("Name", c.name, { id: "profile-name" }),
      field("Username", c.username),
      field("Type", c.type),
      field("Country", c.countryCode),
      field("Email", c.email),
      field("Phone", c.phone),
      field("Address", addr),
      field("Customer since", formatTime(c.createdAt)),
      meta.length ? field("Metadata", h("ul", { className: "meta" }, meta.map(([k, v]) => h("li", {}, h("span", { className: "mono" }, k), ": ", v)))) : null));
}

function wallets(c) {
  if (!c.wallets.length) return h("p", { className: "empty" }, "This customer has no wallets.");
  return h("div", { className: "wallets" }, c.wallets.map((w) => {
    const rows = state.tokens.map((t) => h("tr", { "data-wallet": w.address, "data-token": t.address },
      h("th", { scope: "row" }, t.symbol || shortHex(t.address),
        h("span", { className: "frozen-flag", hidden: true, title: "Part of this balance is frozen" }, " frozen")),
      FIELDS.map((f) => h("td", { className: "num " + f }, amount(undefined, t, { "data-field": f })))));
    return h("article", { className: "wallet card", "data-wallet": w.address },
      h("h3", { className: "mono wallet-address" }, w.address),
      tableWrap(h("table", { className: "figures" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Token"), h("th", { scope: "col" }, "Total"),
          h("th", { scope: "col" }, "Available"), h("th", { scope: "col" }, "Frozen"))),
        h("tbody", {}, rows)), "Balances of " + w.address));
  }));
}

function historyTable(section, id) {
  const tbody = h("tbody");
  const body = h("div", {}, h("p", { className: "loading" }, "Loading the history…"));
  section.append(body);
  let closed = false, shown = 0, last = "";
  const row = (e) => {
    const tok = tokenOf(e.data.token);
    const fig = (f, b) => f === "total" ? b.total : b[f].amount;
    return h("tr", { "data-event": e.id },
      h("td", {}, formatTime(e.data.block.timestamp)),
      h("td", { className: "num" }, String(e.data.block.number)),
      h("td", { className: "mono" }, shortHex(e.data.wallet)),
      h("td", {}, tok ? tok.symbol : shortHex(e.data.token)),
      h("td", {}, e.data.changed.map((f) => h("div", { className: "change" }, f + ": ",
        h("span", { title: fig(f, e.data.previous) + " base units" }, formatUnits(fig(f, e.data.previous), tok ? tok.decimals : 0)),
        " → ",
        h("span", { title: fig(f, e.data.balances) + " base units" }, formatUnits(fig(f, e.data.balances), tok ? tok.decimals : 0))))),
      h("td", {}, e.data.reorg ? "reorg correction" : ""));
  };
  const table = () => tableWrap(h("table", { className: "list history" },
    h("thead", {}, h("tr", {}, ["Time", "Block", "Wallet", "Token", "Change", ""].map((t) => h("th", { scope: "col" }, t)))), tbody), "History");
  const more = h("button", { type: "button", className: "more", hidden: true }, "Older changes");
  async function load() {
    const params = new URLSearchParams({ limit: "20" });
    if (last) params.set("startingAfter", last);
    try {
      const page = await get("/customer/" + encodeURIComponent(id) + "/history?" + params);
      if (closed) return;
      if (!shown && !page.data.length) { replace(body, h("p", { className: "empty", id: "history-empty" }, "No balance changes recorded yet.")); return; }
      if (!shown) replace(body, table(), more);
      for (const e of page.data) { if (!tbody.querySelector(`[data-event="${e.id}"]`)) { tbody.append(row(e)); shown++; } }
      if (page.data.length) last = page.data[page.data.length - 1].id;
      more.hidden = !page.hasMore;
    } catch (err) {
      if (!closed) replace(body, h("p", { className: "error", role: "alert" },
        err instanceof APIError && err.status === 404 ? "History is off on this server (live.enabled: false)." : "The history could not be loaded: " + err.message));
    }
  }
  more.addEventListener("click", load);
  load();
  return {
    close: () => { closed = true; },
    prepend: (e) => {
      if (tbody.querySelector(`[data-event="${e.id}"]`)) return;
      if (!shown) replace(body, table(), more);
      tbody.prepend(row(e));
      shown++;
    },
  };
}
