// Callbacks: overdue, due within a day, and later, in each callback's own zone.

import { api } from "./api.js";
import { h, table, when } from "./dom.js";

export async function render(main, params, signal) {
  const { callbacks } = await api.callbacks({ limit: 500 });
  if (signal.aborted) {
    return;
  }
  const now = Date.now();
  const waiting = callbacks.filter((c) => c.state !== "CANCELED");
  const groups = [
    ["Overdue", waiting.filter((c) => Date.parse(c.due_at) < now)],
    ["Due within 24 hours", waiting.filter((c) => Date.parse(c.due_at) >= now && Date.parse(c.due_at) < now + 86_400_000)],
    ["Later", waiting.filter((c) => Date.parse(c.due_at) >= now + 86_400_000)],
  ];
  main.replaceChildren(h("h1", {}, "Callbacks"));
  for (const [title, list] of groups) {
    main.append(
      h(
        "section",
        { "aria-label": title },
        h("h2", {}, `${title} (${list.length})`),
        list.length
          ? table(
              title,
              ["Due", "Phone", "Reason", "Said", "Call"],
              list.map((c) => [
                when(c.due_at, c.time_zone),
                c.phone_number || "",
                c.reason || "",
                c.phrase ? `“${c.phrase}”` : "",
                h("a", { href: `#/calls/${c.call_id}` }, "open call"),
              ]),
            )
          : h("p", { class: "muted" }, "None."),
      ),
    );
  }
}
