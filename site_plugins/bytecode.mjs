#!/usr/bin/env node
// Compile refundlib, and the standard library modules the calculator imports, with the Pyodide the
// site ships, in Node:
//
//   node site_plugins/bytecode.mjs PYODIDE_DIR IN.whl OUT_DIR
//
// PYODIDE_DIR is node_modules/pyodide. Writes two files into OUT_DIR:
//
// - refundlib-bytecode.zip: `<package>/__pycache__/<module>.<cache tag>.pyc` for every module of
//   the wheel, where Python looks for it next to the source;
// - python_stdlib.zip: Pyodide's python_stdlib.zip, every entry unchanged, plus `<module>.pyc`
//   next to `<module>.py` for each module that Pyodide's start-up and `import refundlib.*` load
//   from it (zipimport prefers a .pyc it finds beside the source). Pyodide ships the standard
//   library as source only, so without these it compiles some 130 modules on every start.
//
// Everything is compiled by that Pyodide's own interpreter (the magic number is the browser's) as
// *checked-hash* pycs: on import, Python hashes the source beside it and uses the pyc only if the
// hash matches, so a pyc never runs code other than its source's, and file times do not matter.
// Used by site_plugins/bytecode.py; exit 0 on success, 1 with a message on stderr otherwise.

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const COMPILE = `
def _compile_for_browser(wheel_dir, stdlib_zip, refundlib_out, stdlib_out):
    import importlib, pkgutil, sys, zipimport

    # What the calculator imports: Pyodide's start-up (loaded already) and every refundlib module;
    # found first, before this function's own imports further down add theirs.
    sys.dont_write_bytecode = True
    sys.path.insert(0, wheel_dir)
    import refundlib
    for module in pkgutil.iter_modules(refundlib.__path__):
        if module.name != "__main__":  # the command line: importing it runs it
            importlib.import_module("refundlib." + module.name)
    sys.path.remove(wheel_dir)
    prefix = stdlib_zip.rstrip("/") + "/"
    wanted = {}
    for module in list(sys.modules.values()):
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None) or ""
        if isinstance(getattr(spec, "loader", None), zipimport.zipimporter) and origin.startswith(prefix) \\
                and origin.endswith(".py"):
            wanted[origin[len(prefix):]] = origin

    import compileall, importlib.util, marshal, os, py_compile, zipfile
    from _imp import source_hash

    checked = py_compile.PycInvalidationMode.CHECKED_HASH
    if not compileall.compile_dir(wheel_dir, quiet=2, workers=1, force=True, invalidation_mode=checked):
        raise SystemExit("compileall failed on the wheel")
    tag = sys.implementation.cache_tag
    with zipfile.ZipFile(refundlib_out, "w", zipfile.ZIP_STORED) as out:
        for folder, _dirs, names in sorted(os.walk(wheel_dir)):
            for name in sorted(names):
                if name.endswith("." + tag + ".pyc") and os.path.basename(folder) == "__pycache__":
                    file = os.path.join(folder, name)
                    out.write(file, os.path.relpath(file, wheel_dir))

    # The same pyc layout zipimport reads: <module>.pyc beside <module>.py, in the same archive.
    key = int.from_bytes(importlib.util.MAGIC_NUMBER, "little")
    flags = (0b11).to_bytes(4, "little")  # hash-based, checked
    with zipfile.ZipFile(stdlib_zip) as source, \\
            zipfile.ZipFile(stdlib_out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        names = set(source.namelist())
        for info in source.infolist():
            out.writestr(info, source.read(info), compress_type=info.compress_type)
        for inner, origin in sorted(wanted.items()):
            pyc = inner[:-3] + ".pyc"
            if pyc in names:
                continue
            text = source.read(inner)
            code = compile(text, origin, "exec", dont_inherit=True)
            entry = zipfile.ZipInfo(pyc, date_time=source.getinfo(inner).date_time)
            out.writestr(entry, importlib.util.MAGIC_NUMBER + flags + source_hash(key, text) + marshal.dumps(code),
                         compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return len(wanted)
`;

function fail(message) {
  process.stderr.write(`bytecode.mjs: ${message}\n`);
  process.exit(1);
}

async function main() {
  const [pyodideDir, wheelPath, outDir] = process.argv.slice(2);
  if (!outDir) fail("usage: bytecode.mjs PYODIDE_DIR IN.whl OUT_DIR");
  const entry = path.join(pyodideDir, "pyodide.mjs");
  if (!fs.existsSync(entry)) fail(`${entry} not found; run \`make setup\``);
  const { loadPyodide } = await import(pathToFileURL(entry).href);
  const pyodide = await loadPyodide({ stdout: () => {}, stderr: (line) => process.stderr.write(`${line}\n`) });
  pyodide.unpackArchive(new Uint8Array(fs.readFileSync(wheelPath)), "wheel", { extractDir: "/wheel" });
  pyodide.runPython(COMPILE);
  const compile = pyodide.globals.get("_compile_for_browser");
  const stdlib = pyodide.runPython("import sys; next(p for p in sys.path if p.endswith('.zip'))");
  const modules = compile("/wheel", stdlib, "/refundlib-bytecode.zip", "/python_stdlib.zip");
  compile.destroy();
  if (!modules) fail(`${stdlib}: no standard library module was loaded from it`);
  fs.writeFileSync(path.join(outDir, "refundlib-bytecode.zip"), pyodide.FS.readFile("/refundlib-bytecode.zip"));
  fs.writeFileSync(path.join(outDir, "python_stdlib.zip"), pyodide.FS.readFile("/python_stdlib.zip"));
}

main().catch((error) => fail(error?.stack ?? String(error)));
