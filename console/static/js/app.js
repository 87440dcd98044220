// The console's entry point: session check, sign-in, the hash router and
// the node-status banner.
import { h, replace } from "./dom.js";
import { state, loadSession, signIn, signOut, hasScope, loadTokens, APIError } from "./api.js";
import { searchPage } from "./search.js";
import { customerPage } from "./customer.js";
import { frozenPage } from "./frozen.js";
import { webhooksPage } from "./webhooks.js";

const main = document.getElementById("main");
const banner = document.getElementById("banner");
let teardown = null; // the current page's clean-up (streams, timers)

// setBanner shows (text) or hides (null) the page-wide alert.
export function setBanner(text) {
  banner.hidden = !text;
  banner.textContent = text || "";
}

// The node status: /readyz says whether the chain check passes; the pages
// mark their figures stale while it does not.
let nodeDown = false;
const nodeListeners = new Set();
export function onNodeStatus(fn) { nodeListeners.add(fn); fn(nodeDown); return () => nodeListeners.delete(fn); }
async function checkNode() {
  let down = false;
  try {
    const res = await fetch("/readyz", { cache: "no-store", credentials: "omit" });
    const body = await res.json().catch(() => null);
    const chain = body && (body.checks || []).find((c) => c.name === "chain");
    down = !!(chain && chain.status !== "ok");
  } catch { down = true; }
  if (down !== nodeDown) {
    nodeDown = down;
    setBanner(down ? "The chain node is unreachable: figures shown are the last known and marked stale." : null);
    for (const fn of nodeListeners) fn(down);
  }
}

function showNav(on) {
  document.getElementById("nav").hidden = !on;
  document.getElementById("who").hidden = !on;
  document.querySelector('[data-nav="webhooks"]').hidden = !(on && hasScope("admin"));
  if (on) {
    document.getElementById("who-key").textContent = "key " + state.session.key + " (" + state.session.scopes.join(", ") + ")";
  }
}

function signInPage() {
  showNav(false);
  const input = h("input", { id: "key", name: "key", type: "password", autocomplete: "off", required: true,
    spellcheck: "false", "aria-describedby": "key-help" });
  const error = h("p", { className: "error", id: "sign-in-error", role: "alert", hidden: true });
  const button = h("button", { type: "submit" }, "Sign in");
  // method and action only matter if a submit ever went past the script:
  // then the key goes in a POST body the server refuses (415), never in
  // a URL.
  const form = h("form", { id: "sign-in", className: "card narrow", method: "post", action: "/ui/session" },
    h("h1", { tabindex: "-1" }, "Sign in"),
    h("label", { for: "key" }, "API key"),
    input,
    h("p", { className: "help", id: "key-help" },
      "The key is exchanged for a session cookie and not kept by this page. Sessions end at sign-out, after their lifetime, or when the server restarts."),
    error, button);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    error.hidden = true;
    try {
      await signIn(input.value);
      input.value = "";
      await route();
    } catch (err) {
      error.textContent = err instanceof APIError && err.status === 401 ? "That key is not valid." : "Sign-in failed: " + err.message;
      error.hidden = false;
      input.value = "";
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
  replace(main, form);
  input.focus();
}

async function route() {
  if (teardown) { teardown(); teardown = null; }
  if (!state.session) { signInPage(); return; }
  showNav(true);
  try { await loadTokens(); } catch (err) { /* pages say so on their own reads */ }
  const [path, query] = (location.hash || "#/search").split("?");
  const [, page, arg] = path.split("/");
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === (page === "customer" ? "search" : page)) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const ctx = { main, onNodeStatus, setBanner };
  switch (page) {
    case "customer": teardown = customerPage(ctx, decodeURIComponent(arg || "")); break;
    case "frozen": teardown = frozenPage(ctx, decodeURIComponent(arg || "")); break;
    case "webhooks": teardown = webhooksPage(ctx); break;
    default: teardown = searchPage(ctx, new URLSearchParams(query || "").get("q") || "");
  }
  const heading = main.querySelector("h1");
  if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
}

document.getElementById("sign-out").addEventListener("click", async () => {
  try { await signOut(); } catch { /* signed out here either way */ }
  location.hash = "#/search";
  await route();
});
window.addEventListener("hashchange", () => { route(); });
window.addEventListener("signed-out", () => {
  if (state.session) { state.session = null; route(); }
});

async function start() {
  try {
    await loadSession();
  } catch (err) {
    replace(main, h("p", { className: "error", role: "alert" }, "The server could not be reached: " + err.message));
    return;
  }
  await route();
  checkNode();
  setInterval(checkNode, 5000);
}
start();
