#!/usr/bin/env node
// Compile refundlib with the Pyodide the site ships, in Node, and cut that Pyodide's standard
// library down to what the calculator runs:
//
//   node site_plugins/bytecode.mjs PYODIDE_DIR IN.whl HOOK.py OUT_DIR [--sourceless]
//
// PYODIDE_DIR is node_modules/pyodide; HOOK.py the lazy-archive import hook (stdlib_hook.py). Writes into OUT_DIR:
//
// - refundlib-bytecode.zip: `<package>/__pycache__/<module>.<cache tag>.pyc` for every module of
//   the wheel, where Python looks for it next to the source;
// - python_stdlib-core.zip: the standard library modules that Pyodide's start-up, `import
//   refundlib.bridge` and the vendor and comparison pages' calls (evaluate, compare) load, each as
//   `<module>.pyc` beside `<module>.py` (zipimport prefers a .pyc it finds beside the source), plus
//   HOOK.py as `_refund_stdlib.py` with the names of the modules in the other archive written in;
// - python_stdlib-lazy.zip: what the playground and the charts load beyond that (every other
//   refundlib module imported, and their calls made);
// - stdlib.json: the module names of each archive, and those of Pyodide's that neither holds.
//
// The modules are found by running those imports and calls here, in Pyodide itself, and reading
// sys.modules: nothing is guessed from source. Entries are stored (not deflated), so that the
// host's brotli or gzip compresses the archive as a whole.
//
// Everything is compiled by that Pyodide's own interpreter (the magic number is the browser's) as
// *checked-hash* pycs: on import, Python hashes the source beside it and uses the pyc only if the
// hash matches, so a pyc never runs code other than its source's, and file times do not matter.
// With --sourceless the standard library archives hold the pycs alone (unchecked-hash: there is
// no source to check against); refundlib keeps its sources either way.
// Used by site_plugins/bytecode.py; exit 0 on success, 1 with a message on stderr otherwise.

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { unzip, writeFiles } from "./zipread.mjs";

// A purchase put to every product of every vendor, and the same with errors: the calls' paths.
const SAMPLE = {
  billing: "annual", purchased_on: "2026-01-01", requested_on: "2026-07-01", amount_paid: "800.00",
  list_price: "1000.00", currency: "USD", first_payment: true, facts: {},
};

const COMPILE = `
def _compile_for_browser(wheel_dir, hook_dir, stdlib_zip, sample_json, outs, sourceless):
    import importlib, pkgutil, sys, zipimport
    sys.dont_write_bytecode = True
    prefix = stdlib_zip.rstrip("/") + "/"

    def loaded():
        found = {}
        for module in list(sys.modules.values()):
            spec = getattr(module, "__spec__", None)
            origin = getattr(spec, "origin", None) or ""
            if isinstance(getattr(spec, "loader", None), zipimport.zipimporter) and origin.startswith(prefix) \\
                    and origin.endswith(".py"):
                found[origin[len(prefix):]] = spec.name
        return found

    def ask(what, call, **args):
        """One request through refundlib.bridge.dispatch, as the worker sends it; a bug stops the build."""
        body = json.loads(bridge.dispatch(json.dumps({"call": call, "args": args})))
        if not body["ok"] and body["error"].get("kind") == "internal":
            raise SystemExit(f"{what}: the bridge failed inside (see the traceback above)")
        return body

    # 1. The vendor and comparison pages: Pyodide's start-up (loaded already), the hook, the bridge,
    #    and its verdicts for a purchase (and for a refused one) of every product of every vendor.
    sys.path[:0] = [wheel_dir, hook_dir]
    import json
    import _refund_stdlib  # noqa: F401 - its own imports
    import refundlib
    import refundlib.bridge as bridge
    from refundlib.registry import get_policy, vendor_ids
    sample = json.loads(sample_json)
    vendors = list(vendor_ids())
    for vendor in vendors:
        for product in get_policy(vendor).products:
            scenario = {**sample, "product": product.id}
            ask(f"evaluate {vendor} {product.id}", "evaluate", vendor=vendor, scenario=scenario)
            ask("compare", "compare", scenario=scenario)
        ask(f"evaluate {vendor} {{}}", "evaluate", vendor=vendor, scenario={})
        ask(f"evaluate {vendor} 'not json'", "evaluate", vendor=vendor, scenario="not json")
    core = loaded()

    # 2. The playground and the charts: every other module of refundlib but the command line
    #    (never run in a browser), and their calls.
    for module in pkgutil.iter_modules(refundlib.__path__):
        if module.name not in ("__main__", "cli"):
            importlib.import_module("refundlib." + module.name)
    for vendor in vendors:
        source = ask(f"policy_source {vendor}", "policy_source", vendor=vendor)["value"]
        for product in get_policy(vendor).products:
            scenario = {**sample, "product": product.id}
            ask(f"playground {vendor}", "playground", toml=source, scenario=scenario)
            ask(f"chart {vendor}", "chart", vendors=[vendor], scenario=scenario)
        ask(f"playground {vendor} broken", "playground", toml=source.replace("[", "[[", 1), scenario=None)
    ask("policy_source ''", "policy_source", vendor="")
    ask("chart all", "chart", vendors=vendors, scenario=sample)
    lazy = {inner: name for inner, name in loaded().items() if inner not in core}
    sys.path[:2] = []

    import compileall, importlib.util, marshal, os, py_compile, zipfile
    from _imp import source_hash

    checked = py_compile.PycInvalidationMode.CHECKED_HASH
    if not compileall.compile_dir(wheel_dir, quiet=2, workers=1, force=True, invalidation_mode=checked):
        raise SystemExit("compileall failed on the wheel")
    tag = sys.implementation.cache_tag
    with zipfile.ZipFile(outs["refundlib"], "w", zipfile.ZIP_STORED) as out:
        for folder, _dirs, names in sorted(os.walk(wheel_dir)):
            for name in sorted(names):
                if name.endswith("." + tag + ".pyc") and os.path.basename(folder) == "__pycache__":
                    file = os.path.join(folder, name)
                    out.write(file, os.path.relpath(file, wheel_dir))

    key = int.from_bytes(importlib.util.MAGIC_NUMBER, "little")
    flags = (0b01 if sourceless else 0b11).to_bytes(4, "little")  # hash-based; checked against the source
    epoch = (1980, 1, 1, 0, 0, 0)  # fixed: the archives depend on their contents only

    def pack(target, modules, extra):
        with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
            for inner, text in sorted({**{i: source.read(i) for i in modules}, **extra}.items()):
                code = compile(text, prefix + inner, "exec", dont_inherit=True)
                pyc = importlib.util.MAGIC_NUMBER + flags + source_hash(key, text) + marshal.dumps(code)
                out.writestr(zipfile.ZipInfo(inner[:-3] + ".pyc", date_time=epoch), pyc)
                if not sourceless:
                    out.writestr(zipfile.ZipInfo(inner, date_time=epoch), text)

    with zipfile.ZipFile(stdlib_zip) as source:
        everything = {n[:-3].removesuffix("/__init__").replace("/", ".") for n in source.namelist() if n.endswith(".py")}
        lazy_names = sorted(set(lazy.values()))
        omitted = sorted(everything - set(core.values()) - set(lazy_names) - {"_refund_stdlib"})
        with open(os.path.join(hook_dir, "_refund_stdlib.py"), encoding="utf-8") as file:
            hook = file.read()
        marker = "LAZY: frozenset[str] = frozenset()"
        if hook.count(marker) != 1:
            raise SystemExit(f"the hook must define {marker!r} once")
        hook = hook.replace(marker, f"LAZY: frozenset[str] = frozenset({lazy_names!r})")
        pack(outs["core"], core, {"_refund_stdlib.py": hook.encode("utf-8")})
        pack(outs["lazy"], lazy, {})
    with open(outs["report"], "w", encoding="utf-8") as file:
        json.dump({"core": sorted(set(core.values()) | {"_refund_stdlib"}), "lazy": lazy_names,
                   "omitted": omitted, "sourceless": bool(sourceless)}, file, indent=1)
    return len(core)
`;

function fail(message) {
  process.stderr.write(`bytecode.mjs: ${message}\n`);
  process.exit(1);
}

async function main() {
  const args = process.argv.slice(2);
  const sourceless = args.includes("--sourceless");
  const [pyodideDir, wheelPath, hookPath, outDir] = args.filter((a) => a !== "--sourceless");
  if (!outDir) fail("usage: bytecode.mjs PYODIDE_DIR IN.whl HOOK.py OUT_DIR [--sourceless]");
  const entry = path.join(pyodideDir, "pyodide.mjs");
  if (!fs.existsSync(entry)) fail(`${entry} not found; run \`make setup\``);
  const { loadPyodide } = await import(pathToFileURL(entry).href);
  const pyodide = await loadPyodide({ stdout: () => {}, stderr: (line) => process.stderr.write(`${line}\n`) });
  // Read here rather than with pyodide.unpackArchive, which imports zipfile, shutil and more into Python
  // before the trace (the browser's worker unpacks the wheel itself too).
  writeFiles(pyodide.FS, "/wheel", unzip(fs.readFileSync(wheelPath)));
  pyodide.FS.mkdirTree("/hook");
  pyodide.FS.writeFile("/hook/_refund_stdlib.py", fs.readFileSync(hookPath));
  // Found before the function below imports anything (its own imports come after the trace).
  const stdlib = pyodide.runPython("import sys; next(p for p in sys.path if p.endswith('.zip'))");
  pyodide.runPython(COMPILE);
  const compile = pyodide.globals.get("_compile_for_browser");
  const outs = { refundlib: "/refundlib-bytecode.zip", core: "/python_stdlib-core.zip",
                 lazy: "/python_stdlib-lazy.zip", report: "/stdlib.json" };
  const modules = compile("/wheel", "/hook", stdlib, JSON.stringify(SAMPLE), pyodide.toPy(outs), sourceless);
  compile.destroy();
  if (!modules) fail(`${stdlib}: no standard library module was loaded from it`);
  for (const file of Object.values(outs)) {
    fs.writeFileSync(path.join(outDir, file.slice(1)), pyodide.FS.readFile(file));
  }
}

main().catch((error) => fail(error?.stack ?? String(error)));
