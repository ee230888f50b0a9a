// The files of a zip archive (stored or deflated entries), in Node: [name, bytes] for each file.
// Used by bytecode.mjs and tests/pyodide/run_python.mjs to put a wheel into Pyodide's file system
// without Python's zipfile, as the browser's worker does.

import zlib from "node:zlib";

export function unzip(bytes) {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip file");
  const files = [];
  for (let n = 0, at = bytes.readUInt32LE(end + 16); n < bytes.readUInt16LE(end + 10); n++) {
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.toString("utf8", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const raw = bytes.subarray(start, start + size);
    if (method !== 0 && method !== 8) throw new Error(`${name}: unsupported compression (method ${method})`);
    if (!name.endsWith("/")) files.push([name, method === 8 ? zlib.inflateRawSync(raw) : raw]);
  }
  return files;
}

// Write them under `folder` in Pyodide's file system.
export function writeFiles(FS, folder, files) {
  for (const [name, data] of files) {
    const file = `${folder}/${name}`;
    FS.mkdirTree(file.slice(0, file.lastIndexOf("/")));
    FS.writeFile(file, new Uint8Array(data));
  }
}
