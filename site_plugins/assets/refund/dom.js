// Small DOM helpers shared by the calculator and the playground: elements built from text only
// (never innerHTML with data), fresh ids, and the one SVG sanitizer for the library's charts.

const SVG_NS = "http://www.w3.org/2000/svg";
// Anything that could run, fetch or pull in content: removed from a chart before it is shown.
const ACTIVE_ELEMENTS = "script, foreignObject, iframe, a, use, image, style, animate, set, feImage";

let uid = 0;

/** A fresh element id: "refund-<what>-<n>". */
export function nextId(what) {
  uid += 1;
  return `refund-${what}-${uid}`;
}

/** document.createElement(tag) with props (class, text, dataset, on<event>, attributes) and children. */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "checked" || key === "selected" || key === "value") node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

/** Today's date on the reader's clock, as YYYY-MM-DD. */
export function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * A chart's SVG text (refundlib.chart_svg.render_svg) as an element for this page: parsed as XML,
 * stripped of every active element and of event handlers, links and style attributes, its ids
 * (the library names them "refund-chart-…" or "<prefix>-…") renamed "<idPrefix>-…" when idPrefix
 * is given, and imported. Null when the text is not an SVG document.
 */
export function svgElement(text, idPrefix = "") {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = doc.documentElement;
  if (!root || root.localName !== "svg" || root.namespaceURI !== SVG_NS
    || doc.getElementsByTagName("parsererror").length) return null;
  for (const node of root.querySelectorAll(ACTIVE_ELEMENTS)) node.remove();
  for (const node of [root, ...root.querySelectorAll("*")]) {
    for (const attr of [...node.attributes]) {
      if (/^on/i.test(attr.name) || /href$/i.test(attr.name) || attr.name === "style") node.removeAttribute(attr.name);
    }
  }
  if (idPrefix) {
    const renamed = new Map();
    for (const node of root.querySelectorAll("[id]")) {
      const fresh = `${idPrefix}-${node.id.replace(/^refund-chart-/, "")}`;
      renamed.set(node.id, fresh);
      node.id = fresh;
    }
    const labelled = root.getAttribute("aria-labelledby");
    if (labelled) root.setAttribute("aria-labelledby", labelled.split(/\s+/).map((id) => renamed.get(id) || id).join(" "));
  }
  return document.importNode(root, true);
}
