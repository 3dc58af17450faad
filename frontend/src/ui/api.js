// api.js - the HTTP API of SPEC section 4, from the page. Same origin only,
// no cookies (credentials: 'omit'; 'same-origin' only where a logout must
// let Clear-Site-Data act), bearer tokens held by the caller in page
// memory. Errors become ApiError with the server's code, field and (where
// the server gives one, as the statistics refusals do) reason; the
// server's message text is never shown (pages translate code and reason).

export class ApiError extends Error {
  constructor(status, code, field, retryAfter, reason) {
    super(`api: ${status} ${code}`);
    this.status = status;
    this.code = code;
    this.field = field ?? null;
    this.retryAfter = retryAfter ?? null;
    this.reason = reason ?? null;
  }
}

/** A network failure (offline, connection reset): safe to retry. */
export class NetworkError extends Error {
  constructor() {
    super('api: network error');
    this.code = 'network';
  }
}

// Listeners told about every answer to a request that carried a token:
// fn({token, ok, status}). The session keeper (ui/session.js) counts the
// idle time from the last successful one and treats a 401 as expiry.
const tokenWatchers = new Set();

/** Calls fn({token, ok, status}) after each answer to a token-bearing request; returns the unsubscribe. */
export function watchTokens(fn) {
  tokenWatchers.add(fn);
  return () => tokenWatchers.delete(fn);
}

function tellWatchers(token, res) {
  for (const fn of tokenWatchers) {
    try { fn({ token, ok: res.ok, status: res.status }); } catch { /* a watcher's problem is its own */ }
  }
}

/**
 * request('POST', '/api/v1/reports', {body, token, headers, raw}) → parsed
 * JSON (or null for 204; an ArrayBuffer with raw: true). `body` is JSON-
 * encoded unless it is a Uint8Array/Blob (sent as application/octet-stream).
 * `clearSiteData: true` sends the request in credentials mode same-origin
 * (there are still no cookies to send), the mode in which the browser obeys
 * a `Clear-Site-Data` answer, as the logout endpoints give; in mode omit the
 * browser ignores that header and reports an error in the console.
 */
export async function request(method, path, { body, token, headers = {}, raw = false, clearSiteData = false } = {}) {
  if (!path.startsWith('/api/v1/')) throw new Error('api: path outside /api/v1');
  const h = { ...headers };
  let payload;
  if (body instanceof Uint8Array || body instanceof Blob) {
    h['Content-Type'] = 'application/octet-stream';
    payload = body;
  } else if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  if (token) h.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, {
      method, headers: h, body: payload, credentials: clearSiteData ? 'same-origin' : 'omit', cache: 'no-store',
      redirect: 'error', referrerPolicy: 'no-referrer', mode: 'same-origin',
    });
  } catch {
    throw new NetworkError();
  }
  if (token) tellWatchers(token, res);
  if (!res.ok) {
    let code = 'unknown';
    let field;
    let reason;
    try {
      const j = await res.json();
      if (typeof j?.error?.code === 'string') code = j.error.code;
      if (typeof j?.error?.field === 'string') field = j.error.field;
      if (typeof j?.error?.reason === 'string' && /^[a-z_]{1,32}$/.test(j.error.reason)) reason = j.error.reason;
    } catch { /* not JSON */ }
    throw new ApiError(res.status, code, field, res.headers.get('Retry-After'), reason);
  }
  if (raw) return res.arrayBuffer();
  if (res.status === 204) return null;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

export const get = (path, opts) => request('GET', path, opts);
export const post = (path, body, opts = {}) => request('POST', path, { ...opts, body });
export const put = (path, body, opts = {}) => request('PUT', path, { ...opts, body });
export const patch = (path, body, opts = {}) => request('PATCH', path, { ...opts, body });
export const del = (path, opts) => request('DELETE', path, opts);

/** Query string from an object (values encoded; undefined left out). */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
