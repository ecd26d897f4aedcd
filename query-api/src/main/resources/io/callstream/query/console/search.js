// Search: one box; hits read like a search engine's, each opening the call at its moment.

import { api } from "./api.js";
import { clock, go, h, marked } from "./dom.js";

export async function render(main, params, signal) {
  const q = params.get("q") || "";
  const box = h("input", {
    id: "q",
    type: "search",
    name: "q",
    value: q,
    maxlength: 1000,
    placeholder: "a question, a phrase, an order number…",
  });
  const form = h(
    "form",
    {
      class: "inline",
      role: "search",
      onsubmit: (event) => {
        event.preventDefault();
        go("/search", { q: box.value.trim() });
      },
    },
    h("label", { for: "q" }, "Search calls", box),
    h("button", { type: "submit" }, "Search"),
  );
  main.replaceChildren(h("h1", {}, "Search"), form);
  if (!q) {
    box.focus();
    return;
  }
  const { hits } = await api.search({ q, k: 20 });
  if (signal.aborted) {
    return;
  }
  main.append(
    h("p", { class: "muted", role: "status" }, `${hits.length} passages for “${q}”`),
    h(
      "ol",
      { class: "hits", id: "hits" },
      hits.map((hit) =>
        h(
          "li",
          { "data-call": hit.call_id },
          h(
            "a",
            {
              class: "title",
              href: `#/calls/${hit.call_id}?t=${hit.start_ms ?? 0}`,
            },
            hit.title || "Untitled call",
          ),
          h("p", { class: "passage" }, marked(hit.text)),
          h(
            "p",
            { class: "muted" },
            [hit.speaker, hit.start_ms !== null ? `at ${clock(hit.start_ms)}` : null]
              .filter(Boolean)
              .join(" · "),
            hit.summary ? ` — ${hit.summary}` : "",
          ),
        ),
      ),
    ),
  );
}
