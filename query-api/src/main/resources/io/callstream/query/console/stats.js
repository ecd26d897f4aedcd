// Stats: calls per hour or day, sentiment mix, success rate, AI tokens and cost, as charts with
// their figures beside them for screen readers.

import { api } from "./api.js";
import { go, h, table, when } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 600;
const HEIGHT = 180;

function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  element.append(...children);
  return element;
}

/** Stacked bars of {@code series} over the buckets, scaled to the tallest stack. */
function chart(title, buckets, series, format = (v) => v.toLocaleString("en")) {
  const totals = buckets.map((b) => series.reduce((sum, s) => sum + s.value(b), 0));
  const top = Math.max(1, ...totals);
  const step = WIDTH / Math.max(1, buckets.length);
  const bars = [];
  buckets.forEach((bucket, i) => {
    let y = HEIGHT;
    for (const s of series) {
      const height = (s.value(bucket) / top) * (HEIGHT - 20);
      y -= height;
      bars.push(
        svg(
          "rect",
          { x: i * step + step * 0.15, y, width: step * 0.7, height, fill: s.color },
          svg("title", {}, `${when(bucket.bucket)}: ${s.label} ${format(s.value(bucket))}`),
        ),
      );
    }
  });
  const summary = `${title}: ${buckets.length} periods, highest ${format(top)}`;
  return h(
    "figure",
    { class: "chart card" },
    h("figcaption", {}, title),
    svg(
      "svg",
      { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": summary },
      svg("line", { x1: 0, y1: HEIGHT, x2: WIDTH, y2: HEIGHT, stroke: "#d9dde5" }),
      svg("text", { x: 4, y: 12, "font-size": 12, fill: "#5b6475" }, format(top)),
      ...bars,
    ),
    series.length > 1
      ? h("div", { class: "legend" }, series.map((s) => h("span", { style: `--swatch:${s.color}` }, s.label)))
      : "",
  );
}

export async function render(main, params, signal) {
  const granularity = params.get("granularity") || "day";
  const from = params.get("from") || "";
  const to = params.get("to") || "";
  const form = h(
    "form",
    {
      class: "inline",
      "aria-label": "Period",
      onsubmit: (event) => {
        event.preventDefault();
        go("/stats", Object.fromEntries(new FormData(event.target)));
      },
    },
    h("label", { for: "s-from" }, "From", h("input", { id: "s-from", name: "from", type: "date", value: from })),
    h("label", { for: "s-to" }, "To", h("input", { id: "s-to", name: "to", type: "date", value: to })),
    h(
      "label",
      { for: "s-granularity" },
      "By",
      h(
        "select",
        { id: "s-granularity", name: "granularity" },
        ["hour", "day"].map((g) => h("option", { value: g, selected: g === granularity }, g)),
      ),
    ),
    h("button", { type: "submit" }, "Show"),
  );
  main.replaceChildren(h("h1", {}, "Stats"), form);
  const { buckets } = await api.stats({ granularity, from, to });
  if (signal.aborted) {
    return;
  }
  if (!buckets.length) {
    main.append(h("p", { role: "status" }, "No calls in this period."));
    return;
  }
  const n = (key) => (b) => Number(b[key] || 0);
  main.append(
    h(
      "div",
      { class: "charts" },
      chart("Calls", buckets, [{ label: "calls", color: "#1f5fbf", value: n("calls") }]),
      chart("Sentiment", buckets, [
        { label: "positive", color: "#1e7b34", value: n("positive") },
        { label: "neutral", color: "#9aa3b5", value: n("neutral") },
        { label: "mixed", color: "#d9a441", value: n("mixed") },
        { label: "negative", color: "#b3261e", value: n("negative") },
      ]),
      chart(
        "Success rate",
        buckets,
        [{ label: "successful", color: "#1e7b34", value: (b) => (b.calls ? b.successful / b.calls : 0) * 100 }],
        (v) => `${Math.round(v)}%`,
      ),
      chart("AI tokens", buckets, [
        { label: "input", color: "#1f5fbf", value: n("input_tokens") },
        { label: "output", color: "#7a9fd9", value: n("output_tokens") },
      ]),
      chart("AI cost", buckets, [{ label: "USD", color: "#5b6475", value: n("cost_usd") }], (v) => `$${v.toFixed(4)}`),
    ),
    h(
      "details",
      {},
      h("summary", {}, "Figures"),
      table(
        "Figures per period",
        ["Period", "Calls", "Positive", "Neutral", "Mixed", "Negative", "Successful", "Callbacks", "Tokens in", "Tokens out", "Cost"],
        buckets.map((b) => [
          when(b.bucket, "UTC"),
          b.calls,
          b.positive,
          b.neutral,
          b.mixed,
          b.negative,
          b.successful,
          b.callbacks,
          b.input_tokens,
          b.output_tokens,
          `$${Number(b.cost_usd).toFixed(4)}`,
        ]),
      ),
    ),
  );
}
