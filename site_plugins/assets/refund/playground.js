// The policy playground (/playground/): edit a refund policy file (TOML) in the browser and see
// what refundlib makes of it, beside the published policies. Everything shown about the draft
// (whether it loads, which field is wrong, the gap report, the comparison, the chart) comes from
// refundlib.bridge.playground_json, running under Pyodide in the page's worker (embed.js,
// worker.js); this file only collects the text and the purchase, and displays the answer.
// Nothing is uploaded: the draft stays in the page (and in this browser's localStorage).
//
// Markup it works on (docs/playground.md):
//   <section class="refund-playground"><noscript>…</noscript></section>
// It appends one <div class="refund-ui"> holding everything it shows. Test hooks:
//   .refund-playground-status  data-state (loading|checking|done|error|failed),
//                              data-valid ("true"|"false"; "" before the first answer),
//                              data-field (the field the library names, when invalid), data-line
//   table.refund-playground-table  th/td[data-vendor="<id>" | "draft"]
//   .refund-playground-chart svg g.series[data-vendor="<id>" | "draft"]

import { onStatus, playground, policySource, restart, start } from "./embed.js";

const MANIFEST_URL = new URL("./manifest.json", import.meta.url);
const POLICIES_URL = new URL("./policies/", import.meta.url);
const DEBOUNCE_MS = 300;
const SAVE_KEY = "refund-playground:draft";
const DRAFT = "draft";
const STAGES = ["runtime", "stdlib", "wheel", "ready"];
const STAGE_WORDS = {
  idle: "Starting the playground…",
  runtime: "Loading the Python runtime (step 1 of 3)…",
  stdlib: "Loading Python's standard library (step 2 of 3)…",
  wheel: "Loading refundlib, the policy library (step 3 of 3)…",
  ready: "Ready: your draft is checked as you type.",
};
const BILLING_WORDS = { monthly: "Monthly", annual: "Yearly (annual)", one_time: "One-time payment" };
// The form's first values: the purchase of the site's first chart.
const DEFAULT_PURCHASE = { billing: "annual", purchased_on: "2026-01-01", amount_paid: "1200.00", list_price: "1200.00",
  currency: "USD", first_payment: true };

let uid = 0;
const nextId = (what) => `refund-pg-${what}-${++uid}`;

// --- small DOM helpers (text only: never innerHTML with data) -------------------------

function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "checked" || key === "value") node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

// The chart arrives as SVG text (refundlib.chart_svg.render_svg): parse it as XML, drop anything
// active, and import the element. Never innerHTML.
function svgElement(text) {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = doc.documentElement;
  if (!root || root.localName !== "svg" || doc.getElementsByTagName("parsererror").length) return null;
  for (const node of root.querySelectorAll("script, foreignObject, iframe, a")) node.remove();
  for (const node of [root, ...root.querySelectorAll("*")]) {
    for (const attr of [...node.attributes]) {
      if (/^on/i.test(attr.name) || /href$/i.test(attr.name)) node.removeAttribute(attr.name);
    }
  }
  return document.importNode(root, true);
}

function readSaved() {
  try {
    const saved = JSON.parse(window.localStorage.getItem(SAVE_KEY) || "null");
    return saved && typeof saved.text === "string" ? saved : null;
  } catch {
    return null; // storage disabled or unreadable: start afresh
  }
}

function save(text, from) {
  try {
    window.localStorage.setItem(SAVE_KEY, JSON.stringify({ text, from }));
  } catch {
    // storage full or disabled: the draft still lives in the editor
  }
}

// --- the playground ------------------------------------------------------------------------

class Playground {
  constructor(section) {
    this.section = section;
    this.stage = "idle";
    this.detail = "";
    this.timer = 0;
    this.busy = false; // a check is with the worker
    this.again = false; // the draft changed meanwhile: check again when it answers
    this.result = null; // the last answer for a draft that loaded
    this.loaded = ""; // the text last put in the editor by "Load" (or restored)
    this.undoText = null;
    this.fileId = "policy";
    this.names = new Map(); // vendor id -> name
    this.build();
  }

  // -- layout --------------------------------------------------------------------------------

  build() {
    const saved = readSaved();
    this.runtimeText = h("span", { class: "refund-status__text" });
    this.runtimeBar = h("progress", { max: STAGES.length - 1, value: 0, "aria-label": "Loading the playground" });
    this.runtime = h("div", { class: "refund-status", role: "status", "aria-live": "polite", tabindex: "-1" },
      this.runtimeBar, " ", this.runtimeText);
    this.failureText = h("p", {});
    this.failure = h("div", { class: "refund-failure", role: "alert", hidden: true },
      h("p", { class: "refund-failure__title" }, "The playground could not start."),
      this.failureText,
      h("p", {}, "Your draft is still in the editor. Check your connection, then try again."),
      h("button", { type: "button", class: "refund-retry", onclick: () => this.retry() }, "Try again"));

    // Start from: a published policy or the blank template.
    const pickId = nextId("start");
    this.picker = h("select", { id: pickId, class: "refund-playground-picker" },
      h("option", { value: "" }, "Blank template"));
    this.loadButton = h("button", { type: "button", class: "refund-playground-load", onclick: () => this.loadSource() },
      "Load into the editor");
    this.loadNote = h("p", { class: "refund-playground-note", role: "status" });
    const startRow = h("div", { class: "refund-playground-start" },
      h("div", { class: "refund-playground-field" }, h("label", { for: pickId }, "Start from"), this.picker),
      this.loadButton);

    // The editor.
    const editorId = nextId("editor");
    const helpId = nextId("editor-help");
    this.statusId = nextId("status");
    this.editor = h("textarea", {
      id: editorId, class: "refund-playground-editor", spellcheck: "false", autocapitalize: "off",
      autocomplete: "off", autocorrect: "off", wrap: "off", rows: "26", "aria-describedby": `${helpId} ${this.statusId}`,
    });
    this.editor.addEventListener("input", () => this.edited());
    const help = h("p", { class: "refund-help", id: helpId },
      "TOML, as described on the Policy format page. Checked as you type; kept in this browser only (local storage), never uploaded.");

    this.statusText = h("p", { class: "refund-playground-status__text" }, "Waiting for the playground to load…");
    this.goTo = h("button", { type: "button", class: "refund-playground-goto", hidden: true,
      onclick: () => this.goToLine() }, "Go to the line");
    this.status = h("div", {
      id: this.statusId, class: "refund-playground-status", role: "status", "aria-live": "polite",
      dataset: { state: "loading", valid: "", field: "" },
    }, this.statusText, this.goTo);

    this.download = h("button", { type: "button", class: "refund-playground-download", onclick: () => this.downloadFile() },
      "Download the file");

    // The results: gap report, comparison, chart.
    this.stale = h("p", { class: "refund-playground-stale", hidden: true },
      "Your draft does not load at the moment: what follows is for the last version of it that did.");
    this.lintBox = h("div", { class: "refund-playground-lint" },
      h("p", { class: "refund-help" }, "Shown once your draft loads."));
    this.tableBox = h("div", { class: "refund-playground-compare" },
      h("p", { class: "refund-help" }, "Shown once your draft loads."));
    this.chartForm = this.purchaseForm();
    this.chartBox = h("div", { class: "refund-playground-chart-box" },
      h("p", { class: "refund-help" }, "Shown once your draft loads."));
    this.results = h("div", { class: "refund-playground-results", dataset: { stale: "false" } },
      this.stale,
      h("h2", {}, "Gaps and ambiguities in your draft"), this.lintBox,
      h("h2", {}, "Your draft beside the published policies"), this.tableBox,
      h("h2", {}, "Refund over time"), this.chartForm, this.chartBox);

    this.root = h("div", { class: "refund-ui" },
      this.runtime, this.failure,
      h("h2", {}, "Your policy file"),
      startRow, this.loadNote,
      h("div", { class: "refund-playground-field" }, h("label", { for: editorId }, "Policy file (TOML)"), help, this.editor),
      this.status,
      h("div", { class: "refund-actions refund-playground-actions" }, this.download),
      this.results);
    this.section.append(this.root);

    if (saved && saved.text.trim()) {
      this.editor.value = saved.text;
      this.loaded = saved.text;
      this.picker.dataset.saved = saved.from || "";
      this.loadNote.textContent = "Your draft from your last visit, kept in this browser, is back in the editor.";
    }
  }

  purchaseForm() {
    const field = (label, key, value, extra = {}) => {
      const id = nextId("purchase");
      return h("div", { class: "refund-playground-field" },
        h("label", { for: id }, label),
        h("input", { id, type: "text", value, autocomplete: "off", spellcheck: "false", dataset: { field: key }, ...extra }));
    };
    const billingId = nextId("purchase");
    this.billing = h("select", { id: billingId, dataset: { field: "billing" } },
      Object.entries(BILLING_WORDS).map(([value, label]) => h("option", { value }, label)));
    this.billing.value = DEFAULT_PURCHASE.billing;
    const productId = nextId("purchase");
    this.product = h("select", { id: productId, dataset: { field: "product" } },
      h("option", { value: "" }, "Its first paid product billed this way"));
    const firstId = nextId("purchase");
    this.firstPayment = h("input", { id: firstId, type: "checkbox", checked: DEFAULT_PURCHASE.first_payment,
      dataset: { field: "first_payment" } });
    this.purchaseProblem = h("p", { class: "refund-problem", role: "alert", hidden: true });
    const form = h("form", { class: "refund-playground-form", novalidate: true, "aria-label": "The purchase charted" },
      h("fieldset", { class: "refund-group" },
        h("legend", {}, "The purchase charted"),
        h("p", { class: "refund-help" },
          "Every vendor, and your draft, is charted for this purchase: each gets its first paid product billed this way."),
        h("div", { class: "refund-playground-fields" },
          h("div", { class: "refund-playground-field" }, h("label", { for: billingId }, "Billing"), this.billing),
          field("Purchase date (YYYY-MM-DD)", "purchased_on", DEFAULT_PURCHASE.purchased_on, { inputmode: "numeric" }),
          field("Amount paid", "amount_paid", DEFAULT_PURCHASE.amount_paid, { inputmode: "decimal" }),
          field("List price before any discount", "list_price", DEFAULT_PURCHASE.list_price, { inputmode: "decimal" }),
          field("Currency", "currency", DEFAULT_PURCHASE.currency, { size: "6", autocapitalize: "characters" }),
          h("div", { class: "refund-playground-field" }, h("label", { for: productId }, "Your draft's product"), this.product)),
        h("div", { class: "refund-playground-check" }, this.firstPayment, " ",
          h("label", { for: firstId }, "The first payment of the subscription (not a renewal)"))),
      this.purchaseProblem);
    const changed = () => this.schedule();
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.schedule(0);
    });
    return form;
  }

  purchase() {
    const out = {};
    for (const input of this.chartForm.querySelectorAll("input[type=text][data-field]")) {
      const value = input.value.trim();
      if (value !== "") out[input.dataset.field] = input.dataset.field === "currency" ? value.toUpperCase() : value;
    }
    out.billing = this.billing.value;
    out.first_payment = this.firstPayment.checked;
    if (this.product.value) out.product = this.product.value;
    return out;
  }

  // -- start-up, status, retry -------------------------------------------------------------------

  async init() {
    onStatus((status) => this.onStage(status));
    start();
    this.loadNames();
    if (this.editor.value) this.schedule(0);
    else await this.loadSource("", { first: true });
  }

  async loadNames() {
    let vendors = [];
    try {
      const response = await fetch(MANIFEST_URL);
      if (response.ok) vendors = (await response.json()).vendors || [];
    } catch {
      vendors = [];
    }
    const names = await Promise.all(vendors.map(async (id) => {
      try {
        const response = await fetch(new URL(`${encodeURIComponent(id)}.json`, POLICIES_URL));
        return response.ok ? (await response.json()).name || id : id;
      } catch {
        return id;
      }
    }));
    const keep = this.picker.value || this.picker.dataset.saved || "";
    this.picker.replaceChildren(
      ...vendors.map((id, i) => h("option", { value: id }, names[i])),
      h("option", { value: "" }, "Blank template"));
    vendors.forEach((id, i) => this.names.set(id, names[i]));
    this.picker.value = vendors.includes(keep) ? keep : "";
  }

  onStage({ stage, detail }) {
    this.stage = stage;
    this.detail = detail;
    if (stage === "failed") {
      this.runtime.hidden = true;
      this.failureText.textContent = detail;
      this.failure.hidden = false;
      this.setStatus("failed", "The draft cannot be checked: the playground could not start.");
      return;
    }
    this.failure.hidden = true;
    this.runtime.hidden = false;
    const index = STAGES.indexOf(stage);
    this.runtimeBar.value = index < 0 ? 0 : index;
    this.runtimeBar.hidden = stage === "ready";
    this.runtimeText.textContent = STAGE_WORDS[stage] || detail || "";
  }

  retry() {
    restart();
    this.runtime.focus();
    if (!this.editor.value) this.loadSource("", { first: true });
    else this.schedule(0);
  }

  setStatus(state, text, { valid = "", field = "", line = null } = {}) {
    this.status.dataset.state = state;
    this.status.dataset.valid = valid;
    this.status.dataset.field = field;
    this.status.dataset.line = line ? String(line) : "";
    this.statusText.textContent = text;
    this.goTo.hidden = !line;
    if (line) this.goTo.textContent = `Go to line ${line}`;
    if (valid === "false") this.editor.setAttribute("aria-invalid", "true");
    else this.editor.removeAttribute("aria-invalid");
  }

  // -- the editor ----------------------------------------------------------------------------------

  async loadSource(vendor = this.picker.value, { first = false } = {}) {
    const name = vendor ? this.names.get(vendor) || vendor : "the blank template";
    let text;
    try {
      text = await policySource(vendor);
    } catch (error) {
      if (error.kind !== "StartupFailed") this.loadNote.textContent = `${name} could not be loaded: ${error.message}`;
      return;
    }
    if (first && this.editor.value) return; // typed (or restored) meanwhile: keep it
    const before = this.editor.value;
    this.editor.value = text;
    this.loaded = text;
    this.product.value = "";
    this.loadNote.replaceChildren();
    if (!first) {
      const what = vendor ? `${name}'s published policy` : "The blank template";
      this.loadNote.append(`${what} is in the editor.`);
      if (before.trim() && before !== text) {
        this.undoText = before;
        this.loadNote.append(" ", h("button", { type: "button", class: "refund-playground-undo",
          onclick: () => this.undo() }, "Undo: bring back the text it replaced"));
      }
    }
    save(text, vendor);
    this.schedule(0);
  }

  undo() {
    if (this.undoText === null) return;
    this.editor.value = this.undoText;
    this.undoText = null;
    this.loadNote.textContent = "The text you had before is back in the editor.";
    this.editor.focus();
    this.edited(0);
  }

  edited(delay = DEBOUNCE_MS) {
    this.schedule(delay);
  }

  goToLine() {
    const line = Number(this.status.dataset.line);
    if (!line) return;
    const lines = this.editor.value.split("\n");
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i += 1) offset += lines[i].length + 1;
    const end = offset + (lines[line - 1] || "").length;
    this.editor.focus();
    this.editor.setSelectionRange(offset, end);
    const height = parseFloat(getComputedStyle(this.editor).lineHeight) || 20;
    this.editor.scrollTop = Math.max(0, (line - 4) * height);
  }

  downloadFile() {
    const blob = new Blob([this.editor.value], { type: "application/toml" });
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: `${this.fileId}.toml`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  // -- checking --------------------------------------------------------------------------------------

  schedule(delay = DEBOUNCE_MS) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), delay);
  }

  async check() {
    if (this.busy) {
      this.again = true; // one check at a time; the latest text is checked when this one answers
      return;
    }
    const text = this.editor.value;
    const purchase = this.purchase();
    save(text, this.picker.value);
    if (this.stage === "failed") {
      this.setStatus("failed", "The draft cannot be checked: the playground could not start.");
      return;
    }
    this.busy = true;
    this.status.dataset.state = this.stage === "ready" ? "checking" : "loading";
    this.status.setAttribute("aria-busy", "true");
    let answer;
    let failure = null;
    try {
      answer = await playground(text, purchase);
    } catch (error) {
      failure = error;
    } finally {
      this.busy = false;
      this.status.setAttribute("aria-busy", "false");
    }
    if (this.again) {
      this.again = false;
      this.check();
      return;
    }
    if (failure) {
      if (failure.kind === "StartupFailed") return; // shown by the failure box, with "Try again"
      this.setStatus("error", `The library could not check the draft: ${failure.message}`);
      return;
    }
    this.render(answer);
  }

  render(answer) {
    if (!answer.valid) {
      const e = answer.error;
      const where = e.line ? `Line ${e.line}${e.column ? `, column ${e.column}` : ""}: ` : "";
      this.setStatus("done", `Your draft does not load. ${where}${e.field}: expected ${e.expected}.`,
        { valid: "false", field: e.field, line: e.line });
      this.results.dataset.stale = this.result ? "true" : "false";
      this.stale.hidden = !this.result;
      return;
    }
    const p = answer.policy;
    const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;
    this.fileId = p.id;
    this.setStatus("done", `Your draft loads: ${answer.name} (id “${p.id}”), ${count(p.clauses.length, "clause", "clauses")}, `
      + `${count(p.products.length, "product", "products")}, ${count(p.rules.length, "rule", "rules")}, `
      + `${count(answer.lint.findings.length, "finding", "findings")} in the gap report.`, { valid: "true" });
    this.result = answer;
    this.results.dataset.stale = "false";
    this.stale.hidden = true;
    this.renderLint(answer);
    this.renderTable(answer);
    this.renderProducts(p);
    this.renderChart(answer.chart);
  }

  renderLint(answer) {
    const findings = answer.lint.findings;
    const labels = answer.lint.labels || {};
    if (!findings.length) {
      this.lintBox.replaceChildren(h("p", {}, "No findings: nothing undefined, inconsistent, discretionary or silent "
        + "that the checks can see."));
      return;
    }
    this.lintBox.replaceChildren(
      h("p", {}, `${findings.length} ${findings.length === 1 ? "finding" : "findings"}, each with the clauses it concerns.`),
      h("ol", { class: "refund-playground-findings" }, findings.map((f) => h("li", {
        class: "refund-playground-finding", dataset: { kind: f.kind, subject: f.subject },
      },
      h("p", {}, h("strong", {}, labels[f.kind] || f.kind), " (", h("code", {}, f.subject), "): ", f.message),
      f.clauses.length ? h("ul", { class: "refund-quotes" }, f.clauses.map((q) =>
        h("li", {}, h("q", {}, q.text), " ", h("span", { class: "refund-playground-clause" }, `clause “${q.clause}”`)))) : null,
      f.refs.length ? h("p", { class: "refund-playground-refs" }, `Concerns: ${f.refs.join(", ")}`) : null))));
  }

  renderTable(answer) {
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
          .filter(Boolean).join(" ") || null, dataset: { vendor: c.key } }, summary || "Not stated");
      })));
    const table = h("table", { class: "refund-playground-table" },
      h("caption", {}, "Each term as the published policies and your draft state it"),
      h("thead", {}, head), h("tbody", {}, rows));
    this.tableBox.replaceChildren(h("div", { class: "refund-playground-scroll", role: "region", tabindex: "0",
      "aria-label": "Comparison table (scrolls sideways)" }, table));
  }

  renderProducts(policy) {
    const keep = this.product.value;
    this.product.replaceChildren(h("option", { value: "" }, "Its first paid product billed this way"),
      policy.products.map((p) => h("option", { value: p.id }, p.name + (p.charged ? "" : " (never charged)"))));
    this.product.value = policy.products.some((p) => p.id === keep) ? keep : "";
  }

  renderChart(chart) {
    for (const input of this.chartForm.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    if (chart.error) {
      const control = this.chartForm.querySelector(`[data-field="${CSS.escape(chart.error.field)}"]`);
      if (control) control.setAttribute("aria-invalid", "true");
      this.purchaseProblem.hidden = false;
      this.purchaseProblem.textContent = `Nothing charted: ${chart.error.message}.`;
      this.chartBox.replaceChildren();
      return;
    }
    this.purchaseProblem.hidden = true;
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
    this.chartBox.replaceChildren(h("figure", { class: "refund-playground-chart", dataset: { chartVendors: vendors } },
      drawing, caption));
  }
}

function boot() {
  for (const section of document.querySelectorAll("section.refund-playground")) {
    if (section.dataset.refundReady) continue;
    section.dataset.refundReady = "true";
    new Playground(section).init();
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot, { once: true });
else boot();
