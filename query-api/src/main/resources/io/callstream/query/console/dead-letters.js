// Dead letters: grouped by reason and stage; a group's entries with their error history; the
// operator redrives a group or chosen calls, after a confirmation, and sees the result.

import { api, session } from "./api.js";
import { go, h, table, when } from "./dom.js";

/** What the last redrive did, shown once on the page it returns to. */
let flash = null;

export async function render(main, params, signal) {
  const reason = params.get("reason");
  const stage = params.get("stage");
  const operator = session().role === "operator";
  const all = await api.deadLetters({ limit: 500 });
  if (signal.aborted) {
    return;
  }
  main.replaceChildren(h("h1", {}, "Dead letters"), h("div", { id: "redrive-result", role: "status" }));
  if (flash) {
    main.querySelector("#redrive-result").append(h("p", { class: "card", id: "redriven" }, flash));
    flash = null;
  }
  if (!all.groups.length) {
    main.append(h("p", { id: "no-dead-letters" }, "Nothing failed that was not sent back."));
    return;
  }
  main.append(
    table(
      "What failed and was not redriven, by reason and stage",
      ["Reason", "Stage", "Count", "First seen", "Last seen", ""],
      all.groups.map((g) => [
        g.reason,
        g.stage,
        g.count,
        when(g.first_seen),
        when(g.last_seen),
        h("a", { href: `#/dead-letters?reason=${encodeURIComponent(g.reason)}&stage=${g.stage}` }, "open"),
      ]),
    ),
  );
  if (!reason) {
    return;
  }
  const { entries } = await api.deadLetters({ reason, stage, limit: 500 });
  if (signal.aborted) {
    return;
  }
  const chosen = new Set();
  const result = main.querySelector("#redrive-result");
  const section = h(
    "section",
    { "aria-labelledby": "group-h", id: "group" },
    h("h2", { id: "group-h" }, `${reason} at ${stage || "any stage"} (${entries.length})`),
    h(
      "ul",
      { class: "hits" },
      entries.map((e) =>
        h(
          "li",
          {},
          operator
            ? h(
                "label",
                {},
                h("input", {
                  type: "checkbox",
                  value: e.call_id,
                  onchange: (event) =>
                    event.target.checked ? chosen.add(e.call_id) : chosen.delete(e.call_id),
                }),
                ` call ${e.call_id}`,
              )
            : h("span", {}, `call ${e.call_id}`),
          " · ",
          h("a", { href: `#/calls/${e.call_id}` }, "open call"),
          h("p", { class: "muted" }, `${e.tenant_id || "no tenant"} · dead-lettered ${when(e.dead_lettered_at)}`),
          h(
            "details",
            {},
            h("summary", {}, `Error history (${(e.errors || []).length})`),
            h("ol", {}, (e.errors || []).map((x) => h("li", {}, `${when(x.at)} · ${x.stage} try ${x.attempt} · ${x.reason}: ${x.message}`))),
          ),
        ),
      ),
    ),
  );
  main.append(section);
  if (!operator) {
    section.append(h("p", { class: "muted" }, "An operator key can send these back."));
    return;
  }
  const confirm = (what, body) => {
    const box = h(
      "div",
      { class: "card confirm", role: "alertdialog", "aria-labelledby": "confirm-text" },
      h("p", { id: "confirm-text" }, `Redrive ${what}? Each goes back to the stage that failed.`),
      h(
        "button",
        {
          type: "button",
          id: "confirm-redrive",
          class: "danger",
          onclick: async () => {
            box.remove();
            try {
              const answer = await api.redrive(body);
              flash = `Redriven ${(answer.redriven || []).length}.`;
              go("/dead-letters", {});
            } catch (e) {
              result.textContent = `The redrive failed: ${e.message}`;
            }
          },
        },
        "Redrive",
      ),
      " ",
      h("button", { type: "button", class: "quiet", onclick: () => box.remove() }, "Cancel"),
    );
    section.append(box);
    box.querySelector("button").focus();
  };
  section.append(
    h(
      "div",
      { class: "pager" },
      h("button", { type: "button", id: "redrive-group", onclick: () => confirm(`every dead letter of ${reason}`, { reason }) }, "Redrive this group"),
      h(
        "button",
        {
          type: "button",
          class: "quiet",
          id: "redrive-chosen",
          onclick: () => {
            if (!chosen.size) {
              result.textContent = "Choose calls first.";
              return;
            }
            confirm(`${chosen.size} chosen calls`, { calls: [...chosen] });
          },
        },
        "Redrive chosen calls",
      ),
    ),
  );
}
