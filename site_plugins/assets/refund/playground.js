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
import { h, nextId } from "./dom.js";
import { StatusView } from "./status.js";
import { chartView, lintView, tableView } from "./playground-views.js";
import { PurchaseForm } from "./playground-purchase.js";

const MANIFEST_URL = new URL("./manifest.json", import.meta.url);
const POLICIES_URL = new URL("./policies/", import.meta.url);
const DEBOUNCE_MS = 300;
const SAVE_KEY = "refund-playground:draft";

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
    this.undoText = null;
    this.fileId = "policy";
    this.names = new Map(); // vendor id -> name
    this.build();
  }

  // -- layout --------------------------------------------------------------------------------

  build() {
    const saved = readSaved();
    this.runtime = new StatusView({ page: "playground", onRetry: () => this.retry(),
      title: "The playground could not start.",
      advice: "Your draft is still in the editor. Check your connection, then try again." });

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
    this.purchaseForm = new PurchaseForm((delay) => this.schedule(delay));
    this.chartForm = this.purchaseForm.node;
    this.chartBox = h("div", { class: "refund-playground-chart-box" },
      h("p", { class: "refund-help" }, "Shown once your draft loads."));
    this.results = h("div", { class: "refund-playground-results", dataset: { stale: "false" } },
      this.stale,
      h("h2", {}, "Gaps and ambiguities in your draft"), this.lintBox,
      h("h2", {}, "Your draft beside the published policies"), this.tableBox,
      h("h2", {}, "Refund over time"), this.chartForm, this.chartBox);

    this.root = h("div", { class: "refund-ui" },
      this.runtime.node, this.runtime.failure,
      h("h2", {}, "Your policy file"),
      startRow, this.loadNote,
      h("div", { class: "refund-playground-field" }, h("label", { for: editorId }, "Policy file (TOML)"), help, this.editor),
      this.status,
      h("div", { class: "refund-actions refund-playground-actions" }, this.download),
      this.results);
    this.section.append(this.root);

    if (saved && saved.text.trim()) {
      this.editor.value = saved.text;
      this.picker.dataset.saved = saved.from || "";
      this.loadNote.textContent = "Your draft from your last visit, kept in this browser, is back in the editor.";
    }
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
    this.runtime.show(stage, detail);
    if (stage === "failed") this.setStatus("failed", "The draft cannot be checked: the playground could not start.");
  }

  retry() {
    restart();
    this.runtime.node.focus();
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
    this.purchaseForm.product.value = "";
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
    const purchase = this.purchaseForm.purchase();
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
    this.lintBox.replaceChildren(...lintView(answer.lint));
    this.tableBox.replaceChildren(tableView(answer));
    this.purchaseForm.setProducts(p);
    this.renderChart(answer.chart);
  }

  renderChart(chart) {
    this.purchaseForm.showError(chart.error || null);
    this.chartBox.replaceChildren(...(chart.error ? [] : [chartView(chart)]));
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
