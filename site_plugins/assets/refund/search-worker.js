// Material for MkDocs' search worker, on the pages with a calculator (see overrides/main.html).
//
// Material starts its search worker when the page loads, and the worker's first message makes it
// build the search index: a few tenths of a second of CPU, while the calculator's own worker is
// booting Python on the same cores. This classic worker loads Material's (named by ?worker=) and
// holds that first message back until the calculator is ready or has failed, or the reader goes to
// the search box (start.js says so on the "refund-calculator" BroadcastChannel), or 15 seconds have
// passed. Search itself is unchanged.
(() => {
  const name = new URL(self.location.href).searchParams.get("worker") || "";
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(name)) throw new Error(`search-worker.js: not a search worker: ${name}`);

  const held = [];
  let released = false;
  let channel = null;
  let timer = 0;
  const release = () => {
    if (released) return;
    released = true;
    clearTimeout(timer);
    if (channel) channel.close();
    for (const data of held.splice(0)) self.dispatchEvent(new MessageEvent("message", { data }));
  };
  // Registered before Material's listener, so it sees each message first.
  self.addEventListener("message", (event) => {
    if (released) return;
    event.stopImmediatePropagation();
    held.push(event.data);
    if (!event.data || event.data.type !== 0) release(); // not the set-up: nothing to hold back
  });
  if (typeof BroadcastChannel === "function") {
    channel = new BroadcastChannel("refund-calculator");
    channel.addEventListener("message", (event) => {
      if (event.data && (event.data.calculator === "settled" || event.data.search === "wanted")) release();
    });
    channel.postMessage({ search: "waiting" }); // answered at once if the calculator is settled already
    timer = setTimeout(release, 15000);
  } else {
    released = true;
  }

  importScripts(new URL(`../javascripts/workers/${name}`, self.location.href).href);
})();
