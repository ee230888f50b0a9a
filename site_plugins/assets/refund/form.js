// The calculator's form controls (each carries data-field="<the scenario field it answers>"),
// and the library's refusal shown next to the control of the field it names.

import { WORDS, billingChoice, fieldLabel } from "./shared.js";
import { h, nextId } from "./dom.js";

const COMMON_CURRENCIES = [
  "USD", "EUR", "GBP", "INR", "JPY", "KRW", "CAD", "AUD", "CHF", "CNY", "SGD", "HKD", "MXN", "BRL",
  "SEK", "NOK", "DKK", "PLN", "NZD", "ZAR", "AED", "SAR", "TRY", "IDR", "THB", "MYR", "PHP", "VND",
];

function helpText(text) {
  if (!text) return null;
  return h("p", { class: "refund-help", id: nextId("help") }, text);
}

export function radioGroup({ legend, help, name, field, options, value, extraClass }) {
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

/** "How is it billed?": a choice of these ways of billing. */
export function billingField({ name, billings, value }) {
  return radioGroup({ legend: "How is it billed?", name, field: "billing", value, extraClass: "refund-group--inline",
    options: billings.map((b) => ({ value: b, label: billingChoice(b) })) });
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

export function selectField({ label, help, field, value, options }) {
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
    textField({ label: fieldLabel("currency"), field: "currency", value, autocomplete: "off", list: listId,
      help: "The three-letter code of the currency you paid in, such as USD, EUR, GBP or INR.",
      extra: { spellcheck: "false", autocapitalize: "characters", size: 8 } }),
    h("datalist", { id: listId }, COMMON_CURRENCIES.map((c) => h("option", { value: c }))));
}

/** Dates, amounts and currency: what every calculator asks. */
export function commonFields(answers) {
  return [
    textField({ label: fieldLabel("purchased_on"), field: "purchased_on", type: "date", value: answers.purchased_on,
      help: "The day you were charged (for a renewal: the day of the renewal charge)." }),
    textField({ label: fieldLabel("requested_on"), field: "requested_on", type: "date", value: answers.requested_on,
      help: "The day you ask (or asked) for the refund; today unless you change it." }),
    textField({ label: fieldLabel("amount_paid"), field: "amount_paid", value: answers.amount_paid, inputmode: "decimal",
      help: "What you were actually charged, as a number such as 49.00." }),
    textField({ label: `${fieldLabel("list_price")} (optional)`, field: "list_price", value: answers.list_price,
      inputmode: "decimal", help: "Only if you paid less than the list price (a coupon or an annual discount)." }),
    currencyField(answers.currency),
  ];
}

export function firstPaymentField(answers, name) {
  return yesNoUnknown({ legend: WORDS.first_payment_question, name, field: "first_payment", value: answers.first_payment,
    help: "Some policies only refund the first payment of a subscription." });
}

export function factField(fact, answers, name, extraHelp) {
  const field = `facts.${fact.id}`;
  const help = [fact.help, extraHelp].filter(Boolean).join(" ");
  if (fact.type === "bool") {
    return yesNoUnknown({ legend: fact.question, help, name, field, value: answers.facts[fact.id] || "" });
  }
  return textField({ label: fact.question, help, field, value: answers.facts[fact.id] || "", inputmode: "decimal" });
}

/**
 * Show the library's refusal ({field, text}, or null for none) in `box`: right after the control
 * of the field it names (marked aria-invalid), or above the form when no control answers that
 * field (e.g. an unknown field in a permalink). The form keeps every answer.
 */
export function showProblem(box, form, problem) {
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  box.replaceChildren();
  if (!problem) {
    box.hidden = true;
    delete box.dataset.problemField;
    return;
  }
  box.hidden = false;
  box.dataset.problemField = problem.field; // test hook: the field the library named
  box.append(h("p", { class: "refund-problem__lead" }, "To get a verdict:"), h("p", { class: "refund-problem__text" }, problem.text));
  const controls = problem.field ? [...form.querySelectorAll(`[data-field="${CSS.escape(problem.field)}"]`)] : [];
  for (const control of controls) control.setAttribute("aria-invalid", "true");
  const place = controls.length ? controls[0].closest(".refund-group, .refund-field-wrap, .refund-field") : null;
  if (place) place.after(box);
  else form.before(box);
}
