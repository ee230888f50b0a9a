#!/usr/bin/env node
// Compile a pure-Python wheel's modules to bytecode with the Pyodide the site ships, in Node.
//
//   node site_plugins/bytecode.mjs PYODIDE_DIR IN.whl OUT.zip
//
// PYODIDE_DIR is node_modules/pyodide. OUT.zip receives one entry per module of the wheel,
// `<package>/__pycache__/<module>.<cache tag>.pyc`, compiled by that Pyodide's own interpreter
// (so the magic number is the browser's) as *checked-hash* pycs: the interpreter that imports
// them compares the source's hash with the one recorded, and compiles the source instead if they
// differ, so a pyc can never run code other than its source's. The file mtimes the browser
// gives to unpacked files do not matter. Used by site_plugins/bytecode.py; exit 0 on success,
// 1 with a message on stderr otherwise.

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const COMPILE = `
def _compile_wheel(wheel_dir, out_path):
    import compileall, os, py_compile, sys, zipfile
    ok = compileall.compile_dir(wheel_dir, quiet=2, workers=1,
                                invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    if not ok:
        raise SystemExit("compileall failed on " + wheel_dir)
    tag = sys.implementation.cache_tag
    written = 0
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_STORED) as out:
        for folder, _dirs, names in os.walk(wheel_dir):
            for name in sorted(names):
                if name.endswith("." + tag + ".pyc") and os.path.basename(folder) == "__pycache__":
                    path = os.path.join(folder, name)
                    out.write(path, os.path.relpath(path, wheel_dir))
                    written += 1
    return written
`;

function fail(message) {
  process.stderr.write(`bytecode.mjs: ${message}\n`);
  process.exit(1);
}

async function main() {
  const [pyodideDir, wheelPath, outPath] = process.argv.slice(2);
  if (!outPath) fail("usage: bytecode.mjs PYODIDE_DIR IN.whl OUT.zip");
  const entry = path.join(pyodideDir, "pyodide.mjs");
  if (!fs.existsSync(entry)) fail(`${entry} not found; run \`make setup\``);
  const { loadPyodide } = await import(pathToFileURL(entry).href);
  const pyodide = await loadPyodide({ stdout: () => {}, stderr: (line) => process.stderr.write(`${line}\n`) });
  pyodide.unpackArchive(new Uint8Array(fs.readFileSync(wheelPath)), "wheel", { extractDir: "/wheel" });
  pyodide.runPython(COMPILE);
  const compile = pyodide.globals.get("_compile_wheel");
  const written = compile("/wheel", "/bytecode.zip");
  compile.destroy();
  if (!written) fail(`${wheelPath}: no module was compiled`);
  fs.writeFileSync(outPath, pyodide.FS.readFile("/bytecode.zip"));
}

main().catch((error) => fail(error?.stack ?? String(error)));
