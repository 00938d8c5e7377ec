#!/usr/bin/env node
// Writes an initramfs (cpio "newc", uncompressed: the kernel unpacks it as is) holding busybox and an
// init script, and any further files named as <path in the image>=<file> (their folders are made).
// No cpio binary is needed: the format is a header of hex fields before each name and file.
//
//   node make-initramfs.mjs <busybox> <init script> <out.cpio> [<path in image>=<file>...]
import { readFileSync, writeFileSync } from 'node:fs';

const [busyboxPath, initPath, outPath, ...extraFiles] = process.argv.slice(2);
if (!outPath || extraFiles.some((arg) => !/^[^=/][^=]*=./.test(arg))) {
  console.error('usage: make-initramfs.mjs <busybox> <init script> <out.cpio> [<path in image>=<file>...]');
  process.exit(2);
}

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

const entries = [
  { name: 'bin', mode: S_IFDIR | 0o755 },
  { name: 'dev', mode: S_IFDIR | 0o755 },
  // The kernel opens /dev/console for init's stdio before anything can mount devtmpfs.
  { name: 'dev/console', mode: S_IFCHR | 0o600, rdev: [5, 1] },
  { name: 'proc', mode: S_IFDIR | 0o755 },
  { name: 'sys', mode: S_IFDIR | 0o755 },
  { name: 'bin/busybox', mode: S_IFREG | 0o755, data: readFileSync(busyboxPath) },
  { name: 'bin/sh', mode: S_IFLNK | 0o777, data: Buffer.from('busybox') },
  { name: 'init', mode: S_IFREG | 0o755, data: readFileSync(initPath) },
];
for (const arg of extraFiles) {
  const [name, path] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
  const folders = name.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  for (const folder of folders) {
    if (!entries.some((e) => e.name === folder)) entries.push({ name: folder, mode: S_IFDIR | 0o755 });
  }
  entries.push({ name, mode: S_IFREG | 0o644, data: readFileSync(path) });
}

const pad4 = (n) => (4 - (n % 4)) % 4;
const hex = (n) => n.toString(16).padStart(8, '0');
const parts = [];
const add = (name, mode, data = Buffer.alloc(0), rdev = [0, 0], ino = 0) => {
  const nameBytes = Buffer.from(`${name}\0`);
  const fields = [ino, mode, 0, 0, (mode & 0o170000) === S_IFDIR ? 2 : 1, 0, data.length, 0, 0, rdev[0], rdev[1], nameBytes.length, 0];
  const header = Buffer.from(`070701${fields.map(hex).join('')}`);
  parts.push(header, nameBytes, Buffer.alloc(pad4(header.length + nameBytes.length)), data, Buffer.alloc(pad4(data.length)));
};
entries.forEach((e, i) => add(e.name, e.mode, e.data, e.rdev, i + 1));
add('TRAILER!!!', 0);
writeFileSync(outPath, Buffer.concat(parts));
