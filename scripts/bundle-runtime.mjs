// Rewrites the built runtime a Vitest worker imports (dist/src/vitest/runtime.js, as tsc wrote it) into one
// bundled module: the ~100 modules it imports cost a worker ~0.5 ms each to resolve, read and compile one by
// one (Node 20 has no compile cache), before its first scenario. What only some runs import (snapshots, the
// debugger, the TCG plugin, coverage) stays in chunks beside it, loaded when a run imports them. Packages and
// Node's own modules are left as imports. Runs after tsc (npm run build); the sources import nothing of it.
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { rolldown } from 'rolldown';

const REPO = new URL('..', import.meta.url).pathname;
const OUT = join(REPO, 'dist/src/vitest');
const ENTRY = join(OUT, 'runtime.js');
const CHUNKS = 'runtime-chunks';

const bundle = await rolldown({
  input: ENTRY,
  platform: 'node',
  // Only this package's own modules go in: a bare specifier is a dependency or a node: builtin.
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  logLevel: 'warn',
});
const { output } = await bundle.generate({ dir: OUT, format: 'esm', entryFileNames: 'runtime.js', chunkFileNames: `${CHUNKS}/[name]-[hash].js`, sourcemap: true });
await bundle.close();
// Every file is generated before any is written: the entry read above is overwritten, and chunks of an earlier build removed.
rmSync(join(OUT, CHUNKS), { recursive: true, force: true });
for (const file of output) {
  const path = join(OUT, file.fileName);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.type === 'chunk' ? file.code : file.source);
}
console.log(`bundled ${ENTRY}: ${output.filter((f) => f.type === 'chunk').length} files`);
