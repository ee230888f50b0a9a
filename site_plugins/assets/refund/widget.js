// What the vendor page's calculator and the compare page's share: the worker's status, the
// permalink (#s=), the policies' questions, debounced requests to the library and the live chart.
// Subclasses (vendor-calculator.js, compare-calculator.js) build the form and show the answer.

import { onStatus, restart, start } from "./embed.js";
import { describeError } from "./shared.js";
import { h } from "./dom.js";
import { emptyAnswers, answersFromScenario, hashFor, readHash, setAnswer } from "./answers.js";
import { showProblem } from "./form.js";
import { StatusView } from "./status.js";
import { LiveChart } from "./chart-live.js";

const POLICIES_URL = new URL("./policies/", import.meta.url);
const DEBOUNCE_MS = 120;

let hashOwner = null; // the first calculator on the page keeps the permalink

class Runner {
  // Debounced, latest-wins requests to the worker; each result is rendered only if still current.
  constructor(run) {
    this.run = run;
    this.timer = 0;
    this.seq = 0;
  }

  schedule(delay = DEBOUNCE_MS) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.now(), delay);
  }

  now() {
    clearTimeout(this.timer);
    const seq = ++this.seq;
    this.run(() => seq === this.seq);
  }
}

export class Widget {
  constructor(section) {
    this.section = section;
    this.clauseHref = section.dataset.clauseHref || "#clause-";
    this.stage = "idle";
    this.status = new StatusView({ page: "calculator", onRetry: () => this.retry(),
      title: "The calculator could not start.",
      advice: "Everything else on this page still works. Check your connection, then try again." });
    this.problemBox = h("div", { class: "refund-problem", hidden: true });
    this.root = h("div", { class: "refund-ui" });
    section.append(this.root);
    this.ownsHash = hashOwner === null;
    if (this.ownsHash) hashOwner = this;
    const { link, problem } = this.ownsHash ? readHash() : { link: null, problem: "" };
    this.linked = Boolean(link); // opened from a permalink: show exactly that scenario
    this.link = link; // {scenario}: the permalink's, put to the library as it is until the form is changed
    this.shownHash = link ? window.location.hash : ""; // the #s= the form shows
    this.answers = link ? answersFromScenario(link.scenario) : emptyAnswers();
    this.linkProblem = problem;
    this.policiesOk = false;
    this.policyError = "";
    this.runner = new Runner((isCurrent) => this.compute(isCurrent));
    this.liveChart = new LiveChart(section, (vendors) => this.ownsChart(vendors), (error) => this.chartProblem(error));
  }

  // A chart the library refused, in words: e.g. a number question left open that some request day depends on.
  chartProblem(error) {
    const labels = this.labels || {};
    const value = error.value || { message: error.message };
    const { field, text } = describeError(value, labels);
    const expected = value.expected || "";
    return labels[field] && expected.includes(labels[field]) ? `the chart needs ${expected}.` : text;
  }

  async init() {
    this.root.replaceChildren(this.status.node, this.status.failure);
    onStatus((s) => this.onStage(s));
    start();
    await this.loadPolicies();
    if (this.ownsHash) window.addEventListener("hashchange", () => this.onHashChange());
  }

  async loadPolicies() {
    try {
      this.policies = await Promise.all(this.vendorIds().map(async (id) => {
        const url = new URL(`${encodeURIComponent(id)}.json`, POLICIES_URL);
        let response;
        try {
          response = await fetch(url);
        } catch (error) {
          throw new Error(`The questions for “${id}” could not be downloaded (${error.message}).`);
        }
        if (!response.ok) throw new Error(`The questions for “${id}” could not be downloaded (HTTP ${response.status}).`);
        return response.json();
      }));
    } catch (error) {
      this.policyError = error.message || String(error);
      this.refreshStatus();
      return;
    }
    this.policiesOk = true;
    this.build();
    this.runner.now();
  }

  onStage({ stage, detail }) {
    this.stage = stage;
    this.detail = detail;
    this.refreshStatus();
    if (stage === "failed") {
      for (const v of this.verdictViews()) v.failed();
      this.liveChart.release();
    }
  }

  refreshStatus() {
    if (this.policyError) this.status.show("failed", this.policyError);
    else this.status.show(this.stage, this.detail);
  }

  retry() {
    if (this.stage === "failed") restart();
    if (this.policyError) {
      this.policyError = "";
      this.refreshStatus();
      this.loadPolicies();
    } else {
      this.runner.now();
    }
    this.status.node.focus();
  }

  onEdit(event) {
    const target = event.target;
    const field = target && target.dataset ? target.dataset.field : undefined;
    if (!field) return;
    if (target.type === "radio" && !target.checked) return;
    setAnswer(this.answers, field, target.value);
    this.edited(field);
    this.userEdited = true;
    this.runner.schedule(event.type === "change" ? 0 : DEBOUNCE_MS);
  }

  onHashChange() {
    // Only a new #s= refills the form: not a clause anchor, nor coming back to the shown scenario.
    if (window.location.hash === this.shownHash) return;
    const { link } = readHash();
    if (!link) return;
    this.shownHash = window.location.hash;
    this.answers = answersFromScenario(link.scenario);
    this.linked = true;
    this.link = link;
    this.userEdited = false;
    this.fromLink();
    this.build();
    this.runner.now();
  }

  writeHash(scenario) {
    if (!this.ownsHash || !this.userEdited) return;
    const hash = hashFor(scenario);
    if (window.location.hash !== hash) history.replaceState(history.state, "", hash);
    this.shownHash = hash;
  }

  startOver() {
    this.answers = emptyAnswers();
    this.linked = false;
    this.link = null;
    this.linkProblem = "";
    this.chosen = new Set();
    this.userEdited = false;
    if (this.ownsHash && window.location.hash.startsWith("#s=")) {
      history.replaceState(history.state, "", window.location.pathname + window.location.search);
    }
    this.shownHash = "";
    this.build();
    this.runner.now();
    this.form.querySelector("input, select")?.focus();
  }

  buildForm(children) {
    const reset = h("div", { class: "refund-actions" },
      h("button", { type: "button", class: "refund-reset", onclick: () => this.startOver() }, "Start over"));
    const form = h("form", { class: "refund-form", novalidate: true, "aria-label": this.formLabel() }, children, reset);
    form.addEventListener("input", (e) => this.onEdit(e));
    form.addEventListener("change", (e) => this.onEdit(e));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.runner.now();
    });
    return form;
  }

  async compute(isCurrent) {
    // Opened from a permalink and not changed since: the link's scenario exactly as it is, so that the
    // library refuses what the form cannot show (an unknown field or fact, a wrong type) as the CLI does.
    const scenario = this.link && !this.userEdited ? this.link.scenario : this.scenario();
    this.writeHash(scenario);
    if (this.stage === "failed") return;
    this.liveChart.hold(); // the verdict first, then (in render) the chart
    for (const v of this.verdictViews()) v.waiting(this.stage === "ready" ? "computing" : "loading");
    let result;
    try {
      result = await this.request(scenario);
    } catch (error) {
      if (!isCurrent()) return;
      if (error.kind === "StartupFailed") return; // shown by the status view, with "Try again"
      const problem = describeError(error.value || { message: error.message }, this.labels);
      showProblem(this.problemBox, this.form, problem);
      for (const v of this.verdictViews()) v.problem(`No verdict yet. ${problem.text}`);
      this.liveChart.release();
      return;
    }
    if (!isCurrent()) return;
    showProblem(this.problemBox, this.form, null);
    this.render(result);
    this.liveChart.want(this.chartJob(scenario, result));
  }
}
