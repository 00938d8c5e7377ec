// Resolves a scenario-relative path without node:path, so the loader stays pure.

export function resolvePath(baseDir: string, relative: string): string {
  const joined = relative.startsWith('/') ? relative : `${baseDir}/${relative}`;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export function dirnameOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash <= 0 ? '/' : file.slice(0, slash);
}
