// Live: calls as they are enriched or dead-lettered, from the events stream, without reloading.

import { api } from "./api.js";
import { badge, h, when } from "./dom.js";

export async function render(main, params, signal) {
  const list = h("ol", { class: "live", id: "live", "aria-live": "polite", reversed: true });
  const status = h("p", { class: "muted", role: "status" }, "Listening for calls…");
  main.replaceChildren(h("h1", {}, "Live"), status, list);
  api
    .events((name, event) => {
      const item =
        name === "enriched"
          ? h(
              "li",
              { "data-call": event.call_id },
              badge("completed", "enriched"),
              " ",
              h("a", { href: `#/calls/${event.call_id}` }, event.title || "Untitled call"),
              ` · ${event.provider.toLowerCase()} · ${when(event.ended_at)} · `,
              badge(event.sentiment, event.sentiment.toLowerCase()),
              event.summary ? h("p", { class: "muted" }, event.summary) : "",
            )
          : h(
              "li",
              { "data-call": event.call_id },
              badge("dead_lettered", "dead-lettered"),
              ` ${event.stage}: ${event.reason} · `,
              h("a", { href: `#/calls/${event.call_id}` }, "open call"),
            );
      list.prepend(item);
      status.textContent = `${list.children.length} calls since you opened this page.`;
    }, signal)
    .catch((e) => {
      if (!signal.aborted) {
        status.textContent = `The live stream stopped: ${e.message}`;
      }
    });
}
