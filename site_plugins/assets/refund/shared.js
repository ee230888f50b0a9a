// The words and constants the browser shares with refundlib: assets/refund/shared.json, written by
// the site build (site_plugins/shared_json.py) from refundlib.words, refundlib.chart_svg and
// refundlib.compare. No word table and no constant of the library is written out in JS.

import shared from "./shared.json" with { type: "json" };

export const WORDS = shared.words;
export const DEFAULT_PURCHASE = shared.default_purchase;
// billing ("" for none) -> vendor id -> the product refundlib.compare.pick_product gives it
export const DEFAULT_PRODUCTS = shared.default_products;

export function capitalized(phrase) {
  return phrase ? phrase[0].toUpperCase() + phrase.slice(1) : "";
}

// A way of billing as a form offers it: "Monthly", "Annual", "One-time".
export function billingChoice(billing) {
  return capitalized(WORDS.billing[billing] || billing);
}

// A field as the reader knows it: the form's label for it, else the library's name for it.
export function fieldLabel(field, labels = {}) {
  return labels[field] || WORDS.scenario_fields[field] || field;
}

// The library's error value {error, field, kind, expected, given, message}, in words: never parsed.
export function describeError(value, labels = {}) {
  const error = value && typeof value === "object" ? value : { message: String(value || "") };
  const field = error.field || "";
  if (!field || !error.expected) return { field, text: error.message || "The calculator could not answer." };
  const given = error.given === undefined || error.given === null || error.given === ""
    ? "" : `, got ${typeof error.given === "string" ? error.given : JSON.stringify(error.given)}`;
  return { field, text: `${fieldLabel(field, labels)}: expected ${error.expected}${given}.` };
}
