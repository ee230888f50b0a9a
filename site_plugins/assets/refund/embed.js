// The refund calculator's engine, for this site's pages and for embedders.
//
//   import { evaluate, compare } from "<site>/assets/refund/embed.js";
//   const decision = await evaluate("recatch", {product: "subscription", billing: "annual", ...});
//
// evaluate(vendorId, scenario) resolves to the library's Decision JSON (refundlib's
// Decision.to_dict()); compare(scenario) resolves to the list of comparison results
// ({vendor, name, product, decision | null, error}). Both reject with an Error whose
// message is refundlib's own message and whose `.value` is the library's error value
// {error, field, kind, expected, given, message}; `.field` and `.expected` repeat its field
// and expectation, `.kind` is the library's error class (e.g. "ScenarioError").
//
// All of the work happens in one module Web Worker per page (worker.js), running the
// refundlib wheel under Pyodide; it is started on first use (or by start(); the site's own
// calculator pages start it from <head>, see early.js) and the scenario never leaves the browser. If the runtime cannot be loaded, pending and later
// calls reject with the start-up failure until start() (or the next call after a
// failure) starts a fresh worker.

const WORKER_URL = new URL("./worker.js", import.meta.url);

let worker = null;
let nextId = 1;
const pending = new Map(); // id -> {resolve, reject}
const listeners = new Set();
// The engine's state, as shown to listeners:
//   {stage: "idle"|"runtime"|"stdlib"|"wheel"|"ready"|"failed", detail: string}
let status = { stage: "idle", detail: "" };

function setStatus(next) {
  status = { stage: next.stage, detail: next.detail || "" };
  for (const listener of listeners) {
    try {
      listener(status);
    } catch (error) {
      // A broken listener must not stop the others; report it where it can be seen.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

function failAll(message) {
  const failed = [...pending.values()];
  pending.clear();
  for (const { reject } of failed) reject(startupError(message));
}

function startupError(message) {
  const error = new Error(message);
  error.kind = "StartupFailed";
  return error;
}

function libraryError(payload) {
  const value = payload && typeof payload === "object" ? payload : {};
  const error = new Error(value.message || "The calculator returned an error without a message.");
  error.value = value;
  error.kind = value.error || "Error";
  if (value.field) error.field = value.field;
  if (value.expected) error.expected = value.expected;
  return error;
}

function fail(message) {
  if (worker) {
    worker.terminate();
    worker = null;
  }
  setStatus({ stage: "failed", detail: message });
  failAll(message);
}

// For measurements, on the page's performance timeline: "refund:<stage>" when the page learns of a
// stage ("refund:ready": the calculator can answer), "refund:worker:<stage>" when the worker reached it.
function mark({ stage, at }) {
  if (typeof performance !== "object" || typeof performance.mark !== "function") return;
  try {
    performance.mark(`refund:${stage}`);
    const startTime = at - performance.timeOrigin;
    if (Number.isFinite(startTime) && startTime >= 0) performance.mark(`refund:worker:${stage}`, { startTime });
  } catch {
    // only a measurement
  }
}

function onMessage(event) {
  const data = event.data || {};
  if (data.type === "progress") {
    mark(data);
    setStatus({ stage: data.stage, detail: data.detail });
    return;
  }
  if (data.type === "failed") {
    fail(data.message || "The Python runtime could not be started.");
    return;
  }
  const request = pending.get(data.id);
  if (!request) return;
  pending.delete(data.id);
  if (data.ok) request.resolve(data);
  else request.reject(libraryError(data.error));
}

// A page may only start a worker from its own origin. Embedded from another origin, start a
// same-origin (blob:) module worker that imports worker.js from this site; that needs this
// site to send CORS headers (Access-Control-Allow-Origin) and the embedding page's CSP, if
// any, to allow blob: workers and the site's origin in script-src and connect-src.
function createWorker() {
  if (WORKER_URL.origin === self.location.origin) return new Worker(WORKER_URL, { type: "module" });
  const source = `import ${JSON.stringify(WORKER_URL.href)};\n`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const blobWorker = new Worker(url, { type: "module" });
  // Its script has been read once the worker speaks (or fails): the blob URL can go then.
  const revoke = () => URL.revokeObjectURL(url);
  blobWorker.addEventListener("message", revoke, { once: true });
  blobWorker.addEventListener("error", revoke, { once: true });
  return blobWorker;
}

// The site's calculator pages start the worker from <head> (early.js), long before this module
// runs: the first start() takes that one over, with the messages it has sent so far. Only once:
// a restart, or a page without early.js, creates its own.
function startedEarly() {
  if (typeof window !== "object" || !window) return null;
  const early = window.__refundWorker;
  window.__refundWorker = null; // taken (early.js, if it runs later, leaves the worker to us)
  if (!early || !early.worker) return null;
  if (early.url !== WORKER_URL.href) { // another copy of the calculator: not ours to use
    early.stop();
    early.worker.terminate();
    return null;
  }
  return early;
}

function onMessageError() {
  fail("A message from the calculator's worker could not be read.");
}

function onError(event) {
  // Fired when worker.js cannot be fetched or parsed, or throws outside a request.
  event.preventDefault();
  const what = event.message ? `: ${event.message}` : " (its script could not be loaded)";
  fail(`The calculator's background worker stopped${what}.`);
}

/** Start the worker now (no-op when it is already running); returns the current status. */
export function start() {
  if (worker) return status;
  setStatus({ stage: "runtime", detail: "Starting the calculator…" });
  const early = startedEarly();
  try {
    worker = early ? early.worker : createWorker();
  } catch (error) {
    worker = null;
    fail(`The calculator's background worker could not be created (${error && error.message ? error.message : error}).`);
    return status;
  }
  const current = worker;
  current.addEventListener("message", onMessage);
  current.addEventListener("messageerror", onMessageError);
  current.addEventListener("error", onError);
  if (early) {
    early.stop();
    const handlers = { message: onMessage, messageerror: onMessageError, error: onError };
    for (const event of early.events.splice(0)) {
      if (worker !== current) break; // a failure among them ended this worker
      handlers[event.type](event);
    }
  }
  return status;
}

/** Stop the current worker (if any) and start a fresh one: the "Try again" button. */
export function restart() {
  if (worker) {
    worker.terminate();
    worker = null;
  }
  failAll("The calculator was restarted.");
  return start();
}

/** The engine's current status: {stage, detail}. */
export function getStatus() {
  return status;
}

/** Call listener({stage, detail}) now and on every change; returns an unsubscribe function. */
export function onStatus(listener) {
  listeners.add(listener);
  listener(status);
  return () => listeners.delete(listener);
}

// One call of refundlib.bridge.dispatch in the worker: resolves to its value, rejects with its error.
async function call(name, args) {
  if (!worker) start();
  if (!worker) throw startupError(status.detail);
  const id = nextId++;
  const reply = await new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, call: name, args });
  });
  return reply.value;
}

/** What refundlib decides for `scenario` under vendor `vendorId`'s policy (Decision JSON). */
export function evaluate(vendorId, scenario) {
  return call("evaluate", { vendor: String(vendorId), scenario });
}

/** One scenario put to every vendor: [{vendor, name, product, decision|null, error}]. */
export function compare(scenario) {
  return call("compare", { scenario });
}

/**
 * The policy playground: a draft policy file (TOML text) checked by refundlib and, when it loads,
 * linted, compared and charted beside the published policies for `scenario` (the purchase to chart).
 * Resolves to {valid: false, error: {field, expected, message, line, column}} or
 * {valid: true, name, policy, lint, columns, topics, chart} (see refundlib/playground.py).
 */
export function playground(tomlText, scenario = null) {
  return call("playground", { toml: String(tomlText), scenario });
}

/** The shipped TOML text of a published policy; "" gives a blank template that loads as it is. */
export function policySource(vendorId = "") {
  return call("policy_source", { vendor: String(vendorId) });
}

/**
 * Refund over time: `scenario` (without requested_on: one point per request day) put to each of
 * `vendorIds` (a product per vendor in `scenario.products`, else each vendor's first product billed
 * that way). Resolves to {series, svg, purchase}: refundlib.chart.Series.to_dict() per vendor, the SVG
 * text of refundlib.chart_svg.render_svg at the site's chart size, and the purchase in words.
 */
export function chart(vendorIds, scenario) {
  return call("chart", { vendors: [...vendorIds].map(String), scenario });
}
