// The vendor page's calculator: the vendor's products and questions, one verdict.

import { evaluate } from "./embed.js";
import { h, nextId } from "./dom.js";
import { commonScenario, factAnswers, ordered } from "./answers.js";
import { billingField, commonFields, factField, firstPaymentField, radioGroup, selectField } from "./form.js";
import { VerdictView } from "./verdict.js";
import { Widget } from "./widget.js";

export class VendorCalculator extends Widget {
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
    return billingField({ name: `${this.names}-billing`, billings: billing, value: this.answers.billing });
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
    if (this.linked && !this.landed) { // a shared link lands on its verdict, once
      this.landed = true;
      this.verdict.land();
    }
  }
}
