// The data-quality page: completeness, match failures per source, duplicates that come back.
"use strict";

const REPORT = `query Quality {
  qualityReport {
    generatedAt records activeCustomers
    fieldFailures { field missing invalid failed rate }
    sources { source records matched review new unmatched pending incomplete unmatchedShare reviewShare }
    completeness { field filled share }
    recurring {
      customersMergedRepeatedly { customerId merges }
      reopenedReviews reopenedReviewKeys changedRecords changedBySource
      mostChanged { uid customerId versions }
    }
  }
}`;

const OUTCOMES = [
  ["matched", "good"],
  ["new", "bar"],
  ["review", "warn"],
  ["unmatched", "bad"],
  ["pending", "track"],
];

const main = document.getElementById("main");
const ROW = 22;
const LABEL = 130;
const WIDTH = 480; // the viewBox: the SVG scales to its card (style.css)

// Horizontal bars: rows of {label, value (0..max), text, cls}.
function bars(id, rows, max) {
  const scale = (WIDTH - LABEL - 70) / (max || 1);
  const height = rows.length * ROW + 4;
  return svg(
    "svg",
    { id, class: "chart", viewBox: `0 0 ${WIDTH} ${height}`, role: "img" },
    rows.map((r, i) => {
      const y = i * ROW + 2;
      return svg(
        "g",
        {},
        svg("title", {}, r.label + ": " + r.text),
        svg("text", { x: 0, y: y + 14 }, r.label),
        svg("rect", { class: "track", x: LABEL, y, width: (max || 1) * scale, height: ROW - 6, rx: 3 }),
        svg("rect", { class: "bar " + (r.cls || ""), x: LABEL, y, width: Math.max(0, r.value * scale), height: ROW - 6, rx: 3 }),
        svg("text", { x: LABEL + (max || 1) * scale + 6, y: y + 14 }, r.text),
      );
    }),
  );
}

// One stacked bar a source: how its records resolved.
function outcomes(sources) {
  const height = sources.length * ROW + 24;
  const span = WIDTH - LABEL - 70;
  const legend = OUTCOMES.map(([name, cls], i) =>
    svg("g", {}, svg("rect", { class: "bar " + cls, x: i * 90, y: height - 14, width: 10, height: 10 }), svg("text", { x: i * 90 + 14, y: height - 5 }, name)),
  );
  return svg(
    "svg",
    { id: "sources-chart", class: "chart", viewBox: `0 0 ${WIDTH} ${height}`, role: "img" },
    sources.map((s, i) => {
      const y = i * ROW + 2;
      let x = LABEL;
      const parts = OUTCOMES.map(([name, cls]) => {
        const width = s.records ? (s[name] / s.records) * span : 0;
        const rect = svg("rect", { class: "bar " + cls, x, y, width, height: ROW - 6 }, svg("title", {}, `${s.source} ${name}: ${s[name]}`));
        x += width;
        return rect;
      });
      return svg("g", {}, svg("text", { x: 0, y: y + 14 }, s.source), parts, svg("text", { x: LABEL + span + 6, y: y + 14 }, percent(s.unmatchedShare) + " failed"));
    }),
    legend,
  );
}

function stat(label, value) {
  return el("div", {}, el("strong", {}, String(value)), el("span", { class: "muted" }, label));
}

function section(title, note, ...content) {
  return el("section", { class: "card" }, el("h2", {}, title), note ? el("p", { class: "muted" }, note) : null, ...content);
}

async function load() {
  const r = (await gql(REPORT)).qualityReport;
  const rec = r.recurring;
  const completeness = r.completeness.map((c) => ({ label: c.field, value: c.share, text: percent(c.share) + " (" + c.filled + ")", cls: c.share < 0.5 ? "warn" : "good" }));
  const failures = r.fieldFailures.map((f) => ({ label: f.field, value: f.rate, text: percent(f.rate) + " (" + f.failed + ")", cls: "bad" }));
  const worstMerges = Math.max(1, ...rec.customersMergedRepeatedly.map((m) => m.merges));
  const merges = rec.customersMergedRepeatedly.slice(0, 15).map((m) => ({ label: m.customerId, value: m.merges, text: m.merges + " merges" }));
  const changed = Object.entries(rec.changedBySource || {}).map(([source, n]) => el("li", {}, source + ": " + n));
  main.replaceChildren(
    el("h1", {}, "Data quality"),
    el("div", { class: "stats card" }, stat("records", r.records), stat("active customers", r.activeCustomers), stat("reopened review pairs", rec.reopenedReviews), stat("records re-imported with changes", rec.changedRecords)),
    el(
      "div",
      { class: "grid wide" },
      section("Completeness per field", "Share of active customers whose golden record has the field.", completeness.length ? bars("completeness-chart", completeness, 1) : el("p", { class: "muted" }, "no customers yet")),
      section("Match failure rate per source", "How each source's records resolved; failed = left in the unmatched pool.", r.sources.length ? outcomes(r.sources) : el("p", { class: "muted" }, "no imports yet")),
      section("Field failures", "Records where a field was missing or invalid, worst first.", failures.length ? bars("failures-chart", failures, Math.max(...failures.map((f) => f.value), 0.01)) : el("p", { class: "muted" }, "none")),
      section(
        "Duplicates that come back",
        "Customers merged more than once, pairs queued by several imports, records re-imported with changes.",
        merges.length ? bars("merges-chart", merges, worstMerges) : el("p", { class: "muted" }, "no customer was merged twice"),
        rec.reopenedReviewKeys.length ? el("p", {}, "reopened pairs: ", rec.reopenedReviewKeys.slice(0, 10).join(", ")) : null,
        changed.length ? el("ul", {}, changed) : null,
      ),
    ),
    el("p", { class: "muted" }, "generated " + r.generatedAt),
  );
}

showHeader("/quality");
guarded(main, load);
