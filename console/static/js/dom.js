// DOM and formatting helpers. Every string goes into the page as a text
// node or an attribute value, never as HTML: customer data is untrusted.

// h builds an element: attrs are set as properties when the element has
// one (className, hidden, disabled...), otherwise as attributes ("on*"
// names take a listener); children are nodes or strings (text).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") {
      el.addEventListener(k.slice(2), v);
    } else if (k === "className" || k === "hidden" || k === "disabled" || k === "value" || k === "checked") {
      el[k] = v;
    } else {
      el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// replace empties el and fills it with children.
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// formatUnits turns a base-unit decimal string into token units with
// thousands separators ("1234500", 2 -> "12,345"); exact (BigInt).
export function formatUnits(base, decimals) {
  if (base === undefined || base === null || base === "") return "—";
  let v;
  try { v = BigInt(base); } catch { return String(base); }
  const neg = v < 0n;
  if (neg) v = -v;
  const d = BigInt(decimals || 0);
  const scale = 10n ** d;
  const whole = (v / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  let frac = decimals > 0 ? (v % scale).toString().padStart(decimals, "0").replace(/0+$/, "") : "";
  return (neg ? "-" : "") + whole + (frac ? "." + frac : "");
}

// unitsNumber is a base-unit string in token units as a float, for charts
// only (never for figures shown as text).
export function unitsNumber(base, decimals) {
  try {
    const v = BigInt(base);
    const scale = 10n ** BigInt(decimals || 0);
    return Number(v / scale) + Number(v % scale) / Number(scale);
  } catch { return 0; }
}

// amount is a figure: token units as text, base units on hover.
export function amount(base, token, extra = {}) {
  const el = h("span", { className: "amount", ...extra });
  setAmount(el, base, token);
  return el;
}

// setAmount updates a figure; it reports whether the value changed.
export function setAmount(el, base, token) {
  const before = el.dataset.base;
  el.dataset.base = base ?? "";
  el.textContent = formatUnits(base, token ? token.decimals : 0);
  el.title = (base ?? "—") + " base units" + (token ? " (" + token.decimals + " decimals)" : "");
  return before !== undefined && before !== "" && before !== el.dataset.base;
}

// flash marks el as just changed (a CSS animation), restarting it if
// it is running.
export function flash(el) {
  el.classList.remove("flash");
  void el.offsetWidth;
  el.classList.add("flash");
}

export function formatTime(rfc3339) {
  if (!rfc3339) return "—";
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z").replace(/Z$/, " UTC");
}

export function shortHex(s) {
  return s && s.length > 14 ? s.slice(0, 8) + "…" + s.slice(-6) : s || "";
}

// tableWrap puts a table in a horizontally scrolling box for small screens.
export function tableWrap(table, label) {
  return h("div", { className: "table-wrap", role: "region", "aria-label": label, tabindex: "0" }, table);
}
