// The frozen-funds register (GET /frozen) with its totals, and a chart of
// the frozen total over time (GET /frozen/series, drawn by uPlot). It
// refreshes itself when the event stream reports a frozen change.
import { h, replace, amount, formatTime, unitsNumber, formatUnits, shortHex, tableWrap, flash } from "./dom.js";
import { get, request, state, tokenOf, checkSession, APIError } from "./api.js";
import uPlot from "../vendor/uplot/uPlot.esm.js";

const RANGES = [
  { id: "1h", label: "Last hour, by minute", span: 3600, step: "1m" },
  { id: "1d", label: "Last day, by hour", span: 86400, step: "1h" },
  { id: "7d", label: "Last 7 days, by 6 hours", span: 7 * 86400, step: "6h" },
];

export function frozenPage({ main, onNodeStatus }, tokenArg) {
  let closed = false, source = null, plot = null, timer = null;
  const cleanups = [];
  const tokens = state.tokens;
  const token = tokenOf(tokenArg) || tokens.find((t) => t.default) || tokens[0];
  if (!token) {
    replace(main, h("h1", {}, "Frozen funds"), h("p", { className: "empty" }, "No token is configured."));
    return () => {};
  }
  const select = h("select", { id: "token", onchange: (ev) => { location.hash = "#/frozen/" + ev.target.value; } },
    tokens.map((t) => h("option", { value: t.address, selected: t.address === token.address }, (t.symbol || "token") + " " + shortHex(t.address))));
  const rangeSel = h("select", { id: "range" }, RANGES.map((r) => h("option", { value: r.id }, r.label)));
  const status = h("p", { className: "live", role: "status", id: "register-status" }, "Loading the register…");
  const totals = h("dl", { className: "totals", id: "totals" });
  const list = h("div", { id: "register" });
  const chart = h("div", { id: "chart", className: "chart", role: "img", "aria-label": "Frozen total over time" });
  const section = h("section", { className: "register" }, status, totals, list);
  replace(main,
    h("h1", {}, "Frozen funds"),
    h("div", { className: "row controls" }, h("label", { for: "token" }, "Token"), select,
      h("button", { type: "button", id: "refresh", onclick: () => load() }, "Refresh")),
    section,
    h("section", { "aria-labelledby": "chart-h" }, h("h2", { id: "chart-h" }, "Frozen total over time"),
      h("div", { className: "row controls" }, h("label", { for: "range" }, "Range"), rangeSel), chart));

  let seq = 0, nodeDown = false;
  cleanups.push(onNodeStatus((down) => {
    nodeDown = down;
    section.classList.toggle("stale", down);
    if (down) status.textContent = "Stale: the chain node is unreachable; the register is as of the last block processed.";
  }));

  async function load() {
    const mine = ++seq;
    try {
      const { data: page, res } = await request("GET", "/frozen?limit=100&token=" + token.address);
      if (closed || mine !== seq) return;
      const block = res.headers.get("X-Block-Number");
      if (!nodeDown) status.textContent = "At block " + block + (page.hasMore ? "; the 100 largest shown" : "") + ".";
      const before = totals.querySelector("[data-total]")?.dataset.base;
      const totalEl = amount(page.frozenTotal, token, { "data-total": "frozen", id: "frozen-total" });
      replace(totals,
        h("div", {}, h("dt", {}, "Frozen total"), h("dd", {}, totalEl, " ", token.symbol || "")),
        h("div", {}, h("dt", {}, "Wallets"), h("dd", { id: "frozen-wallets" }, String(page.wallets))),
        h("div", {}, h("dt", {}, "Customers"), h("dd", { id: "frozen-customers" }, String(page.customers))));
      if (before !== undefined && before !== page.frozenTotal) flash(totalEl);
      if (!page.data.length) {
        replace(list, h("p", { className: "empty" }, "No customer wallet holds frozen " + (token.symbol || "tokens") + "."));
      } else {
        replace(list, tableWrap(h("table", { className: "list" },
          h("thead", {}, h("tr", {}, ["Customer", "Wallet", "Frozen", "Total", "Available", "Frozen since"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, page.data.map((r) => h("tr", { "data-wallet": r.wallet },
            h("td", {}, h("a", { href: "#/customer/" + encodeURIComponent(r.customerId), className: "mono" }, r.customerId)),
            h("td", { className: "mono" }, r.wallet),
            h("td", { className: "num frozen" }, amount(r.frozen, token, { "data-field": "frozen" }),
              r.addressFrozen ? h("span", { className: "frozen-flag", title: "The whole address is frozen" }, "address") : null),
            h("td", { className: "num" }, amount(r.total, token)),
            h("td", { className: "num" }, amount(r.available, token)),
            h("td", {}, formatTime(r.since.timestamp), " (block " + r.since.block + ")"))))), "Frozen wallets"));
      }
      loadSeries();
    } catch (err) {
      if (closed || mine !== seq) return;
      status.textContent = err instanceof APIError && err.status === 404 ? "The register is off on this server (live.enabled: false)."
        : "The register could not be loaded: " + err.message + (list.childElementCount ? " The figures below are stale." : "");
      section.classList.add("stale");
    }
  }

  async function loadSeries() {
    const r = RANGES.find((x) => x.id === rangeSel.value) || RANGES[0];
    // Up to a second past now, so the last point holds the register's
    // latest figure (a block's time is whole seconds).
    const toMs = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
    let series;
    try {
      series = await get("/frozen/series?token=" + token.address + "&step=" + r.step +
        "&from=" + iso(toMs - r.span * 1000) + "&to=" + iso(toMs));
    } catch (err) {
      if (!closed) replace(chart, h("p", { className: "error" }, "The chart could not be loaded: " + err.message));
      return;
    }
    if (closed) return;
    const xs = series.data.map((p) => Date.parse(p.time) / 1000);
    const ys = series.data.map((p) => unitsNumber(p.frozenTotal, token.decimals));
    chart.dataset.points = String(xs.length);
    chart.dataset.last = series.data.length ? series.data[series.data.length - 1].frozenTotal : "";
    chart.setAttribute("aria-label", "Frozen total over time; now " + formatUnits(chart.dataset.last, token.decimals) + " " + (token.symbol || ""));
    const width = Math.max(260, (chart.clientWidth || 600) - 16);
    if (plot) { plot.setData([xs, ys]); plot.setSize({ width, height: 240 }); return; }
    chart.replaceChildren();
    plot = new uPlot({
      width, height: 240,
      scales: { x: { time: true } },
      axes: [{}, { values: (u, vals) => vals.map((v) => v.toLocaleString()) , size: 70 }],
      series: [{}, { label: "Frozen " + (token.symbol || ""), stroke: "#b91c1c", fill: "rgba(185,28,28,0.12)", width: 2, paths: uPlot.paths.stepped({ align: 1 }) }],
      legend: { show: true },
    }, [xs, ys], chart);
  }
  rangeSel.addEventListener("change", loadSeries);
  const onResize = () => { if (plot) plot.setSize({ width: Math.max(260, chart.clientWidth - 16), height: 240 }); };
  window.addEventListener("resize", onResize);
  cleanups.push(() => window.removeEventListener("resize", onResize));

  load();
  source = new EventSource("/events?type=balance.updated&token=" + token.address, { withCredentials: true });
  source.addEventListener("error", () => { if (source.readyState === EventSource.CLOSED) checkSession(); });
  source.addEventListener("balance.updated", (ev) => {
    const e = JSON.parse(ev.data);
    if (!e.data.changed.includes("frozen")) return;
    clearTimeout(timer);
    timer = setTimeout(load, 150);
  });
  return () => {
    closed = true;
    clearTimeout(timer);
    if (source) source.close();
    if (plot) plot.destroy();
    for (const c of cleanups) c();
  };
}
