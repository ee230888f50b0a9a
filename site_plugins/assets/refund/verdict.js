// The verdict: one Decision from refundlib (Decision.to_dict()) shown in words, with the steps
// that led to it, each quoting and linking the clause it rests on. Nothing here decides anything.
//
// The element is .refund-verdict with data-outcome / data-amount (empty until a verdict arrives)
// and data-state (loading | computing | done | error | failed), see docs/site-contract.md.

import { WORDS, capitalized } from "./shared.js";
import { h } from "./dom.js";

function clauseLink(template, vendor, clause) {
  const href = (template || "#clause-").replaceAll("{vendor}", encodeURIComponent(vendor)) + clause;
  return h("a", { class: "refund-clause-link", href }, `clause “${clause}”`);
}

function quoteList(quotes, template, vendor) {
  if (!quotes || !quotes.length) return null;
  return h("ul", { class: "refund-quotes" },
    quotes.map((q) => h("li", {}, h("q", {}, q.text), " ", clauseLink(template, vendor, q.clause))));
}

function amountWords(d) {
  if (d.amount !== null && d.amount !== undefined) return `${d.amount} ${d.currency}`;
  if (d.amount_max !== null && d.amount_max !== undefined) return `up to ${d.amount_max} ${d.currency}`;
  return "";
}

function outcomeWords(outcome) {
  return WORDS.outcomes[outcome] || outcome;
}

function headline(d) {
  const amount = d.outcome === "none" ? "" : amountWords(d);
  return amount ? `${outcomeWords(d.outcome)}: ${amount}` : outcomeWords(d.outcome);
}

function definition(term, value) {
  return [h("dt", {}, term), h("dd", {}, value)];
}

function destinationWords(d) {
  if (d.destination) return capitalized(WORDS.destinations[d.destination] || d.destination);
  return d.outcome === "conditional" ? "It depends on your answers: see below." : "The policy does not say.";
}

function decisionParts(d, template, vendor) {
  const parts = [];
  const facts = [definition("Outcome", outcomeWords(d.outcome))];
  if (d.outcome !== "none") {
    facts.push(definition("Amount", amountWords(d) || "The policy does not let the amount be computed."));
    facts.push(definition("Where the money goes", destinationWords(d)));
    if (d.outcome !== "conditional") {
      facts.push(definition("Automatic?", d.automatic ? "Yes: it is refunded without asking." : "No: you have to ask for it."));
    }
  }
  parts.push(h("dl", { class: "refund-verdict__facts" }, facts));
  parts.push(h("p", { class: "refund-verdict__summary" }, d.summary));
  if (d.ask_by) parts.push(h("p", { class: "refund-verdict__ask-by" }, h("strong", {}, d.ask_by.text)));

  if (d.branches && d.branches.length) {
    parts.push(h("h4", {}, "What each answer leads to"));
    parts.push(h("ul", { class: "refund-branches" }, d.branches.map((b) => branchItem(b, template, vendor))));
  }
  if (d.steps && d.steps.length) {
    parts.push(h("h4", {}, "Why"));
    parts.push(stepList(d.steps, template, vendor));
  }
  if (d.request) parts.push(...requestParts(d.request, template, vendor));
  if (d.timings && d.timings.length) {
    parts.push(h("h4", {}, "How long it takes"));
    parts.push(h("ul", { class: "refund-timings" }, d.timings.map((t) =>
      h("li", {}, h("strong", {}, `${WORDS.timings[t.kind] || t.kind}: `), t.text, quoteList(t.quotes, template, vendor)))));
  }
  if (d.flags && d.flags.length) {
    parts.push(h("h4", {}, "Worth knowing"));
    parts.push(h("ul", { class: "refund-verdict-flags" }, d.flags.map((f) =>
      h("li", { dataset: { flag: f.id } }, h("strong", {}, `${WORDS.note_kinds[f.kind] || f.kind}: `), f.text,
        quoteList(f.quotes, template, vendor)))));
  }
  return parts;
}

function stepList(steps, template, vendor) {
  return h("ol", { class: "refund-steps" }, steps.map((s) => {
    const mark = s.met === true ? h("span", { class: "refund-mark refund-mark--met" }, "Met: ")
      : s.met === false ? h("span", { class: "refund-mark refund-mark--unmet" }, "Not met: ") : null;
    return h("li", { class: "refund-step", dataset: { kind: s.kind } },
      mark, s.text,
      s.detail ? h("span", { class: "refund-step__detail" }, ` (${s.detail})`) : null,
      quoteList(s.quotes, template, vendor));
  }));
}

function branchItem(branch, template, vendor) {
  const conditions = branch.assuming.map((a) => `${a.answer ? "yes" : "no"} to “${a.question}”`);
  const lead = `If you answer ${conditions.join(" and ")}: `;
  const d = branch.decision;
  return h("li", { class: "refund-branch", dataset: { outcome: d.outcome, amount: d.amount ?? "" } },
    h("p", {}, h("strong", {}, lead), d.summary),
    h("details", {}, h("summary", {}, "Why, and how to ask"), decisionParts(d, template, vendor)));
}

function requestParts(r, template, vendor) {
  const out = [h("h4", {}, "How to ask for it")];
  const items = [definition("Channel", capitalized(WORDS.channels[r.channel] || r.channel))];
  if (r.address) items.push(definition("Where", addressNode(r.address)));
  out.push(h("dl", { class: "refund-request" }, items));
  if (r.steps && r.steps.length) out.push(h("ol", { class: "refund-request__steps" }, r.steps.map((s) => h("li", {}, s))));
  if (r.include && r.include.length) {
    out.push(h("p", {}, "Include:"), h("ul", { class: "refund-request__include" }, r.include.map((s) => h("li", {}, s))));
  }
  const quotes = quoteList(r.quotes, template, vendor);
  if (quotes) out.push(quotes);
  return out;
}

function addressNode(address) {
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) return h("a", { href: `mailto:${address}` }, address);
  if (/^https?:\/\/\S+$/.test(address)) return h("a", { href: address, rel: "noopener noreferrer" }, address);
  return address;
}

export class VerdictView {
  constructor({ vendor = "", clauseHref = "#clause-", title = "Your verdict" } = {}) {
    this.vendor = vendor;
    this.clauseHref = clauseHref;
    this.headline = h("p", { class: "refund-verdict__headline", "aria-live": "polite" });
    this.body = h("div", { class: "refund-verdict__body" });
    this.node = h("div", { class: "refund-verdict", dataset: { outcome: "", amount: "", state: "loading" } },
      h("h3", { class: "refund-verdict__title" }, title), this.headline, this.body);
    if (vendor) this.node.dataset.vendor = vendor;
    this.waiting("loading");
  }

  clear(state) {
    this.node.dataset.outcome = "";
    this.node.dataset.amount = "";
    this.node.dataset.state = state;
    this.node.setAttribute("aria-busy", state === "computing" || state === "loading" ? "true" : "false");
  }

  waiting(state) {
    const had = this.node.dataset.state === "done" || this.node.dataset.state === "error";
    this.clear(state);
    // Keep the last verdict on screen (dimmed) while the next one is computed, so that
    // the live headline is not re-announced on every keystroke.
    if (state === "loading") this.headline.textContent = "Waiting for the calculator to load…";
    else if (!had) this.headline.textContent = "Working out the verdict…";
  }

  failed() {
    this.clear("failed");
    this.headline.textContent = "No verdict: the calculator could not start.";
    this.body.replaceChildren();
  }

  problem(text) {
    this.clear("error");
    this.headline.textContent = text;
    this.body.replaceChildren();
  }

  show(decision) {
    this.node.dataset.outcome = decision.outcome;
    this.node.dataset.amount = decision.amount === null || decision.amount === undefined ? "" : decision.amount;
    this.node.dataset.state = "done";
    this.node.setAttribute("aria-busy", "false");
    this.headline.textContent = headline(decision);
    this.body.replaceChildren(...decisionParts(decision, this.clauseHref, this.vendor || decision.vendor));
  }

  // Bring the verdict into view and its headline into focus (a permalink opens on its answer).
  land() {
    this.headline.tabIndex = -1;
    this.node.scrollIntoView({ block: "start" });
    this.headline.focus({ preventScroll: true });
  }
}
