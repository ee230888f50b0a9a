// The refund calculator: builds the form from a vendor's policy JSON, sends the scenario
// to refundlib (running under Pyodide in a Web Worker, see embed.js / worker.js) and
// renders the Decision it returns. Nothing about a verdict is computed here: the form
// collects answers, the library validates and decides, and this file only displays.
//
// Markup it works on (emitted by the site plugin, see docs/site-contract.md):
//   <section class="refund-calculator" data-vendor="<id>" data-clause-href="#clause-">
//   <section class="refund-compare" data-vendors="a b c" data-clause-href="../vendors/{vendor}/#clause-">
// The verdict element is .refund-verdict with data-outcome / data-amount (empty until a
// verdict arrives) and data-state (loading | computing | done | error | failed).
// The scenario lives in the URL as #s=<encodeURIComponent(JSON)>.
// Once a verdict arrives, the page's "Refund over time" chart (figure.refund-chart) is redrawn for
// the purchase by the library (embed.js chart()), see LiveChart below.

import { chart, compare, evaluate, onStatus, restart, start } from "./embed.js";

const POLICIES_URL = new URL("./policies/", import.meta.url);
const DEBOUNCE_MS = 120;
const STAGES = ["runtime", "stdlib", "wheel", "ready"];
const STAGE_WORDS = {
  idle: "Starting the calculator…",
  runtime: "Loading the Python runtime (step 1 of 3)…",
  stdlib: "Loading Python's standard library (step 2 of 3)…",
  wheel: "Loading refundlib, the policy library (step 3 of 3)…",
  ready: "Calculator ready: the verdict updates as you answer.",
};
const OUTCOME_WORDS = {
  full: "Full refund",
  partial: "Partial refund",
  discretionary: "Refund at the vendor's discretion",
  none: "No refund",
  conditional: "It depends on your answers",
};
const DESTINATION_WORDS = {
  original_payment_method: "To your original payment method",
  account_balance: "To your account balance (deposit) with the vendor",
  credits: "As credits on your account",
};
const CHANNEL_WORDS = {
  email: "By email",
  settings_page: "In your account settings",
  contact_form: "Through the vendor's contact form",
  contact_team: "By contacting the vendor's team",
  automatic: "Nothing to do: it happens automatically",
};
const TIMING_WORDS = { response: "Response", processing: "Processing" };
const FLAG_WORDS = {
  ambiguity: "Ambiguous wording",
  inconsistency: "The policy contradicts itself",
  unstated: "Not stated by the policy",
  interpretation: "How we read it",
};
const BILLING_WORDS = { monthly: "Monthly", annual: "Yearly (annual)", one_time: "One-time payment" };
const COMMON_CURRENCIES = [
  "USD", "EUR", "GBP", "INR", "JPY", "KRW", "CAD", "AUD", "CHF", "CNY", "SGD", "HKD", "MXN", "BRL",
  "SEK", "NOK", "DKK", "PLN", "NZD", "ZAR", "AED", "SAR", "TRY", "IDR", "THB", "MYR", "PHP", "VND",
];
const FIELD_LABELS = {
  scenario: "The scenario",
  product: "Product",
  products: "Products",
  billing: "Billing",
  purchased_on: "Purchase date",
  requested_on: "Date of the refund request",
  amount_paid: "Amount paid",
  list_price: "List price before any discount",
  currency: "Currency",
  first_payment: "First payment or renewal",
};
const FIRST_PAYMENT_QUESTION = "Is this the first payment of the subscription (not a renewal)?";
const SCENARIO_ORDER = ["product", "purchased_on", "requested_on", "amount_paid", "list_price", "currency",
  "billing", "first_payment", "facts", "products"];

let uid = 0;
const nextId = (what) => `refund-${what}-${++uid}`;

// --- small DOM helpers (text only: never innerHTML with data) -------------------------

function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "checked" || key === "selected" || key === "value") node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function clauseLink(template, vendor, clause) {
  const href = (template || "#clause-").replaceAll("{vendor}", encodeURIComponent(vendor)) + clause;
  return h("a", { class: "refund-clause-link", href }, `clause “${clause}”`);
}

function quoteList(quotes, template, vendor) {
  if (!quotes || !quotes.length) return null;
  return h("ul", { class: "refund-quotes" },
    quotes.map((q) => h("li", {}, h("q", {}, q.text), " ", clauseLink(template, vendor, q.clause))));
}

// "facts.cash_out: expected ..." -> "Will you cash out …? — expected …"
function fieldLabel(field, labels) {
  if (!field) return "";
  return labels[field] || FIELD_LABELS[field] || field;
}

function plainError(error, labels) {
  let field = error.field;
  let expected = error.expected;
  const message = error.message || String(error);
  if (!field) {
    const match = /^([A-Za-z_][\w.-]*): expected (.*)$/s.exec(message);
    if (match) [, field, expected] = match;
  }
  if (field && expected) return { field, text: `${fieldLabel(field, labels)}: expected ${expected}.` };
  return { field: field || "", text: message };
}

// --- answers <-> scenario values ----------------------------------------------------------

function fromTristate(value) {
  if (value === true) return "yes";
  if (value === false) return "no";
  if (value === "unknown") return "unknown";
  return "";
}

function toTristate(value) {
  return value === "yes" ? true : value === "no" ? false : "unknown";
}

function asText(value) {
  return value === undefined || value === null ? "" : String(value);
}

function ordered(scenario) {
  const out = {};
  for (const key of SCENARIO_ORDER) if (key in scenario) out[key] = scenario[key];
  for (const key of Object.keys(scenario)) if (!(key in out)) out[key] = scenario[key];
  return out;
}

// --- permalinks ----------------------------------------------------------------------------

function readHash() {
  const hash = window.location.hash;
  if (!hash.startsWith("#s=")) return { scenario: null, problem: "" };
  try {
    const scenario = JSON.parse(decodeURIComponent(hash.slice(3)));
    if (scenario && typeof scenario === "object" && !Array.isArray(scenario)) return { scenario, problem: "" };
    return { scenario: null, problem: "The link's scenario is not a JSON object; the form starts empty." };
  } catch {
    return { scenario: null, problem: "The link's scenario could not be read; the form starts empty." };
  }
}

function hashFor(scenario) {
  return `#s=${encodeURIComponent(JSON.stringify(scenario))}`;
}

let hashOwner = null; // the first calculator on the page keeps the permalink

// --- form building blocks ------------------------------------------------------------------

function helpText(text) {
  if (!text) return null;
  const id = nextId("help");
  return h("p", { class: "refund-help", id }, text);
}

function radioGroup({ legend, help, name, field, options, value, extraClass }) {
  const helpNode = helpText(help);
  return h("fieldset", { class: `refund-group ${extraClass || ""}`.trim(), "aria-describedby": helpNode && helpNode.id, dataset: { group: field } },
    h("legend", {}, legend),
    helpNode,
    h("div", { class: "refund-choices" },
      options.map((option) => {
        const descr = option.description ? helpText(option.description) : null;
        return h("div", { class: "refund-choice" },
          h("label", {},
            h("input", { type: "radio", name, value: option.value, checked: option.value === value, dataset: { field },
              "aria-describedby": descr && descr.id }),
            " ", h("span", {}, option.label)),
          descr);
      })));
}

function yesNoUnknown({ legend, help, name, field, value }) {
  return radioGroup({
    legend, help, name, field, value, extraClass: "refund-group--inline",
    options: [
      { value: "yes", label: "Yes" },
      { value: "no", label: "No" },
      { value: "unknown", label: "I don't know" },
    ],
  });
}

function textField({ label, help, field, value, type = "text", inputmode, list, autocomplete, extra }) {
  const id = nextId("field");
  const helpNode = helpText(help);
  return h("div", { class: "refund-field" },
    h("label", { for: id }, label),
    h("input", { id, type, value: value || "", inputmode, list, autocomplete: autocomplete || "off",
      "aria-describedby": helpNode && helpNode.id, dataset: { field }, ...extra }),
    helpNode);
}

function selectField({ label, help, field, value, options }) {
  const id = nextId("field");
  const helpNode = helpText(help);
  const select = h("select", { id, "aria-describedby": helpNode && helpNode.id, dataset: { field } },
    options.map((o) => h("option", { value: o.value, selected: o.value === value }, o.label)));
  select.value = value || "";
  return h("div", { class: "refund-field" }, h("label", { for: id }, label), select, helpNode);
}

function currencyField(value) {
  const listId = nextId("currencies");
  return h("div", { class: "refund-field-wrap" },
    textField({ label: "Currency", field: "currency", value, autocomplete: "off", list: listId,
      help: "The three-letter code of the currency you paid in, such as USD, EUR, GBP or INR.",
      extra: { spellcheck: "false", autocapitalize: "characters", size: 8 } }),
    h("datalist", { id: listId }, COMMON_CURRENCIES.map((c) => h("option", { value: c }))));
}

function commonFields(answers) {
  return [
    textField({ label: "Purchase date", field: "purchased_on", type: "date", value: answers.purchased_on,
      help: "The day you were charged (for a renewal: the day of the renewal charge)." }),
    textField({ label: "Date of the refund request", field: "requested_on", type: "date", value: answers.requested_on,
      help: "The day you ask (or asked) for the refund; today unless you change it." }),
    textField({ label: "Amount paid", field: "amount_paid", value: answers.amount_paid, inputmode: "decimal",
      help: "What you were actually charged, as a number such as 49.00." }),
    textField({ label: "List price before any discount (optional)", field: "list_price", value: answers.list_price,
      inputmode: "decimal", help: "Only if you paid less than the list price (a coupon or an annual discount)." }),
    currencyField(answers.currency),
  ];
}

function firstPaymentField(answers, name) {
  return yesNoUnknown({ legend: FIRST_PAYMENT_QUESTION, name, field: "first_payment", value: answers.first_payment,
    help: "Some policies only refund the first payment of a subscription." });
}

function factField(fact, answers, name, extraHelp) {
  const field = `facts.${fact.id}`;
  const help = [fact.help, extraHelp].filter(Boolean).join(" ");
  if (fact.type === "bool") {
    return yesNoUnknown({ legend: fact.question, help, name, field, value: answers.facts[fact.id] || "" });
  }
  return textField({ label: fact.question, help, field, value: answers.facts[fact.id] || "", inputmode: "decimal" });
}

function emptyAnswers() {
  return { product: "", billing: "", purchased_on: "", requested_on: today(), amount_paid: "", list_price: "",
    currency: "", first_payment: "", facts: {}, products: {} };
}

function answersFromScenario(scenario) {
  const answers = { ...emptyAnswers(), requested_on: "" };
  for (const key of ["product", "billing", "purchased_on", "requested_on", "amount_paid", "list_price", "currency"]) {
    if (key in scenario) answers[key] = asText(scenario[key]);
  }
  answers.first_payment = fromTristate(scenario.first_payment);
  const facts = scenario.facts && typeof scenario.facts === "object" ? scenario.facts : {};
  for (const [id, value] of Object.entries(facts)) {
    answers.facts[id] = typeof value === "boolean" || value === "unknown" ? fromTristate(value) : asText(value);
  }
  const products = scenario.products && typeof scenario.products === "object" ? scenario.products : {};
  for (const [vendor, product] of Object.entries(products)) answers.products[vendor] = asText(product);
  return answers;
}

function commonScenario(answers) {
  const s = {};
  for (const key of ["purchased_on", "requested_on", "amount_paid", "list_price", "currency"]) {
    const value = answers[key].trim();
    if (value !== "") s[key] = value;
  }
  if (answers.billing) s.billing = answers.billing;
  if (answers.first_payment) s.first_payment = toTristate(answers.first_payment);
  return s;
}

function factAnswers(answers, facts) {
  const out = {};
  for (const fact of facts) {
    const value = (answers.facts[fact.id] || "").trim();
    if (value === "") continue;
    out[fact.id] = fact.type === "bool" ? toTristate(value) : value;
  }
  return out;
}

function setAnswer(answers, field, value) {
  if (field.startsWith("facts.")) answers.facts[field.slice(6)] = value;
  else if (field.startsWith("products.")) answers.products[field.slice(9)] = value;
  else answers[field] = value;
}

// --- status, failure and problems ----------------------------------------------------------

class StatusView {
  constructor(onRetry) {
    this.text = h("span", { class: "refund-status__text" });
    this.bar = h("progress", { max: STAGES.length - 1, value: 0, "aria-label": "Loading the calculator" });
    this.node = h("div", { class: "refund-status", role: "status", "aria-live": "polite", tabindex: "-1" },
      this.bar, " ", this.text);
    this.retry = h("button", { type: "button", class: "refund-retry", onclick: onRetry }, "Try again");
    this.failureText = h("p", {});
    this.failure = h("div", { class: "refund-failure", role: "alert", hidden: true },
      h("p", { class: "refund-failure__title" }, "The calculator could not start."),
      this.failureText,
      h("p", {}, "Everything else on this page still works. Check your connection, then try again."),
      this.retry);
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
    this.text.textContent = STAGE_WORDS[stage] || detail || "";
  }
}

function renderProblem(box, form, problem) {
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  box.replaceChildren();
  if (!problem) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.append(h("p", { class: "refund-problem__lead" }, "To get a verdict:"), h("p", { class: "refund-problem__text" }, problem.text));
  if (problem.field) {
    for (const control of form.querySelectorAll(`[data-field="${CSS.escape(problem.field)}"]`)) {
      control.setAttribute("aria-invalid", "true");
    }
  }
}

// --- the verdict ---------------------------------------------------------------------------

class VerdictView {
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
    this.body.replaceChildren(...decisionParts(decision, this.clauseHref, this.vendor || decision.vendor, true));
  }
}

function amountWords(d) {
  if (d.amount !== null && d.amount !== undefined) return `${d.amount} ${d.currency}`;
  if (d.amount_max !== null && d.amount_max !== undefined) return `up to ${d.amount_max} ${d.currency}`;
  return "";
}

function headline(d) {
  const words = OUTCOME_WORDS[d.outcome] || d.outcome;
  const amount = d.outcome === "none" ? "" : amountWords(d);
  return amount ? `${words}: ${amount}` : words;
}

function definition(term, value) {
  return [h("dt", {}, term), h("dd", {}, value)];
}

function decisionParts(d, template, vendor, full) {
  const parts = [];
  const facts = [];
  facts.push(definition("Outcome", OUTCOME_WORDS[d.outcome] || d.outcome));
  if (d.outcome !== "none") {
    facts.push(definition("Amount", amountWords(d) || "The policy does not let the amount be computed."));
    facts.push(definition("Where the money goes",
      d.destination ? DESTINATION_WORDS[d.destination] || d.destination
        : d.outcome === "conditional" ? "It depends on your answers: see below." : "The policy does not say."));
    if (d.outcome !== "conditional") {
      facts.push(definition("Automatic?", d.automatic ? "Yes: it is refunded without asking." : "No: you have to ask for it."));
    }
  }
  parts.push(h("dl", { class: "refund-verdict__facts" }, facts));
  parts.push(h("p", { class: "refund-verdict__summary" }, d.summary));

  if (d.branches && d.branches.length) {
    parts.push(h("h4", {}, "What each answer leads to"));
    parts.push(h("ul", { class: "refund-branches" }, d.branches.map((b) => branchItem(b, template, vendor))));
  }
  if (full && d.steps && d.steps.length) {
    parts.push(h("h4", {}, "Why"));
    parts.push(stepList(d.steps, template, vendor));
  }
  if (d.request) parts.push(...requestParts(d.request, template, vendor));
  if (d.timings && d.timings.length) {
    parts.push(h("h4", {}, "How long it takes"));
    parts.push(h("ul", { class: "refund-timings" }, d.timings.map((t) =>
      h("li", {}, h("strong", {}, `${TIMING_WORDS[t.kind] || t.kind}: `), t.text, quoteList(t.quotes, template, vendor)))));
  }
  if (d.flags && d.flags.length) {
    parts.push(h("h4", {}, "Worth knowing"));
    parts.push(h("ul", { class: "refund-verdict-flags" }, d.flags.map((f) =>
      h("li", { dataset: { flag: f.id } }, h("strong", {}, `${FLAG_WORDS[f.kind] || f.kind}: `), f.text,
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
    h("details", {}, h("summary", {}, "Why, and how to ask"), decisionParts(d, template, vendor, true)));
}

function requestParts(r, template, vendor) {
  const out = [h("h4", {}, "How to ask for it")];
  const items = [definition("Channel", CHANNEL_WORDS[r.channel] || r.channel)];
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

// --- a calculator (vendor page) and a comparison (compare page) -----------------------------

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

// --- refund over time, redrawn for the reader's purchase -------------------------------------
//
// The page's "Refund over time" charts are drawn when the site is built (figure.refund-chart,
// see docs/site-contract.md, "Chart"). Once the form holds a purchase the library accepts (a
// verdict arrived), the chart for it is redrawn by the same library code (refundlib.bridge.chart_json,
// in the worker) and replaces the content of one figure: on a vendor page the figure whose
// purchase is billed the same way (or a new figure above them, when none is), on the compare
// page the comparison's figure. Without a valid purchase, the figures show what the site drew.

const CHART_DEBOUNCE_MS = 300; // after the verdict: charting a year takes a few tenths of a second
const CHART_SIZE = { width: 680, height: 400 }; // the site's charts (site_plugins/charts.py)
const SVG_NS = "http://www.w3.org/2000/svg";
const BILLED = { monthly: "billed monthly", annual: "billed annually", one_time: "paid once" };
const CHARTED = "Charted: "; // how the site's captions begin (site_plugins/charts.py)
const DEFAULT_PURCHASE = "Default purchase: ";

// The chart arrives as SVG text (refundlib.chart_svg.render_svg): parse it as XML, drop anything
// active, give its <title>/<desc> ids of the figure (the library names them "refund-chart-…"),
// and import the element. Never innerHTML.
function svgElement(text, idPrefix) {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = doc.documentElement;
  if (!root || root.localName !== "svg" || root.namespaceURI !== SVG_NS
    || doc.getElementsByTagName("parsererror").length) return null;
  for (const node of root.querySelectorAll("script, foreignObject, iframe, a, use, image")) node.remove();
  for (const node of [root, ...root.querySelectorAll("*")]) {
    for (const attr of [...node.attributes]) {
      if (/^on/i.test(attr.name) || /href$/i.test(attr.name) || attr.name === "style") node.removeAttribute(attr.name);
    }
  }
  const renamed = new Map();
  for (const node of root.querySelectorAll("[id]")) {
    const fresh = `${idPrefix}-${node.id.replace(/^refund-chart-/, "")}`;
    renamed.set(node.id, fresh);
    node.id = fresh;
  }
  const labelled = root.getAttribute("aria-labelledby");
  if (labelled) root.setAttribute("aria-labelledby", labelled.split(/\s+/).map((id) => renamed.get(id) || id).join(" "));
  return document.importNode(root, true);
}

function readJson(text) {
  try {
    return JSON.parse(text || "null");
  } catch {
    return null;
  }
}

function dayNumber(isoDate) {
  const [y, m, d] = String(isoDate).split("-").map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

// "a first payment of 30.00 USD, billed monthly at list price, on 2026-03-01" (as the site's captions say it)
function purchaseWords(scenario, series) {
  const first = series[0];
  const kind = { true: "a first payment", false: "a renewal payment" }[String(scenario.first_payment)] || "a payment";
  const listed = scenario.list_price;
  const discounted = listed !== undefined && listed !== "" && Number(listed) > Number(first.amount_paid);
  const price = discounted ? `discounted from a list price of ${listed} ${first.currency}` : "at list price";
  return `${kind} of ${first.amount_paid} ${first.currency}, ${BILLED[first.billing] || `billed ${first.billing}`} `
    + `${price}, on ${first.purchased_on}`;
}

function productWords(series) {
  if (series.length === 1) return `the ${series[0].product_name}`;
  const names = series.map((s) => (s.product_name.startsWith(s.name) ? s.product_name : `${s.name} ${s.product_name}`));
  return `each vendor's product (${names.join("; ")})`;
}

// The heading just before an element (the calculator's section), for a link to it.
function headingBefore(node) {
  for (let n = node.previousElementSibling; n; n = n.previousElementSibling) {
    if (/^H[1-6]$/.test(n.tagName)) return n.id ? n : null;
  }
  return null;
}

class LiveChart {
  // One per calculator. A job is {key, vendors, scenario (charted: no requested_on), billing,
  // matchBilling, requestedOn, notCharted: [names]}; only the latest wanted job is drawn, at most
  // one chart is computed at a time, and the last answer is kept (a change of the request date
  // alone redraws nothing).
  constructor(section, owns, describe) {
    this.section = section;
    this.describe = describe; // error -> words (the form's field names put in words)
    this.figures = [...document.querySelectorAll("figure.refund-chart")].map((figure) => ({
      figure,
      vendors: (figure.getAttribute("data-chart-vendors") || "").split(/\s+/).filter(Boolean),
      billing: (readJson(figure.getAttribute("data-chart-scenario")) || {}).billing || "",
    })).filter((f) => f.vendors.length && owns(f.vendors));
    const heading = headingBefore(section);
    this.calculatorHref = heading ? `#${heading.id}` : "";
    this.note = h("p", { class: "refund-chart-note", hidden: true });
    this.saved = new Map(); // figure -> {children, vendors, scenario, created}: what the site drew
    this.drawnKey = new Map(); // figure -> the key of the job it shows
    this.problemNode = null;
    this.wanted = null;
    this.inFlight = null; // the key being computed
    this.cache = null; // {key, ok, data | error}: the last answer
    this.timer = 0;
  }

  // A new verdict is being worked out: whatever arrives now is for a purchase no longer in the form.
  hold() {
    clearTimeout(this.timer);
    this.timer = 0;
    this.wanted = null;
  }

  // No valid purchase in the form: show what the site drew.
  release() {
    this.hold();
    this.restoreAll();
    this.relabel(null);
    this.note.hidden = true;
  }

  want(job) {
    if (!job) {
      this.release();
      return;
    }
    job.key = JSON.stringify([job.vendors, job.scenario, CHART_SIZE.width, CHART_SIZE.height]);
    this.hold();
    this.wanted = job;
    if (this.cache && this.cache.key === job.key) {
      this.show(job, this.cache);
      return;
    }
    const target = this.target(job);
    this.settle(target);
    if (target) {
      target.dataset.chartState = "computing";
      target.setAttribute("aria-busy", "true");
    }
    if (this.inFlight === job.key) return; // its answer is on the way
    this.timer = setTimeout(() => {
      this.timer = 0;
      this.send();
    }, CHART_DEBOUNCE_MS);
  }

  send() {
    const job = this.wanted;
    if (!job || this.inFlight !== null) return; // a chart being computed: the latest job follows it
    this.inFlight = job.key;
    chart(job.vendors, job.scenario, CHART_SIZE)
      .then((data) => ({ key: job.key, ok: true, data }), (error) => ({ key: job.key, ok: false, error }))
      .then((answer) => {
        this.inFlight = null;
        const startup = !answer.ok && answer.error && answer.error.kind === "StartupFailed";
        if (!startup) this.cache = answer;
        const wanted = this.wanted;
        if (wanted && wanted.key === answer.key) {
          if (startup) this.release(); // the status view says what happened, and offers "Try again"
          else this.show(wanted, answer);
        } else if (wanted && !this.timer) {
          this.send();
        }
      });
  }

  // The figure a job is drawn in: on a vendor page the first billed the same way, else one made for it.
  target(job) {
    const found = job.matchBilling ? this.figures.find((f) => f.billing === job.billing) : this.figures[0];
    if (found) return found.figure;
    return [...this.saved].find(([, s]) => s.created)?.[0] || null;
  }

  // A figure for a purchase no build-time figure is billed like: above the site's figures.
  createFigure() {
    const figure = h("figure", { class: "refund-chart", id: "chart-yours" });
    if (this.figures.length) {
      this.figures[0].figure.before(figure);
    } else {
      const heading = document.getElementById("refund-over-time");
      if (!heading) return null;
      let last = heading;
      while (last.nextElementSibling && !/^H[1-6]$/.test(last.nextElementSibling.tagName)) last = last.nextElementSibling;
      last.after(figure);
    }
    this.saved.set(figure, { created: true });
    return figure;
  }

  show(job, answer) {
    this.clearProblem();
    if (!answer.ok) {
      this.showProblem(job, answer.error);
      return;
    }
    const figure = this.target(job) || this.createFigure();
    if (!figure) return;
    for (const other of [...this.saved.keys()]) if (other !== figure) this.restore(other);
    const { series, svg } = answer.data;
    const caption = this.caption(job, series);
    if (this.drawnKey.get(figure) === job.key) {
      figure.querySelector(":scope > figcaption")?.replaceWith(caption); // only the request date changed
    } else {
      const drawingSvg = svgElement(svg, figure.id);
      if (!drawingSvg) {
        this.showProblem(job, new Error("the chart's drawing could not be read"));
        return;
      }
      if (!this.saved.has(figure)) {
        this.saved.set(figure, { children: [...figure.childNodes], vendors: figure.getAttribute("data-chart-vendors"),
          scenario: figure.getAttribute("data-chart-scenario") });
      }
      const title = drawingSvg.querySelector("title")?.textContent || "refund over time";
      const drawing = h("div", { class: "refund-chart-drawing", role: "region", tabindex: "0",
        "aria-label": `Chart: your purchase: ${title} (scrolls sideways on a small screen)`, "data-search-exclude": "" },
      drawingSvg);
      figure.replaceChildren(drawing, caption);
      this.drawnKey.set(figure, job.key);
    }
    figure.setAttribute("data-chart-vendors", series.map((s) => s.vendor).join(" "));
    figure.setAttribute("data-chart-scenario", JSON.stringify(job.scenario));
    figure.dataset.chartState = "live";
    figure.setAttribute("aria-busy", "false");
    this.settle(figure);
    this.relabel(figure);
    this.note.replaceChildren("Refund over time for this purchase, on every day it could be requested: ",
      h("a", { href: `#${figure.id}` }, "the chart “Refund over time”"), ", redrawn.");
    this.note.hidden = false;
  }

  caption(job, series) {
    const last = Math.max(...series.map((s) => s.last_day));
    const until = series[0].billing !== "one_time" ? ", until the paid term ends" : "";
    const parts = [
      h("p", {}, h("strong", {}, "Your purchase:"),
        ` ${purchaseWords(job.scenario, series)}, for ${productWords(series)}. Along the bottom: the day the refund is `
        + `requested${until}.`),
      h("p", {}, "Charted with the answers in the calculator: where an answer left open (“I don't know”, or not "
        + "given) matters, the line is dashed (“depends on an answer”)."),
    ];
    if (job.notCharted && job.notCharted.length) {
      parts.push(h("p", { class: "refund-chart-missing" }, h("strong", {}, "Not charted:"),
        ` ${job.notCharted.join("; ")}: no verdict for this purchase (the calculator says why).`));
    }
    if (job.requestedOn) {
      const day = dayNumber(job.requestedOn) - dayNumber(series[0].purchased_on);
      if (Number.isInteger(day) && day >= 0) {
        parts.push(h("p", {}, day <= last ? `Your request date, ${job.requestedOn}, is day ${day}.`
          : `Your request date, ${job.requestedOn}, is day ${day}: after the last day charted (${last}).`));
      }
    }
    const calculator = this.calculatorHref ? h("a", { href: this.calculatorHref }, "the calculator") : "the calculator";
    parts.push(h("p", {}, "Redrawn by ", calculator,
      " for the purchase entered there; with the form started over, the site's default purchase is shown again."));
    return h("figcaption", {}, parts);
  }

  showProblem(job, error) {
    this.restoreAll();
    this.relabel(null);
    const said = this.describe(error);
    const message = /[.!?]$/.test(said) ? said : `${said}.`;
    const anchor = this.target(job) || (this.figures[0] && this.figures[0].figure);
    this.problemNode = h("p", { class: "refund-chart-problem", role: "status" },
      h("strong", {}, "Not redrawn for your purchase:"), ` ${message} The chart shows the site's default purchase.`);
    if (anchor) {
      const caption = anchor.querySelector(":scope > figcaption");
      if (caption) caption.prepend(this.problemNode);
      else anchor.append(this.problemNode);
      anchor.dataset.chartState = "error";
      anchor.setAttribute("aria-busy", "false");
    } else {
      document.getElementById("refund-over-time")?.after(this.problemNode);
    }
    this.note.replaceChildren(`The chart “Refund over time” could not be redrawn for this purchase: ${message}`);
    this.note.hidden = false;
  }

  clearProblem() {
    if (!this.problemNode) return;
    this.problemNode.remove();
    this.problemNode = null;
  }

  restore(figure) {
    const saved = this.saved.get(figure);
    this.saved.delete(figure);
    this.drawnKey.delete(figure);
    if (!saved) return;
    if (saved.created) {
      figure.remove();
      return;
    }
    figure.replaceChildren(...saved.children);
    figure.setAttribute("data-chart-vendors", saved.vendors);
    figure.setAttribute("data-chart-scenario", saved.scenario);
    figure.dataset.chartState = "default";
    figure.removeAttribute("aria-busy");
  }

  // Only the figure about to be drawn says it is busy.
  settle(except) {
    for (const { figure } of this.figures) {
      if (figure === except || figure.dataset.chartState !== "computing") continue;
      figure.dataset.chartState = this.saved.has(figure) ? "live" : "default";
      figure.setAttribute("aria-busy", "false");
    }
  }

  restoreAll() {
    this.clearProblem();
    for (const figure of [...this.saved.keys()]) this.restore(figure);
    for (const { figure } of this.figures) {
      if (figure.dataset.chartState) figure.dataset.chartState = "default";
      figure.removeAttribute("aria-busy");
    }
  }

  // While the reader's purchase is charted, the site's other figures say that theirs is the default one.
  relabel(live) {
    for (const { figure } of this.figures) {
      if (figure === live) continue;
      const text = figure.querySelector(":scope > figcaption > p")?.firstChild;
      if (!text || text.nodeType !== Node.TEXT_NODE) continue;
      if (live && text.data.startsWith(CHARTED)) text.data = DEFAULT_PURCHASE + text.data.slice(CHARTED.length);
      else if (!live && text.data.startsWith(DEFAULT_PURCHASE)) text.data = CHARTED + text.data.slice(DEFAULT_PURCHASE.length);
    }
  }
}

class Widget {
  constructor(section) {
    this.section = section;
    this.clauseHref = section.dataset.clauseHref || "#clause-";
    this.stage = "idle";
    this.status = new StatusView(() => this.retry());
    this.problemBox = h("div", { class: "refund-problem", hidden: true });
    this.root = h("div", { class: "refund-ui" });
    section.append(this.root);
    this.ownsHash = hashOwner === null;
    if (this.ownsHash) hashOwner = this;
    const { scenario, problem } = this.ownsHash ? readHash() : { scenario: null, problem: "" };
    this.linked = Boolean(scenario); // opened from a permalink: show exactly that scenario
    this.shownHash = scenario ? window.location.hash : ""; // the #s= the form shows
    this.answers = scenario ? answersFromScenario(scenario) : emptyAnswers();
    this.linkProblem = problem;
    this.policiesOk = false;
    this.policyError = "";
    this.runner = new Runner((isCurrent) => this.compute(isCurrent));
    this.liveChart = new LiveChart(section, (vendors) => this.ownsChart(vendors), (error) => this.chartProblem(error));
  }

  // A chart the library refused, in words: e.g. a number question left open that some request day depends on.
  chartProblem(error) {
    const labels = this.labels || {};
    const { field, text } = plainError(error, labels);
    const expected = error.expected || "";
    return labels[field] && expected.includes(labels[field]) ? `the chart needs ${expected}.` : text;
  }

  async init() {
    this.root.replaceChildren(this.status.node, this.status.failure);
    this.unsubscribe = onStatus((s) => this.onStage(s));
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
    const { scenario } = readHash();
    if (!scenario) return;
    this.shownHash = window.location.hash;
    this.answers = answersFromScenario(scenario);
    this.linked = true;
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
    const scenario = this.scenario();
    this.lastScenario = scenario;
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
      const problem = plainError(error, this.labels);
      renderProblem(this.problemBox, this.form, problem);
      for (const v of this.verdictViews()) v.problem(`No verdict yet. ${problem.text}`);
      this.liveChart.release();
      return;
    }
    if (!isCurrent()) return;
    renderProblem(this.problemBox, this.form, null);
    this.render(result);
    this.liveChart.want(this.chartJob(scenario, result));
  }
}

class VendorCalculator extends Widget {
  vendorIds() {
    return [this.section.dataset.vendor];
  }

  formLabel() {
    return `Refund calculator for ${this.policy ? this.policy.name : this.section.dataset.vendor}`;
  }

  verdictViews() {
    return this.verdict ? [this.verdict] : [];
  }

  fromLink() {}

  get policy() {
    return this.policies && this.policies[0];
  }

  product() {
    return this.policy.products.find((p) => p.id === this.answers.product);
  }

  build() {
    const policy = this.policy;
    if (!this.answers.product && !this.linked) {
      const charged = policy.products.find((p) => p.charged) || policy.products[0];
      if (charged) this.answers.product = charged.id;
    }
    this.fixBilling();
    this.labels = Object.fromEntries(policy.facts.map((f) => [`facts.${f.id}`, f.question]));
    const name = nextId("calc");
    this.names = name;
    this.productSlot = h("div", { class: "refund-slot" }, this.productField());
    this.billingSlot = h("div", { class: "refund-slot" }, this.billingField());
    this.factSlot = h("div", { class: "refund-slot refund-questions" }, this.factFields());
    this.form = this.buildForm([
      this.productSlot,
      this.billingSlot,
      h("div", { class: "refund-fields" }, commonFields(this.answers)),
      firstPaymentField(this.answers, `${name}-first-payment`),
      this.factSlot,
    ]);
    this.verdict = new VerdictView({ vendor: policy.id, clauseHref: this.clauseHref });
    const children = [this.form, this.status.node, this.status.failure, this.problemBox, this.verdict.node,
      this.liveChart.note];
    if (this.linkProblem) children.unshift(h("p", { class: "refund-problem", role: "alert" }, this.linkProblem));
    this.root.replaceChildren(...children);
    if (this.stage === "failed") this.verdict.failed();
  }

  productField() {
    const products = this.policy.products;
    const options = products.map((p) => ({ value: p.id, label: p.name + (p.charged ? "" : " (never charged)"),
      description: products.length <= 3 ? p.description : "" }));
    if (products.length <= 3) {
      return radioGroup({ legend: "What did you buy?", name: `${this.names}-product`, field: "product",
        options, value: this.answers.product });
    }
    if (!products.some((p) => p.id === this.answers.product)) options.unshift({ value: "", label: "Choose…" });
    return selectField({ label: "What did you buy?", field: "product", value: this.answers.product, options,
      help: (this.product() || {}).description || "" });
  }

  fixBilling() {
    const product = this.product();
    if (!product) return;
    if (!product.billing.includes(this.answers.billing)) {
      this.answers.billing = product.billing.length === 1 ? product.billing[0] : "";
    }
  }

  billingField() {
    const product = this.product();
    const billing = product ? product.billing : [];
    if (!billing.length) return h("p", { class: "refund-help" }, "Choose a product to see how it is billed.");
    return radioGroup({ legend: "How is it billed?", name: `${this.names}-billing`, field: "billing",
      options: billing.map((b) => ({ value: b, label: BILLING_WORDS[b] || b })), value: this.answers.billing,
      extraClass: "refund-group--inline" });
  }

  applicableFacts() {
    const product = this.answers.product;
    return this.policy.facts.filter((f) => !f.products.length || f.products.includes(product));
  }

  factFields() {
    const facts = this.applicableFacts();
    if (!facts.length) return [];
    return [h("p", { class: "refund-questions__lead" }, `Questions from ${this.policy.name}'s policy`),
      ...facts.map((f) => factField(f, this.answers, `${this.names}-fact-${f.id}`))];
  }

  edited(field) {
    if (field !== "product") return;
    this.fixBilling();
    this.billingSlot.replaceChildren(this.billingField());
    this.factSlot.replaceChildren(...this.factFields());
    if (this.policy.products.length > 3) {
      // refresh the product's description (help text) without moving focus
      const help = this.productSlot.querySelector(".refund-help");
      if (help) help.textContent = (this.product() || {}).description || "";
    }
  }

  scenario() {
    const s = commonScenario(this.answers);
    if (this.answers.product) s.product = this.answers.product;
    const facts = factAnswers(this.answers, this.applicableFacts());
    if (Object.keys(facts).length) s.facts = facts;
    return ordered(s);
  }

  request(scenario) {
    return evaluate(this.policy.id, scenario);
  }

  // The figures of this vendor's page: one vendor each.
  ownsChart(vendors) {
    return vendors.length === 1 && vendors[0] === this.section.dataset.vendor;
  }

  chartJob(scenario) {
    const { requested_on: requestedOn, ...charted } = scenario;
    const product = this.product();
    const billing = charted.billing || (product && product.billing.length === 1 ? product.billing[0] : "");
    return { vendors: [this.policy.id], scenario: charted, billing, matchBilling: true, requestedOn };
  }

  render(decision) {
    this.verdict.show(decision);
  }
}

class CompareCalculator extends Widget {
  vendorIds() {
    return (this.section.dataset.vendors || "").split(/\s+/).filter(Boolean);
  }

  formLabel() {
    return "Compare refunds across vendors";
  }

  verdictViews() {
    return this.views ? [...this.views.values()] : [];
  }

  fromLink() {
    this.chosen = new Set(Object.keys(this.answers.products));
  }

  // The default product per vendor, like refundlib.compare.pick_product: the first charged
  // product offered with the chosen billing (a default only; the library decides).
  pick(policy) {
    const billing = this.answers.billing;
    const product = policy.products.find((p) => p.charged && (!billing || p.billing.includes(billing)));
    return product ? product.id : "";
  }

  defaultProducts() {
    for (const policy of this.policies) {
      if (!this.chosen.has(policy.id)) this.answers.products[policy.id] = this.pick(policy);
    }
  }

  mergedFacts() {
    const merged = new Map();
    for (const policy of this.policies) {
      for (const fact of policy.facts) {
        const entry = merged.get(fact.id);
        if (entry) entry.askers.push({ name: policy.name, question: fact.question });
        else merged.set(fact.id, { ...fact, askers: [{ name: policy.name, question: fact.question }] });
      }
    }
    return [...merged.values()];
  }

  build() {
    if (!this.chosen) this.chosen = new Set(Object.keys(this.answers.products));
    this.defaultProducts();
    this.facts = this.mergedFacts();
    this.labels = Object.fromEntries(this.facts.map((f) => [`facts.${f.id}`, f.question]));
    const name = nextId("cmp");
    const billings = [...new Set(this.policies.flatMap((p) => p.products.filter((x) => x.charged).flatMap((x) => x.billing)))];
    const order = ["monthly", "annual", "one_time"];
    billings.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    this.productSlot = h("fieldset", { class: "refund-group refund-product-picks" },
      h("legend", {}, "Product at each vendor"),
      h("p", { class: "refund-help" }, "Preselected: each vendor's first paid product billed the way you chose."),
      this.productSelects());
    const facts = this.facts.map((f) => {
      const others = f.askers.length > 1
        ? `Asked by ${f.askers.map((a) => a.name).join(", ")}.` + f.askers.slice(1)
          .filter((a) => a.question !== f.question).map((a) => ` ${a.name} asks: “${a.question}”`).join("")
        : `Asked by ${f.askers[0].name}.`;
      return factField(f, this.answers, `${name}-fact-${f.id}`, others);
    });
    this.form = this.buildForm([
      radioGroup({ legend: "How is it billed?", name: `${name}-billing`, field: "billing", value: this.answers.billing,
        options: billings.map((b) => ({ value: b, label: BILLING_WORDS[b] || b })), extraClass: "refund-group--inline" }),
      h("div", { class: "refund-fields" }, commonFields(this.answers)),
      firstPaymentField(this.answers, `${name}-first-payment`),
      this.productSlot,
      facts.length ? h("details", { class: "refund-more" }, h("summary", {}, "More questions (optional)"), facts) : null,
    ]);
    this.views = new Map();
    const results = h("div", { class: "refund-compare-results" }, this.policies.map((policy) => {
      const view = new VerdictView({ vendor: policy.id, clauseHref: this.clauseHref, title: policy.name });
      this.views.set(policy.id, view);
      return h("article", { class: "refund-compare-result" }, view.node);
    }));
    const children = [this.form, this.status.node, this.status.failure, this.problemBox, results, this.liveChart.note];
    if (this.linkProblem) children.unshift(h("p", { class: "refund-problem", role: "alert" }, this.linkProblem));
    this.root.replaceChildren(...children);
    if (this.stage === "failed") for (const v of this.views.values()) v.failed();
    this.form.querySelector("details")?.toggleAttribute("open", Object.keys(this.answers.facts).length > 0);
  }

  productSelects() {
    return h("div", { class: "refund-fields" }, this.policies.map((policy) => {
      const current = this.answers.products[policy.id] || "";
      const options = policy.products.map((p) => ({ value: p.id, label: p.name + (p.charged ? "" : " (never charged)") }));
      if (!current) options.unshift({ value: "", label: "(nothing billed this way)" });
      return selectField({ label: policy.name, field: `products.${policy.id}`, value: current, options });
    }));
  }

  edited(field) {
    if (field.startsWith("products.")) {
      this.chosen.add(field.slice(9));
      return;
    }
    if (field !== "billing") return;
    this.defaultProducts();
    // Update the selects in place so that focus stays where it is.
    for (const policy of this.policies) {
      const select = this.productSlot.querySelector(`[data-field="products.${CSS.escape(policy.id)}"]`);
      const value = this.answers.products[policy.id] || "";
      const blank = select.querySelector('option[value=""]');
      if (!value && !blank) select.prepend(h("option", { value: "" }, "(nothing billed this way)"));
      if (value && blank) blank.remove();
      select.value = value;
    }
  }

  scenario() {
    const s = commonScenario(this.answers);
    const facts = factAnswers(this.answers, this.facts);
    if (Object.keys(facts).length) s.facts = facts;
    const products = {};
    for (const policy of this.policies) if (this.answers.products[policy.id]) products[policy.id] = this.answers.products[policy.id];
    s.products = products;
    return ordered(s);
  }

  request(scenario) {
    return compare(scenario);
  }

  // The comparison's figure: several vendors of this page.
  ownsChart(vendors) {
    const mine = new Set(this.vendorIds());
    return vendors.every((v) => mine.has(v));
  }

  // Every vendor with a verdict for the purchase, with the product it was given; the others are named.
  chartJob(scenario, results) {
    const decided = new Set(results.filter((r) => r.decision && scenario.products[r.vendor]).map((r) => r.vendor));
    const vendors = this.policies.map((p) => p.id).filter((id) => decided.has(id));
    if (!vendors.length) return null;
    const { requested_on: requestedOn, ...charted } = scenario;
    charted.products = Object.fromEntries(vendors.map((id) => [id, scenario.products[id]]));
    const notCharted = this.policies.filter((p) => !decided.has(p.id)).map((p) => p.name);
    return { vendors, scenario: charted, billing: charted.billing, matchBilling: false, requestedOn, notCharted };
  }

  render(results) {
    const shown = new Set();
    for (const result of results) {
      const view = this.views.get(result.vendor);
      if (!view) continue;
      shown.add(result.vendor);
      if (result.decision) view.show(result.decision);
      else view.problem(plainError({ message: result.error }, this.labels).text);
    }
    for (const [vendor, view] of this.views) if (!shown.has(vendor)) view.problem("This vendor was not part of the comparison.");
  }
}

function boot() {
  for (const section of document.querySelectorAll("section.refund-calculator[data-vendor]")) {
    if (section.dataset.refundReady) continue;
    section.dataset.refundReady = "true";
    new VendorCalculator(section).init();
  }
  for (const section of document.querySelectorAll("section.refund-compare[data-vendors]")) {
    if (section.dataset.refundReady) continue;
    section.dataset.refundReady = "true";
    new CompareCalculator(section).init();
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot, { once: true });
else boot();
