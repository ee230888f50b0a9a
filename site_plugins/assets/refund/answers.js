// The form's answers and the scenario they make, and the permalink (#s=<JSON>) that holds one.
// Values are passed on as the reader typed them: the library validates and decides.

import { today } from "./dom.js";

const SCENARIO_ORDER = ["product", "purchased_on", "requested_on", "amount_paid", "list_price", "currency",
  "billing", "first_payment", "facts", "products"];
const TYPED = ["purchased_on", "requested_on", "amount_paid", "list_price", "currency"];

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

function isObject(value) {
  return Boolean(value) && typeof value === "object" && !Array.isArray(value);
}

/** The scenario with its keys in the order the calculator writes them (the permalink reads the same). */
export function ordered(scenario) {
  const out = {};
  for (const key of SCENARIO_ORDER) if (key in scenario) out[key] = scenario[key];
  for (const key of Object.keys(scenario)) if (!(key in out)) out[key] = scenario[key];
  return out;
}

/**
 * The #s= permalink of this page: {link, problem}. link is null without one, else {scenario}: the
 * decoded JSON exactly as it is (whatever it holds: the library, not this file, says what is wrong).
 */
export function readHash() {
  const hash = window.location.hash;
  if (!hash.startsWith("#s=")) return { link: null, problem: "" };
  try {
    return { link: { scenario: JSON.parse(decodeURIComponent(hash.slice(3))) }, problem: "" };
  } catch {
    return { link: null, problem: "The link's scenario could not be read; the form starts empty." };
  }
}

export function hashFor(scenario) {
  return `#s=${encodeURIComponent(JSON.stringify(scenario))}`;
}

export function emptyAnswers() {
  return { product: "", billing: "", purchased_on: "", requested_on: today(), amount_paid: "", list_price: "",
    currency: "", first_payment: "", facts: {}, products: {} };
}

/** The form's answers for a scenario (a permalink's): what it can show of it. */
export function answersFromScenario(scenario) {
  const answers = { ...emptyAnswers(), requested_on: "" };
  if (!isObject(scenario)) return answers;
  for (const key of ["product", "billing", ...TYPED]) {
    if (key in scenario) answers[key] = asText(scenario[key]);
  }
  answers.first_payment = fromTristate(scenario.first_payment);
  const facts = isObject(scenario.facts) ? scenario.facts : {};
  for (const [id, value] of Object.entries(facts)) {
    answers.facts[id] = typeof value === "boolean" || value === "unknown" ? fromTristate(value) : asText(value);
  }
  const products = isObject(scenario.products) ? scenario.products : {};
  for (const [vendor, product] of Object.entries(products)) answers.products[vendor] = asText(product);
  return answers;
}

/** The fields every calculator asks, as a scenario: what is filled in. */
export function commonScenario(answers) {
  const s = {};
  for (const key of TYPED) {
    const value = answers[key].trim();
    if (value !== "") s[key] = value;
  }
  if (answers.billing) s.billing = answers.billing;
  if (answers.first_payment) s.first_payment = toTristate(answers.first_payment);
  return s;
}

/** The answers to these questions (policy facts), as a scenario's facts. */
export function factAnswers(answers, facts) {
  const out = {};
  for (const fact of facts) {
    const value = (answers.facts[fact.id] || "").trim();
    if (value === "") continue;
    out[fact.id] = fact.type === "bool" ? toTristate(value) : value;
  }
  return out;
}

export function setAnswer(answers, field, value) {
  if (field.startsWith("facts.")) answers.facts[field.slice(6)] = value;
  else if (field.startsWith("products.")) answers.products[field.slice(9)] = value;
  else answers[field] = value;
}
