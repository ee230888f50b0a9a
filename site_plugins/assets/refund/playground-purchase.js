// The playground's purchase form: the purchase every policy, and the draft, is charted for.

import { DEFAULT_PURCHASE, WORDS, billingChoice } from "./shared.js";
import { h, nextId } from "./dom.js";

const ANY_PRODUCT = "Its first paid product billed this way";

export class PurchaseForm {
  // onChange(delay): the purchase changed (delay 0: check now).
  constructor(onChange) {
    const field = (label, key, value, extra = {}) => {
      const id = nextId("purchase");
      return h("div", { class: "refund-playground-field" },
        h("label", { for: id }, label),
        h("input", { id, type: "text", value, autocomplete: "off", spellcheck: "false", dataset: { field: key }, ...extra }));
    };
    const billingId = nextId("purchase");
    this.billing = h("select", { id: billingId, dataset: { field: "billing" } },
      Object.keys(WORDS.billing).map((value) => h("option", { value }, billingChoice(value))));
    this.billing.value = DEFAULT_PURCHASE.billing;
    const productId = nextId("purchase");
    this.product = h("select", { id: productId, dataset: { field: "product" } }, h("option", { value: "" }, ANY_PRODUCT));
    const firstId = nextId("purchase");
    this.firstPayment = h("input", { id: firstId, type: "checkbox", checked: DEFAULT_PURCHASE.first_payment,
      dataset: { field: "first_payment" } });
    this.problem = h("p", { class: "refund-problem", role: "alert", hidden: true });
    this.node = h("form", { class: "refund-playground-form", novalidate: true, "aria-label": "The purchase charted" },
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
      this.problem);
    this.node.addEventListener("input", () => onChange());
    this.node.addEventListener("change", () => onChange());
    this.node.addEventListener("submit", (event) => {
      event.preventDefault();
      onChange(0);
    });
  }

  /** The purchase as the form holds it (the library checks it). */
  purchase() {
    const out = {};
    for (const input of this.node.querySelectorAll("input[type=text][data-field]")) {
      const value = input.value.trim();
      if (value !== "") out[input.dataset.field] = input.dataset.field === "currency" ? value.toUpperCase() : value;
    }
    out.billing = this.billing.value;
    out.first_payment = this.firstPayment.checked;
    if (this.product.value) out.product = this.product.value;
    return out;
  }

  /** The draft's products to choose from (the choice kept while the draft still has it). */
  setProducts(policy) {
    const keep = this.product.value;
    this.product.replaceChildren(h("option", { value: "" }, ANY_PRODUCT),
      policy.products.map((p) => h("option", { value: p.id }, p.name + (p.charged ? "" : " (never charged)"))));
    this.product.value = policy.products.some((p) => p.id === keep) ? keep : "";
  }

  /** The library's refusal of the purchase (its error value), next to the form; null: none. */
  showError(error) {
    for (const input of this.node.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    this.problem.hidden = !error;
    if (!error) return;
    const control = this.node.querySelector(`[data-field="${CSS.escape(error.field || "")}"]`);
    if (control) control.setAttribute("aria-invalid", "true");
    this.problem.textContent = `Nothing charted: ${error.message}.`;
  }
}
