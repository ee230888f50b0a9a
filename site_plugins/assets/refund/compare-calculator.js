// The compare page's calculator: one purchase put to every vendor, a verdict each.

import { compare } from "./embed.js";
import { DEFAULT_PRODUCTS, describeError } from "./shared.js";
import { h, nextId } from "./dom.js";
import { commonScenario, factAnswers, ordered } from "./answers.js";
import { billingField, commonFields, factField, firstPaymentField, selectField } from "./form.js";
import { VerdictView } from "./verdict.js";
import { Widget } from "./widget.js";

export class CompareCalculator extends Widget {
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

  // The product each vendor is given unless the reader chose one: refundlib.compare.pick_product's,
  // for the chosen billing (published by the site build in shared.json).
  defaultProducts() {
    const picks = DEFAULT_PRODUCTS[this.answers.billing || ""] || {};
    for (const policy of this.policies) {
      if (!this.chosen.has(policy.id)) this.answers.products[policy.id] = picks[policy.id] || "";
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
      billingField({ name: `${name}-billing`, billings, value: this.answers.billing }),
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

  // Every vendor with a verdict for the purchase, with the product the library gave it; the others are named.
  chartJob(scenario, results) {
    const given = new Map(results.filter((r) => r.decision && r.product).map((r) => [r.vendor, r.product]));
    const decided = new Set(given.keys());
    const vendors = this.policies.map((p) => p.id).filter((id) => decided.has(id));
    if (!vendors.length) return null;
    const { requested_on: requestedOn, ...charted } = scenario;
    charted.products = Object.fromEntries(vendors.map((id) => [id, given.get(id)]));
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
      else view.problem(describeError(result.error, this.labels).text);
    }
    for (const [vendor, view] of this.views) if (!shown.has(vendor)) view.problem("This vendor was not part of the comparison.");
  }
}
