// Building the page: elements from plain values (text is always text, never parsed as HTML),
// times in the tenant's zone, and the small pieces every view shares.

import { session } from "./api.js";

/** An element with attributes ({@code on*} functions become listeners) and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Search's passage: the API marks matched terms with {@code <mark>}; everything else in it is the
 * transcript's own text and is shown as text.
 */
export function marked(text) {
  const parts = String(text || "").split(/(<mark>|<\/mark>)/);
  const nodes = [];
  let inside = false;
  for (const part of parts) {
    if (part === "<mark>") {
      inside = true;
    } else if (part === "</mark>") {
      inside = false;
    } else if (part) {
      nodes.push(inside ? h("mark", {}, part) : document.createTextNode(part));
    }
  }
  return nodes;
}

/** The zone times are shown in: the tenant's, else this browser's. */
export function zone() {
  return session()?.zone || Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** A time in {@code timeZone} (default: the tenant's), as a person reads it. */
export function when(value, timeZone = zone()) {
  if (!value) {
    return "";
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    return String(value);
  }
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(date);
}

/** A position in a call, as m:ss. */
export function clock(ms) {
  const seconds = Math.max(0, Math.floor((ms || 0) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

export function duration(ms) {
  if (ms === null || ms === undefined) {
    return "";
  }
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export function badge(value, label = value) {
  return value ? h("span", { class: `badge ${value}` }, label) : "";
}

/** A definition list of the facts that have a value. */
export function facts(entries) {
  return h(
    "dl",
    { class: "facts" },
    entries
      .filter(([, value]) => value !== null && value !== undefined && value !== "")
      .map(([term, value]) => h("div", {}, h("dt", {}, term), h("dd", {}, value))),
  );
}

/** A table from column titles and rows of cells. */
export function table(caption, columns, rows) {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      {},
      h("caption", { class: "muted", style: "text-align:left" }, caption),
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((c) => h("td", {}, c))))),
    ),
  );
}

/** The hash route's path and parameters. */
export function route() {
  const hash = location.hash.replace(/^#/, "") || "/search";
  const [path, query] = hash.split("?");
  return { path, params: new URLSearchParams(query || "") };
}

export function go(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") {
      query.set(name, value);
    }
  }
  const text = query.toString();
  location.hash = text ? `${path}?${text}` : path;
}
