// One call: its facts in the tenant's zone, summary, pipeline state, recording, transcript with
// clickable times (a click seeks the recording), document and similar calls.

import { api } from "./api.js";
import { badge, clock, duration, facts, h, when } from "./dom.js";

/** The transcript as turns with times: the recording's segments, else the chunks. */
function turns(call) {
  const segments = call.transcript?.segments;
  if (segments && segments.length) {
    return segments.map((s) => ({ speaker: s.speaker, text: s.text, start: s.start_ms }));
  }
  return (call.chunks || []).map((c) => ({ speaker: c.speaker, text: c.text, start: c.start_ms }));
}

function party(parties, role) {
  const p = (parties || []).find((x) => x.role === role);
  return p ? [p.name, p.phone_number].filter(Boolean).join(" ") : "";
}

function pipeline(state) {
  if (!state) {
    return "";
  }
  const lines = [];
  if (state.state === "completed") {
    lines.push(`Done ${when(state.since)}.`);
  } else if (state.state === "retrying") {
    lines.push(
      `Waiting on the ${state.tier} retry tier after ${state.stage} failed (try ${state.attempt}); runs again ${when(state.due_at)}.`,
    );
  } else if (state.state === "dead_lettered") {
    lines.push(`Dead-lettered at ${state.stage}: ${state.reason}, ${when(state.since)}.`);
  } else if (state.state === "redriven") {
    lines.push(`Sent back to ${state.stage} ${when(state.since)}; not done yet.`);
  }
  const errors = state.errors || [];
  return h(
    "section",
    { "aria-labelledby": "pipeline-h" },
    h("h2", { id: "pipeline-h" }, "Pipeline ", badge(state.state, state.state.replace("_", " "))),
    h("p", { id: "pipeline-state" }, lines),
    errors.length
      ? h(
          "details",
          {},
          h("summary", {}, `${errors.length} failed tries`),
          h(
            "ol",
            {},
            errors.map((e) =>
              h("li", {}, `${when(e.at)} · ${e.stage} try ${e.attempt} · ${e.reason}: ${e.message}`),
            ),
          ),
        )
      : "",
  );
}

export async function render(main, params, signal, path) {
  const id = decodeURIComponent(path.slice("/calls/".length));
  const call = await api.call(id);
  if (signal.aborted) {
    return;
  }
  const title = call.title || (call.ended_at ? "Untitled call" : "Call not enriched yet");
  const callback = call.callback;
  const sentiments = (call.speaker_sentiments || [])
    .map((s) => `${s.role.toLowerCase()} ${s.sentiment.toLowerCase()}`)
    .join(", ");
  main.replaceChildren(
    h("h1", {}, title),
    h(
      "section",
      { "aria-label": "Facts" },
      facts([
        ["Caller", party(call.parties, "CALLER")],
        ["Called", party(call.parties, "CALLEE")],
        ["Agent", call.agent_id],
        ["Provider", call.provider?.toLowerCase()],
        ["Direction", call.direction?.toLowerCase()],
        ["Started", when(call.started_at)],
        ["Ended", when(call.ended_at)],
        ["Length", duration(call.duration_ms)],
        ["Sentiment", call.sentiment ? [badge(call.sentiment, call.sentiment.toLowerCase()), sentiments ? ` (${sentiments})` : ""] : ""],
        ["Success", call.success ? [badge(call.success, call.success.toLowerCase()), call.success_reason ? ` — ${call.success_reason}` : ""] : ""],
        ["Callback due", callback ? `${when(callback.due_at, callback.time_zone)}${callback.phrase ? ` (“${callback.phrase}”)` : ""}` : ""],
        ["Topics", (call.topics || []).join(", ")],
        ["Model", call.model ? `${call.model} · prompt ${call.prompt_version}` : ""],
        ["Cost", call.cost_usd !== undefined ? `$${Number(call.cost_usd).toFixed(4)} · ${call.input_tokens ?? 0} + ${call.output_tokens ?? 0} tokens` : ""],
      ]),
    ),
    call.summary ? h("section", { "aria-labelledby": "summary-h" }, h("h2", { id: "summary-h" }, "Summary"), h("p", {}, call.summary)) : "",
    (call.action_items || []).length
      ? h("section", {}, h("h2", {}, "Action items"), h("ul", {}, call.action_items.map((a) => h("li", {}, a))))
      : "",
    pipeline(call.pipeline),
  );

  let audio = null;
  if ((call.recordings || []).length) {
    audio = h("audio", { id: "audio", controls: true, preload: "auto", "aria-label": "Recording" });
    main.append(h("section", { "aria-labelledby": "rec-h" }, h("h2", { id: "rec-h" }, "Recording"), audio));
    api
      .audio(id)
      .then((src) => {
        audio.src = src;
        const start = Number(params.get("t"));
        if (start > 0) {
          seek(audio, start);
        }
      })
      .catch((e) => audio.replaceWith(h("p", { class: "muted" }, `The recording cannot be played: ${e.message}`)));
  }

  const list = turns(call);
  const at = Number(params.get("t") || -1);
  const items = list.map((turn) =>
    h(
      "li",
      { class: turn.start === at ? "current" : null },
      h(
        "button",
        {
          type: "button",
          class: "time",
          "data-ms": turn.start ?? 0,
          "aria-label": `Play from ${clock(turn.start)}`,
          onclick: (event) => {
            for (const li of event.target.closest("ol").children) {
              li.classList.remove("current");
            }
            event.target.closest("li").classList.add("current");
            if (audio) {
              seek(audio, turn.start ?? 0);
            }
          },
        },
        clock(turn.start),
      ),
      h("span", { class: "speaker" }, turn.speaker || ""),
      h("span", { class: "text" }, turn.text),
    ),
  );
  main.append(
    h(
      "section",
      { "aria-labelledby": "transcript-h" },
      h("h2", { id: "transcript-h" }, "Transcript"),
      items.length ? h("ol", { class: "turns", id: "transcript" }, items) : h("p", { class: "muted" }, "No transcript."),
    ),
  );
  main.querySelector("#transcript li.current")?.scrollIntoView({ block: "center" });

  if (call.document) {
    main.append(
      h(
        "section",
        { "aria-labelledby": "doc-h" },
        h("h2", { id: "doc-h" }, call.document.title || "Document"),
        h("pre", { class: "document" }, call.document.markdown),
      ),
    );
  }
  if (call.ended_at) {
    const similar = h("section", { "aria-labelledby": "similar-h" }, h("h2", { id: "similar-h" }, "Similar calls"));
    main.append(similar);
    api
      .similar(id)
      .then(({ calls }) => {
        if (!signal.aborted) {
          similar.append(
            calls.length
              ? h("ul", {}, calls.map((c) => h("li", {}, h("a", { href: `#/calls/${c.call_id}` }, c.title || "Untitled call"), c.summary ? ` — ${c.summary}` : "")))
              : h("p", { class: "muted" }, "None yet."),
          );
        }
      })
      .catch((e) => similar.append(h("p", { class: "muted" }, e.message)));
  }
}

/** Moves the recording to {@code ms}, once it knows its length, and plays from there. */
function seek(audio, ms) {
  const apply = () => {
    audio.currentTime = ms / 1000;
    audio.play().catch(() => {});
  };
  if (audio.readyState >= 1) {
    apply();
  } else {
    audio.addEventListener("loadedmetadata", apply, { once: true });
  }
}
