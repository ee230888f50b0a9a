// Refund over time, redrawn for the reader's purchase: the live chart of a calculator.
//
// The page's "Refund over time" charts are drawn when the site is built (figure.refund-chart,
// see docs/site-contract.md, "Chart"). Once the form holds a purchase the library accepts (a
// verdict arrived), the chart for it is redrawn by the same library code (the bridge call "chart",
// in the worker) and replaces the content of one figure: on a vendor page the figure whose
// purchase is billed the same way (or a new figure above them, when none is), on the compare
// page the comparison's figure. Without a valid purchase, the figures show what the site drew.

import { WORDS } from "./shared.js";
import { h, svgElement } from "./dom.js";
import { chart } from "./embed.js";

const CHART_DEBOUNCE_MS = 300; // after the verdict: charting a year takes a few tenths of a second
const { charted: CHARTED, default: DEFAULT_PURCHASE } = WORDS.chart_leads; // how the site's captions begin

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

export class LiveChart {
  // One per calculator. A job is {key, vendors, scenario (charted: no requested_on), billing,
  // matchBilling, requestedOn, notCharted: [names]}; only the latest wanted job is drawn, at most
  // one chart is computed at a time, and the last answer is kept (a change of the request date
  // alone redraws nothing).
  constructor(section, owns, describe) {
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
    job.key = JSON.stringify([job.vendors, job.scenario]);
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
    chart(job.vendors, job.scenario)
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
    const { series, svg, purchase } = answer.data;
    const caption = this.caption(job, series, purchase);
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

  caption(job, series, purchase) {
    const last = Math.max(...series.map((s) => s.last_day));
    const until = series[0].billing !== "one_time" ? ", until the paid term ends" : "";
    const parts = [
      h("p", {}, h("strong", {}, "Your purchase:"),
        ` ${purchase}, for ${productWords(series)}. Along the bottom: the day the refund is `
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
