#!/usr/bin/env node
// Run a Python script under Pyodide (Node, fully offline), with our wheel installed.
//
//   node tests/pyodide/run_python.mjs --wheel PATH.whl --script PATH.py [--stdlib PATH.zip [--lazy PATH.zip]]
//        [--mount HOSTDIR:/virtual/dir ...] [--arg X ...] [-- X ...]
//
// --stdlib: the standard library zip to start Pyodide with instead of its own python_stdlib.zip
// (the site's first archive: site_plugins/bytecode.py); --lazy: the second, which the import hook
// in the first loads on the first import of one of its modules, as in the browser. This harness
// imports nothing beyond what the first holds: a module the site does not ship fails here too.
// --wheel may be repeated; each wheel is unpacked into Pyodide's site-packages.
// --mount copies HOSTDIR's files recursively into the virtual FS at /virtual/dir.
// --arg X appends X to sys.argv; everything after a bare `--` is appended too.
// The script is copied into the virtual FS at its absolute host path and run as
// __main__ with sys.argv = [script, *args] and its directory first on sys.path.
// Python's stdout/stderr bytes are passed through unchanged. Exit status: 0 on
// success, SystemExit's code if raised, 1 (traceback on stderr) on any exception.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { unzip, writeFiles } from "../../site_plugins/zipread.mjs";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const USAGE =
  "usage: run_python.mjs --wheel PATH.whl --script PATH.py [--stdlib PATH.zip [--lazy PATH.zip]] " +
  "[--mount HOSTDIR:/virtual/dir ...] [--arg X ...] [-- X ...]";

function fail(message) {
  process.stderr.write(`run_python.mjs: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { wheels: [], script: null, stdlib: null, lazy: null, mounts: [], args: [] };
  for (let i = 0; i < argv.length; i++) {
    let name = argv[i];
    if (name === "--") {
      opts.args.push(...argv.slice(i + 1));
      break;
    }
    let value;
    const eq = name.indexOf("=");
    if (name.startsWith("--") && eq > 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    } else if (["--wheel", "--script", "--stdlib", "--lazy", "--mount", "--arg"].includes(name)) {
      if (i + 1 >= argv.length) fail(`${name} needs a value\n${USAGE}`);
      value = argv[++i];
    }
    switch (name) {
      case "--wheel": opts.wheels.push(value); break;
      case "--script": opts.script = value; break;
      case "--stdlib": opts.stdlib = value; break;
      case "--lazy": opts.lazy = value; break;
      case "--arg": opts.args.push(value); break;
      case "--mount": {
        const sep = value.lastIndexOf(":");
        if (sep <= 0 || !value.slice(sep + 1).startsWith("/")) {
          fail(`--mount wants HOSTDIR:/virtual/dir, got ${JSON.stringify(value)}`);
        }
        opts.mounts.push([value.slice(0, sep), value.slice(sep + 1)]);
        break;
      }
      case "-h":
      case "--help":
        process.stdout.write(USAGE + "\n");
        process.exit(0);
        break; // not reached: process.exit ends the script
      default:
        fail(`unknown argument ${JSON.stringify(name)}\n${USAGE}`);
    }
  }
  if (!opts.script) fail(`--script is required\n${USAGE}`);
  return opts;
}

// Copy a host directory tree into the Emscripten FS (files are read eagerly).
function copyTree(FS, hostDir, virtDir) {
  FS.mkdirTree(virtDir);
  for (const entry of fs.readdirSync(hostDir, { withFileTypes: true })) {
    const hostPath = path.join(hostDir, entry.name);
    const virtPath = path.posix.join(virtDir, entry.name);
    const stat = fs.statSync(hostPath); // follows symlinks
    if (stat.isDirectory()) copyTree(FS, hostPath, virtPath);
    else if (stat.isFile()) FS.writeFile(virtPath, new Uint8Array(fs.readFileSync(hostPath)));
  }
}

// Pyodide hands us a view into a reused buffer: copy before the async write.
const passThrough = (stream) => ({
  write(bytes) {
    stream.write(Buffer.from(bytes));
    return bytes.length;
  },
});

const DRIVER = `
def _run_python_mjs_main(script, args):
    import sys, traceback, os
    sys.argv = [script, *args]
    sys.path.insert(0, os.path.dirname(script))
    try:
        with open(script, "rb") as file:
            code = compile(file.read(), script, "exec", dont_inherit=True)
        exec(code, {"__name__": "__main__", "__file__": script, "__builtins__": __builtins__})
        rc = 0
    except SystemExit as exc:
        if exc.code is None:
            rc = 0
        elif isinstance(exc.code, int):
            rc = exc.code
        else:
            print(exc.code, file=sys.stderr)
            rc = 1
    except BaseException:
        traceback.print_exc()
        rc = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return rc
`;

async function main() {
  const opts = parseArgs(process.argv.slice(2));

  const pyodideEntry = path.join(repoRoot, "node_modules", "pyodide", "pyodide.mjs");
  if (!fs.existsSync(pyodideEntry)) fail(`${pyodideEntry} not found; run \`make setup\` (npm ci) first`);
  const { loadPyodide } = await import(pathToFileURL(pyodideEntry).href);

  if (opts.stdlib && !fs.existsSync(opts.stdlib)) fail(`standard library zip not found: ${opts.stdlib}`);
  if (opts.lazy && !opts.stdlib) fail("--lazy needs --stdlib");
  let sitePackages;
  const pyodide = await loadPyodide({
    ...(opts.stdlib ? { stdLibURL: path.resolve(opts.stdlib) } : {}),
    fsInit: (_FS, paths) => {
      sitePackages = paths.sitePackages;
    },
    stdout: (line) => process.stdout.write(line + "\n"),
    stderr: (line) => process.stderr.write(line + "\n"),
  });
  pyodide.setStdout(passThrough(process.stdout));
  pyodide.setStderr(passThrough(process.stderr));

  // The wheels' files written as the browser's worker writes them (pyodide.unpackArchive would import
  // zipfile, sysconfig and more).
  for (const wheel of opts.wheels) {
    if (!fs.existsSync(wheel)) fail(`wheel not found: ${wheel}`);
    writeFiles(pyodide.FS, sitePackages, unzip(fs.readFileSync(wheel)));
  }
  if (opts.lazy) {
    if (!fs.existsSync(opts.lazy)) fail(`standard library zip not found: ${opts.lazy}`);
    pyodide.pyimport("_refund_stdlib").install(() => {
      pyodide.FS.writeFile("/lib/python_stdlib-lazy.zip", new Uint8Array(fs.readFileSync(opts.lazy)));
      return "/lib/python_stdlib-lazy.zip";
    });
  }
  for (const [hostDir, virtDir] of opts.mounts) {
    if (!fs.statSync(hostDir, { throwIfNoEntry: false })?.isDirectory()) fail(`mount source is not a directory: ${hostDir}`);
    copyTree(pyodide.FS, hostDir, virtDir);
  }

  const script = path.resolve(opts.script);
  if (!fs.existsSync(script)) fail(`script not found: ${opts.script}`);
  pyodide.FS.mkdirTree(path.posix.dirname(script));
  pyodide.FS.writeFile(script, new Uint8Array(fs.readFileSync(script)));
  // Not importlib.invalidate_caches(): in Python 3.14 it imports importlib.metadata, which the site does not ship.
  pyodide.runPython("import sys; sys.path_importer_cache.clear()");

  pyodide.runPython(DRIVER);
  const runMain = pyodide.globals.get("_run_python_mjs_main");
  const rc = runMain(script, pyodide.toPy(opts.args));
  runMain.destroy();
  // Let pending stdout/stderr writes drain instead of calling process.exit().
  process.exitCode = rc;
}

main().catch((err) => {
  process.stderr.write(`run_python.mjs: ${err?.stack ?? err}\n`);
  process.exitCode = 1;
});
