// The query API as the console uses it: the key of this browser session, and requests that turn
// a problem document into an error saying what went wrong.

const STORE = "callstream.session";

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
  }
}

/** The signed-in reader: key, role, tenant (or the operator's chosen one) and time zone. */
export function session() {
  const saved = sessionStorage.getItem(STORE);
  return saved ? JSON.parse(saved) : null;
}

export function saveSession(value) {
  if (value) {
    sessionStorage.setItem(STORE, JSON.stringify(value));
  } else {
    sessionStorage.removeItem(STORE);
  }
}

/** Asks the API who {@code key} reads as. */
export async function signIn(key) {
  const me = await request("/v1/me", {}, { key });
  const reader = { key, role: me.role };
  if (me.role === "operator") {
    reader.tenants = me.tenants;
    reader.tenant = me.tenants.length ? me.tenants[0].tenant : null;
    reader.zone = me.tenants.length ? me.tenants[0].time_zone : null;
  } else {
    reader.tenant = me.tenant;
    reader.zone = me.time_zone;
  }
  saveSession(reader);
  return reader;
}

/** The operator reads the tenant it chose; a tenant key reads its own. */
function scoped(params) {
  const reader = session();
  if (reader && reader.role === "operator" && reader.tenant && !("tenant" in params)) {
    return { ...params, tenant: reader.tenant };
  }
  return params;
}

function url(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") {
      query.set(name, value);
    }
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

async function problem(response) {
  let title = `The API answered ${response.status}`;
  let detail = "";
  try {
    const body = await response.json();
    title = body.title || title;
    detail = body.detail || "";
  } catch {
    // not a problem document: the status says enough
  }
  return new ApiError(response.status, title, detail);
}

async function request(path, params, options = {}) {
  const key = options.key || session()?.key;
  let response;
  try {
    response = await fetch(url(path, params), {
      method: options.method || "GET",
      headers: {
        Authorization: `Bearer ${key}`,
        ...(options.body ? { "Content-Type": "application/json" } : {}),
        ...(options.accept ? { Accept: options.accept } : {}),
      },
      body: options.body ? JSON.stringify(options.body) : undefined,
      signal: options.signal,
    });
  } catch (e) {
    if (e.name === "AbortError") {
      throw e;
    }
    throw new ApiError(0, "The query API cannot be reached", e.message);
  }
  if (!response.ok) {
    throw await problem(response);
  }
  return options.raw ? response : response.json();
}

export const api = {
  search: (params) => request("/v1/search", scoped(params)),
  calls: (params) => request("/v1/calls", scoped(params)),
  call: (id) => request(`/v1/calls/${encodeURIComponent(id)}`, scoped({})),
  similar: (id) => request(`/v1/calls/${encodeURIComponent(id)}/similar`, scoped({ k: 5 })),
  callbacks: (params) => request("/v1/callbacks", scoped(params)),
  stats: (params) => request("/v1/stats", scoped(params)),
  deadLetters: (params) => request("/v1/dead-letters", params),
  redrive: (body) => request("/v1/dead-letters/redrive", {}, { method: "POST", body }),

  /** The call's recording as an object URL the audio element can seek in. */
  async audio(id) {
    const response = await request(`/v1/calls/${encodeURIComponent(id)}/audio`, scoped({}), {
      raw: true,
    });
    return URL.createObjectURL(await response.blob());
  },

  /**
   * Follows the events stream, calling {@code onEvent(name, data)} for each event, until {@code
   * signal} aborts; reconnects after a drop from the last event it saw.
   */
  async events(onEvent, signal) {
    let last = null;
    while (!signal.aborted) {
      try {
        const response = await fetchEvents(last, signal);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          buffer += value;
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = parseEvent(block);
            if (event.id) {
              last = event.id;
            }
            if (event.data) {
              onEvent(event.name, JSON.parse(event.data));
            }
          }
        }
      } catch (e) {
        if (signal.aborted) {
          return;
        }
        if (e instanceof ApiError && e.status !== 0 && e.status < 500) {
          throw e;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  },
};

async function fetchEvents(last, signal) {
  const key = session()?.key;
  const headers = { Authorization: `Bearer ${key}`, Accept: "text/event-stream" };
  if (last) {
    headers["Last-Event-ID"] = last;
  }
  const response = await fetch(url("/v1/events", scoped({})), { headers, signal });
  if (!response.ok) {
    throw await problem(response);
  }
  return response;
}

function parseEvent(block) {
  const event = { name: "message", data: "", id: null };
  for (const line of block.split("\n")) {
    const colon = line.indexOf(":");
    if (colon === 0) {
      continue; // a comment: keep-alive
    }
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") {
      event.name = value;
    } else if (field === "data") {
      event.data += value;
    } else if (field === "id") {
      event.id = value;
    }
  }
  return event;
}
