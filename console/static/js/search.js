// Customer search: by id, wallet address or name prefix (GET /customer?q=),
// and the first page of customers when nothing is asked.
import { h, replace, tableWrap } from "./dom.js";
import { get, APIError } from "./api.js";

export function searchPage({ main }, initial) {
  const input = h("input", { id: "q", type: "search", name: "q", value: initial, autocomplete: "off",
    spellcheck: "false", placeholder: "customer_…, 0x… or a name", "aria-describedby": "q-help" });
  const results = h("section", { id: "results", "aria-live": "polite" });
  const form = h("form", { id: "search", role: "search", className: "search" },
    h("label", { for: "q" }, "Find a customer"),
    h("div", { className: "row" }, input, h("button", { type: "submit" }, "Search")),
    h("p", { className: "help", id: "q-help" }, "A customer id, a wallet address, or the beginning of a name."));
  let seq = 0;
  async function run(q, after) {
    const mine = ++seq;
    if (!after) replace(results, h("p", { className: "loading" }, "Searching…"));
    const params = new URLSearchParams({ limit: "25" });
    if (q) params.set("q", q);
    if (after) params.set("startingAfter", after);
    try {
      const page = await get("/customer?" + params);
      if (mine !== seq) return;
      show(q, page, !!after);
    } catch (err) {
      if (mine !== seq) return;
      replace(results, h("p", { className: "error", role: "alert" },
        err instanceof APIError && err.status === 400 ? err.message : "The search failed: " + err.message));
    }
  }
  function show(q, page, more) {
    if (!more) results.replaceChildren();
    let tbody = results.querySelector("tbody");
    if (!page.data.length && !more) {
      replace(results, h("p", { className: "empty" }, q ? "No customer matches “" + q + "”." : "There are no customers yet."));
      return;
    }
    if (!tbody) {
      tbody = h("tbody");
      results.append(h("h2", {}, q ? "Results" : "Customers"),
        tableWrap(h("table", { className: "list" },
          h("thead", {}, h("tr", {}, ["Name", "Id", "Type", "Country", "Verification", "Wallets"].map((t) => h("th", { scope: "col" }, t)))),
          tbody), "Customers"));
    }
    for (const c of page.data) {
      tbody.append(h("tr", {},
        h("td", {}, h("a", { href: "#/customer/" + encodeURIComponent(c.id), className: "customer-link" }, c.name || c.username || c.id)),
        h("td", { className: "mono" }, c.id),
        h("td", {}, c.type),
        h("td", {}, c.countryCode),
        h("td", {}, h("span", { className: "badge v-" + c.verificationStatus.toLowerCase() }, c.verificationStatus)),
        h("td", {}, String((c.wallets || []).length))));
    }
    results.querySelector(".more")?.remove();
    if (page.hasMore) {
      const last = page.data[page.data.length - 1].id;
      results.append(h("button", { type: "button", className: "more", onclick: () => run(q, last) }, "More customers"));
    }
  }
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = input.value.trim();
    history.replaceState(null, "", q ? "#/search?q=" + encodeURIComponent(q) : "#/search");
    run(q);
  });
  replace(main, h("h1", {}, "Customers"), form, results);
  run(initial.trim());
  return () => { seq++; };
}
