// The refund calculator's entry point: a VendorCalculator for each vendor page's section, a
// CompareCalculator for the compare page's. The form collects answers, refundlib (in the page's
// worker, see embed.js / worker.js) validates and decides, and these modules only display.
//
// Markup it works on (emitted by the site plugin, see docs/site-contract.md):
//   <section class="refund-calculator" data-vendor="<id>" data-clause-href="#clause-">
//   <section class="refund-compare" data-vendors="a b c" data-clause-href="../vendors/{vendor}/#clause-">
// The scenario lives in the URL as #s=<encodeURIComponent(JSON)>.

import { VendorCalculator } from "./vendor-calculator.js";
import { CompareCalculator } from "./compare-calculator.js";

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
