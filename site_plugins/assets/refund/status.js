// The start-up status shared by the calculator and the playground: a progress bar with the stage
// in words while Pyodide starts, and, if it cannot start, what happened with a "Try again" button.

import { WORDS } from "./shared.js";
import { h } from "./dom.js";

const STAGES = ["runtime", "stdlib", "wheel", "ready"];

export class StatusView {
  // page: "calculator" | "playground" (its own first and last words, refundlib.words.STAGE_PAGES);
  // title, advice: what the failure box says.
  constructor({ page, onRetry, title, advice }) {
    this.words = { ...WORDS.stages, ...WORDS.stage_pages[page] };
    this.text = h("span", { class: "refund-status__text" });
    this.bar = h("progress", { max: STAGES.length - 1, value: 0, "aria-label": `Loading the ${page}` });
    this.node = h("div", { class: "refund-status", role: "status", "aria-live": "polite", tabindex: "-1" },
      this.bar, " ", this.text);
    this.failureText = h("p", {});
    this.failure = h("div", { class: "refund-failure", role: "alert", hidden: true },
      h("p", { class: "refund-failure__title" }, title),
      this.failureText,
      h("p", {}, advice),
      h("button", { type: "button", class: "refund-retry", onclick: onRetry }, "Try again"));
  }

  show(stage, detail) {
    if (stage === "failed") {
      this.node.hidden = true;
      this.failureText.textContent = detail;
      this.failure.hidden = false;
      return;
    }
    this.failure.hidden = true;
    this.node.hidden = false;
    const index = STAGES.indexOf(stage);
    this.bar.value = index < 0 ? 0 : index;
    this.bar.hidden = stage === "ready";
    this.text.textContent = this.words[stage] || detail || "";
  }
}
