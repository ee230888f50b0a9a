// What the playground shows of the library's answer for a draft (refundlib.playground): the gap
// report, the draft beside the published policies, and the chart. Built from the answer only.

import { WORDS } from "./shared.js";
import { h, svgElement } from "./dom.js";

const DRAFT = "draft"; // the draft's key in the answer's columns and chart (refundlib.playground.DRAFT)

/** The gap report: the lint findings, each with the clauses it concerns. */
export function lintView(lint) {
  const findings = lint.findings;
  const labels = lint.labels || {};
  if (!findings.length) {
    return [h("p", {}, "No findings: nothing undefined, inconsistent, discretionary or silent that the checks can see.")];
  }
  return [
    h("p", {}, `${findings.length} ${findings.length === 1 ? "finding" : "findings"}, each with the clauses it concerns.`),
    h("ol", { class: "refund-playground-findings" }, findings.map((f) => h("li", {
      class: "refund-playground-finding", dataset: { kind: f.kind, subject: f.subject },
    },
    h("p", {}, h("strong", {}, labels[f.kind] || f.kind), " (", h("code", {}, f.subject), "): ", f.message),
    f.clauses.length ? h("ul", { class: "refund-quotes" }, f.clauses.map((q) =>
      h("li", {}, h("q", {}, q.text), " ", h("span", { class: "refund-playground-clause" }, `clause “${q.clause}”`)))) : null,
    f.refs.length ? h("p", { class: "refund-playground-refs" }, `Concerns: ${f.refs.join(", ")}`) : null))),
  ];
}

/** Each term as the published policies and the draft state it; the draft's column first. */
export function tableView(answer) {
  // The draft's column first, next to the terms: it stays in view while the published ones scroll.
  const columns = [...answer.columns.filter((c) => c.draft), ...answer.columns.filter((c) => !c.draft)];
  const head = h("tr", {}, h("th", { scope: "col" }, "Term"), columns.map((c) =>
    h("th", { scope: "col", class: c.draft ? "refund-playground-draft" : null, dataset: { vendor: c.key } },
      c.draft ? [h("span", { class: "refund-playground-badge" }, "Your draft"), " "] : null, c.name)));
  const rows = answer.topics.map((t) => h("tr", { dataset: { topic: t.topic } },
    h("th", { scope: "row" }, t.label),
    columns.map((c) => {
      const summary = t.cells[c.key];
      return h("td", { class: [c.draft ? "refund-playground-draft" : "", summary ? "" : "refund-playground-missing"]
        .filter(Boolean).join(" ") || null, dataset: { vendor: c.key } }, summary || WORDS.not_stated);
    })));
  const table = h("table", { class: "refund-playground-table" },
    h("caption", {}, "Each term as the published policies and your draft state it"),
    h("thead", {}, head), h("tbody", {}, rows));
  return h("div", { class: "refund-playground-scroll", role: "region", tabindex: "0",
    "aria-label": "Comparison table (scrolls sideways)" }, table);
}

/** The chart of a draft's answer that has one (no chart.error): the drawing and its caption. */
export function chartView(chart) {
  const caption = h("figcaption", {});
  const draft = chart.charted.find((c) => c.vendor === DRAFT);
  caption.append(h("p", {}, "Every question a policy asks is answered “no” (counts: 0): not used, nothing went wrong. "
    + "Solid: a refund due; dashed: at the vendor's discretion, an upper bound, or depending on an answer."));
  if (draft) caption.append(h("p", {}, `Your draft (${draft.name}) is charted for its product “${draft.product_name}”.`));
  if (chart.not_charted.length) {
    caption.append(h("p", { class: "refund-playground-missing" }, "Not charted: ",
      chart.not_charted.map((n) => n.reason).join(" ")));
  }
  const svg = chart.svg ? svgElement(chart.svg) : null;
  const drawing = svg
    ? h("div", { class: "refund-playground-drawing", role: "region", tabindex: "0",
      "aria-label": "Chart: refund over time (scrolls sideways on narrow screens)" }, svg)
    : h("p", {}, "Nothing to chart: no policy sells anything billed this way.");
  const vendors = chart.charted.map((c) => c.vendor).join(" ");
  return h("figure", { class: "refund-playground-chart", dataset: { chartVendors: vendors } }, drawing, caption);
}
