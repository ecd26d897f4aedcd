// Calls: a filterable list, newest first, a page at a time.

import { api } from "./api.js";
import { badge, duration, go, h, table, when } from "./dom.js";

const FILTERS = ["from", "to", "sentiment", "success", "has_callback", "provider", "agent", "q"];

function choice(name, label, options, value) {
  return h(
    "label",
    { for: `f-${name}` },
    label,
    h(
      "select",
      { id: `f-${name}`, name },
      h("option", { value: "" }, "any"),
      options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)),
    ),
  );
}

function field(name, label, type, value) {
  return h("label", { for: `f-${name}` }, label, h("input", { id: `f-${name}`, name, type, value }));
}

export async function render(main, params, signal) {
  const chosen = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) || ""]));
  const form = h(
    "form",
    {
      class: "inline",
      "aria-label": "Filter calls",
      onsubmit: (event) => {
        event.preventDefault();
        go("/calls", Object.fromEntries(new FormData(event.target)));
      },
    },
    field("from", "From", "date", chosen.from),
    field("to", "To", "date", chosen.to),
    choice(
      "sentiment",
      "Sentiment",
      ["POSITIVE", "NEUTRAL", "NEGATIVE", "MIXED"].map((s) => [s, s.toLowerCase()]),
      chosen.sentiment,
    ),
    choice(
      "success",
      "Success",
      [["SUCCESSFUL", "successful"], ["UNSUCCESSFUL", "unsuccessful"], ["UNKNOWN", "unknown"]],
      chosen.success,
    ),
    choice("has_callback", "Callback", [["true", "asked"], ["false", "none"]], chosen.has_callback),
    choice(
      "provider",
      "Provider",
      ["ELEVENLABS", "VAPI", "RETELL", "TWILIO", "TELNYX", "GENERIC"].map((p) => [p, p.toLowerCase()]),
      chosen.provider,
    ),
    field("agent", "Agent", "text", chosen.agent),
    field("q", "Title or summary", "text", chosen.q),
    h("button", { type: "submit" }, "Filter"),
  );
  main.replaceChildren(h("h1", {}, "Calls"), form);
  const query = { ...chosen, limit: 25, cursor: params.get("cursor") };
  const page = await api.calls(query);
  if (signal.aborted) {
    return;
  }
  const rows = page.calls.map((c) => [
    h("a", { href: `#/calls/${c.call_id}` }, c.title || "Untitled call"),
    when(c.ended_at),
    c.provider?.toLowerCase(),
    c.direction?.toLowerCase(),
    badge(c.sentiment, c.sentiment?.toLowerCase()),
    badge(c.success, c.success?.toLowerCase()),
    duration(c.duration_ms),
    c.callback ? when(c.callback.due_at, c.callback.time_zone) : "",
  ]);
  main.append(
    page.calls.length
      ? table(
          "Calls, newest first",
          ["Call", "Ended", "Provider", "Direction", "Sentiment", "Success", "Length", "Callback"],
          rows,
        )
      : h("p", { role: "status" }, "No calls match."),
    h(
      "div",
      { class: "pager" },
      params.get("cursor") ? h("a", { href: "#/calls", class: "quiet" }, "First page") : "",
      page.next_cursor
        ? h(
            "button",
            { type: "button", onclick: () => go("/calls", { ...chosen, cursor: page.next_cursor }) },
            "Next page",
          )
        : "",
    ),
  );
}
