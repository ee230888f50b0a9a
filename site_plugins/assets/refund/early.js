// Starts the calculator's worker while the page is still being read. The pages with a calculator
// (a vendor page, the comparison) load this small classic script early in <head> (see
// overrides/main.html), so that Pyodide downloads and boots alongside the rest of the page instead
// of after it: calculator.js, a module script, runs only once the page has been parsed (and an
// async script is fetched at low priority and run late too). It only creates the worker.
//
// embed.js adopts the worker on its first start() (window.__refundWorker): the messages the
// worker sent before that were kept here, and it receives them in order then.
//
// Also, on these pages Material's search worker is search-worker.js, which holds back building
// its index (a few tenths of a second of CPU) until the calculator is ready or has failed, or
// the reader goes to the search box: say so on the "refund-calculator" BroadcastChannel when
// that happens (and whenever the search worker asks).
(() => {
  "use strict";

  let settled = false;
  let wanted = false;
  const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("refund-calculator") : null;
  const settle = () => {
    if (settled) return;
    settled = true;
    if (channel) channel.postMessage({ calculator: "settled" });
  };

  if (!("__refundWorker" in window)) { // not started by embed.js already
    let worker = null;
    try {
      const url = new URL("worker.js", document.currentScript.src).href;
      worker = new Worker(url, { type: "module" });
      const events = [];
      const keep = (event) => {
        if (event.type === "error") event.preventDefault(); // as embed.js does: it reports it
        events.push(event);
      };
      const types = ["message", "messageerror", "error"];
      for (const type of types) worker.addEventListener(type, keep);
      window.__refundWorker = {
        worker,
        url,
        events,
        stop: () => {
          for (const type of types) worker.removeEventListener(type, keep);
        },
      };
    } catch {
      worker = null; // embed.js starts one (and reports what goes wrong)
    }
    if (worker) {
      worker.addEventListener("message", (event) => {
        const data = event.data || {};
        if ((data.type === "progress" && data.stage === "ready") || data.type === "failed") settle();
      });
      worker.addEventListener("error", settle);
    } else {
      settle();
    }
  } else {
    settle(); // embed.js runs the calculator: nothing here knows when it is ready
  }

  if (!channel) return;
  // Material sends a query only once its index is built: the search box getting focus (a click,
  // its keyboard shortcut, the search button on a small screen) is the sign that it is wanted now.
  const isSearchBox = (node) => node instanceof Element
    && node.matches('[data-md-component="search-query"], .md-search__input');
  document.addEventListener("focusin", (event) => {
    if (!isSearchBox(event.target)) return;
    wanted = true;
    channel.postMessage({ search: "wanted" });
  });
  channel.addEventListener("message", (event) => {
    if (!event.data || event.data.search !== "waiting") return;
    if (settled) channel.postMessage({ calculator: "settled" });
    else if (wanted || isSearchBox(document.activeElement)) channel.postMessage({ search: "wanted" });
  });
})();
