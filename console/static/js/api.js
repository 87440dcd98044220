// The API client. The console signs in once (POST /ui/session): from then
// on the browser sends the HttpOnly session cookie, which script cannot
// read; the key itself is never kept. The anti-CSRF token lives in memory
// only and goes with every write.

export const state = { session: null, tokens: [] };

export class APIError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || "HTTP " + status);
    this.status = status;
    this.code = e.code || "";
    this.param = e.param || "";
    this.requestId = e.requestId || "";
  }
}

export class NetworkError extends Error {}

// request sends method path (a body as JSON), returning the decoded body
// and the response; a non-2xx answer throws an APIError, a failed
// connection a NetworkError.
export async function request(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && state.session) headers["X-CSRF-Token"] = state.session.csrfToken;
  let res;
  try {
    res = await fetch(path, { method, headers, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new NetworkError("the server could not be reached");
  }
  let data = null;
  const text = await res.text();
  if (text) { try { data = JSON.parse(text); } catch { data = null; } }
  if (!res.ok) {
    const err = new APIError(res.status, data);
    if (res.status === 401 && path !== "/ui/session") window.dispatchEvent(new CustomEvent("signed-out"));
    throw err;
  }
  return { data, res };
}

export const get = (path) => request("GET", path).then((r) => r.data);

export async function loadSession() {
  try {
    state.session = await get("/ui/session");
  } catch (err) {
    if (err instanceof APIError && err.status === 401) state.session = null;
    else throw err;
  }
  return state.session;
}

// checkSession signs the page out when its session has ended (a stream
// that the server closed for good, for example).
export async function checkSession() {
  try {
    await get("/ui/session");
  } catch (err) {
    if (err instanceof APIError && err.status === 401) window.dispatchEvent(new CustomEvent("signed-out"));
  }
}

export async function signIn(key) {
  const { data } = await request("POST", "/ui/session", { key });
  state.session = data;
  return data;
}

export async function signOut() {
  try { await request("DELETE", "/ui/session"); } finally { state.session = null; }
}

export function hasScope(s) {
  return !!(state.session && state.session.scopes.includes(s));
}

export async function loadTokens() {
  if (state.tokens.length) return state.tokens;
  const list = await get("/tokens");
  state.tokens = list.data || [];
  return state.tokens;
}

export function tokenOf(address) {
  return state.tokens.find((t) => t.address === (address || "").toLowerCase());
}
