// Module Web Worker: loads Pyodide and the refundlib wheel, then answers requests by
// calling refundlib.bridge.dispatch. Protocol (see docs/site-contract.md):
//   in:  {id, call, args}   (call: "evaluate" | "compare" | "chart" | "policy_source" | "playground")
//   out: {id, ok: true, value} | {id, ok: false, error: {error, field, kind, expected, given, message}}
//        {type: "progress", stage: "runtime"|"stdlib"|"wheel"|"ready", detail, at}
//        {type: "failed", message}   (the runtime could not be started; nothing more will come)
// Every verdict is computed by the Python library; this file only moves JSON around.

const MANIFEST_URL = new URL("./manifest.json", import.meta.url);
// The plugin writes the manifest's wheel, pyodide_index_url, stdlib and stdlib_lazy here when it publishes this file
// (site_plugins/assets.py, worker_source): one request less before Pyodide's downloads can start.
// Left as it is (null), the worker reads manifest.json. URLs are relative to MANIFEST_URL either way.
const BUILT_IN_MANIFEST = /* refund:manifest */ null;

// `at`: when, on the worker's clock (ms since the epoch, like performance.timeOrigin + now()).
function progress(stage, detail) {
  self.postMessage({ type: "progress", stage, detail, at: performance.timeOrigin + performance.now() });
}

function describe(error) {
  if (!error) return "unknown error";
  const text = error.message || String(error);
  // Python tracebacks are long: the last line says what happened.
  const lines = text.trim().split("\n");
  return lines[lines.length - 1].slice(0, 500);
}

// A start-up failure whose message is already worded for the page: passed on as it is.
class StartupError extends Error {}

async function fetchOk(url, what) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new StartupError(`${what} could not be downloaded (${describe(error)}). Check your connection.`);
  }
  if (!response.ok) throw new StartupError(`${what} could not be downloaded (HTTP ${response.status} for ${url}).`);
  return response;
}

// Pyodide swallows some start-up failures (a failed download of pyodide.asm.wasm or of the
// standard library, a WebAssembly compile error) with a console message and then waits
// forever. While the runtime starts, watch the downloads and WebAssembly compilation it
// does, and turn any failure into an error, so that the page can say what happened.
function watchStartup() {
  let fail;
  const failed = new Promise((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {}); // only ever awaited through Promise.race
  const realFetch = self.fetch;
  self.fetch = async function watchedFetch(resource, ...rest) {
    const url = String(resource && resource.url ? resource.url : resource);
    const name = url.split("?")[0].split("/").pop();
    let response;
    try {
      response = await realFetch.call(this, resource, ...rest);
    } catch (error) {
      fail(new Error(`${name} could not be downloaded (${describe(error)}). Check your connection`));
      throw error;
    }
    if (!response.ok) fail(new Error(`${name} could not be downloaded (HTTP ${response.status})`));
    return response;
  };
  const realWasm = {};
  for (const key of ["instantiate", "instantiateStreaming", "compile", "compileStreaming"]) {
    if (typeof WebAssembly[key] !== "function") continue;
    realWasm[key] = WebAssembly[key];
    WebAssembly[key] = function watchedWasm(...args) {
      const result = realWasm[key].apply(WebAssembly, args);
      result.catch((error) => fail(new Error(`the WebAssembly runtime could not be started (${describe(error)})`)));
      return result;
    };
  }
  const stop = () => {
    self.fetch = realFetch;
    Object.assign(WebAssembly, realWasm);
  };
  return { failed, stop };
}

// The wheel is a zip file: read its entries (stored or deflated) with the browser's own
// DecompressionStream, so that refundlib is in site-packages before Python starts (installing it
// from Python would first import sysconfig, zipfile and importlib.metadata).
async function unzip(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("not a zip file");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const names = new TextDecoder();
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) throw new Error("a damaged zip file");
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const unpacked = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    const name = names.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (name.startsWith("/") || name.split("/").includes("..")) throw new Error(`an unsafe path in the zip file (${name})`);
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) throw new Error("a damaged zip file");
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const raw = bytes.subarray(start, start + size);
    if (method === 0) entries.push({ name, data: raw });
    else if (method === 8) entries.push({ name, data: inflate(raw, unpacked) });
    else throw new Error(`unsupported compression (method ${method})`);
  }
  return Promise.all(entries.map(async ({ name, data }) => ({ name, data: await data })));
}

// One deflated entry, written to and read from the stream directly: several times faster than
// through Blob and Response (measured in Chromium: 16 ms against 90-120 ms for the 63 entries).
async function inflate(raw, size) {
  const stream = new DecompressionStream("deflate-raw");
  const writer = stream.writable.getWriter();
  writer.write(raw).catch(() => {}); // a failure shows on the reading side
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const out = new Uint8Array(size);
  let filled = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (filled + value.length > size) throw new Error("a damaged zip file (an entry is longer than it says)");
    out.set(value, filled);
    filled += value.length;
  }
  if (filled !== size) throw new Error("a damaged zip file (an entry is shorter than it says)");
  return out;
}

async function downloadWheel(url) {
  const bytes = new Uint8Array(await (await fetchOk(url, "The refundlib package")).arrayBuffer());
  try {
    return await unzip(bytes);
  } catch (error) {
    throw new StartupError(`The refundlib package could not be installed (${describe(error)}).`);
  }
}

function install(FS, sitePackages, files) {
  for (const { name, data } of files) {
    const path = `${sitePackages}/${name}`;
    FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    if (!name.endsWith("/")) FS.writeFile(path, data);
  }
}

// The playground's and the charts' standard library modules are in a second archive: the import hook
// in the first (site_plugins/stdlib_hook.py) calls this on the first import of one of them, and an
// import is synchronous, which a worker's XMLHttpRequest may be.
function installLazyStdlib(pyodide, url) {
  pyodide.pyimport("_refund_stdlib").install(() => {
    const request = new XMLHttpRequest();
    request.open("GET", url, false);
    request.responseType = "arraybuffer";
    request.send();
    if (request.status !== 200) throw new Error(`${url.split("/").pop()} could not be downloaded (HTTP ${request.status})`);
    pyodide.FS.writeFile("/lib/python_stdlib-lazy.zip", new Uint8Array(request.response));
    return "/lib/python_stdlib-lazy.zip";
  });
}

async function boot() {
  progress("runtime", "Downloading the Python runtime…");
  const manifest = BUILT_IN_MANIFEST ?? await (await fetchOk(MANIFEST_URL, "The calculator's manifest")).json();
  if (!manifest || typeof manifest.wheel !== "string" || typeof manifest.pyodide_index_url !== "string") {
    throw new Error("The calculator's manifest.json is incomplete (it needs wheel and pyodide_index_url).");
  }
  const indexURL = new URL(manifest.pyodide_index_url, MANIFEST_URL).href;
  // Pyodide's standard library with bytecode added by the plugin (site_plugins/bytecode.py), if any.
  const stdLibURL = typeof manifest.stdlib === "string" ? new URL(manifest.stdlib, MANIFEST_URL).href : undefined;
  const wheelURL = new URL(manifest.wheel, MANIFEST_URL).href;
  // refundlib downloads (and unpacks) while the runtime does; it is written into site-packages
  // before Python starts (fsInit), so that Python finds it like any installed package.
  const wheel = downloadWheel(wheelURL);
  const wheelFailed = wheel.then(() => new Promise(() => {}));
  wheelFailed.catch(() => {}); // only ever awaited through Promise.race

  let loadPyodide;
  try {
    ({ loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href));
  } catch (error) {
    throw new Error(`The Python runtime could not be loaded (${describe(error)}).`);
  }
  let pyodide;
  let installError = null;
  const watch = watchStartup();
  try {
    pyodide = await Promise.race([
      loadPyodide({
        indexURL,
        ...(stdLibURL ? { stdLibURL } : {}),
        // Called once the WebAssembly runtime is running and the standard library is mounted,
        // before the interpreter starts.
        fsInit: async (FS, { sitePackages }) => {
          progress("stdlib", "Starting Python with its standard library…");
          try {
            install(FS, sitePackages, await wheel);
          } catch (error) {
            installError = error; // reported below, or by the race as soon as the download fails
          }
        },
        stdout: () => {},
        stderr: (line) => console.warn(`[python] ${line}`),
      }),
      watch.failed,
      wheelFailed,
    ]);
  } catch (error) {
    if (error instanceof StartupError) throw error; // the wheel's download failed meanwhile
    throw new Error(`The Python runtime could not be started: ${describe(error)}.`);
  } finally {
    watch.stop();
  }
  if (installError) {
    if (installError instanceof StartupError) throw installError;
    throw new Error(`The refundlib package could not be installed (${describe(installError)}).`);
  }

  progress("wheel", "Importing refundlib…");
  let bridge;
  try {
    if (typeof manifest.stdlib_lazy === "string") installLazyStdlib(pyodide, new URL(manifest.stdlib_lazy, MANIFEST_URL).href);
    bridge = pyodide.pyimport("refundlib.bridge");
  } catch (error) {
    throw new Error(`The refundlib package could not be installed (${describe(error)}).`);
  }
  progress("ready", "Ready.");
  return bridge.dispatch;
}

const ready = boot();
let broken = false;
ready.catch((error) => {
  broken = true;
  self.postMessage({ type: "failed", message: describe(error) });
});

// What the page gets when the request itself cannot be sent to Python (e.g. a cyclic object).
const UNSENDABLE = { error: "request", field: "args", kind: "type", expected: "JSON values", given: "",
  message: "The request could not be sent to the calculator: its answers are not JSON values." };

self.addEventListener("message", async (event) => {
  const { id, call, args } = event.data || {};
  let dispatch;
  try {
    dispatch = await ready;
  } catch {
    return; // "failed" was posted; the page rejects every pending request.
  }
  if (broken) return;
  let request;
  try {
    // JSON has no Infinity or NaN (JSON.parse("1e400") gives Infinity): they go as their text, which
    // the library refuses by name, instead of turning into null, which it would take for "not given".
    request = JSON.stringify({ call, args: args === undefined ? {} : args },
      (_key, value) => (typeof value === "number" && !Number.isFinite(value) ? String(value) : value));
  } catch {
    self.postMessage({ id, ok: false, error: UNSENDABLE });
    return;
  }
  try {
    self.postMessage({ id, ...JSON.parse(dispatch(request)) });
  } catch (error) {
    // refundlib.bridge.dispatch answers every Python exception as JSON: reaching here means the runtime
    // itself broke (e.g. out of memory). Say so, and let the page offer to start a fresh one.
    broken = true;
    self.postMessage({ type: "failed", message: `The Python runtime stopped working (${describe(error)}).` });
  }
});
