import { isBuiltin } from 'node:module';

/**
 * Which top-level folder may import which: the one table behind the lint rule
 * (eslint.config.ts), the client build's guard (vite.config.ts) and the import graph check
 * (scripts/import-graph.ts). protocol/ is the contract between client and server; the server
 * builds on sfu/ and db/, which know nothing of it.
 */
export interface Boundary {
  /** Our folders this one may import from (itself included). */
  folders: readonly string[];
  /** npm packages it may import; undefined: any. */
  packages?: readonly string[];
  /** Whether Node's built-in modules are allowed (not in code that runs in a browser). */
  node: boolean;
}

export const BOUNDARIES: Readonly<Record<string, Boundary>> = {
  protocol: { folders: ['protocol'], packages: ['zod'], node: false },
  client: { folders: ['client', 'protocol'], node: false },
  sfu: { folders: ['sfu', 'protocol'], node: true },
  db: { folders: ['db', 'protocol'], node: true },
  server: { folders: ['server', 'sfu', 'db', 'protocol'], node: true },
};

/** Folders whose files may form import circles: migrations list each other in order by design. */
export const CYCLES_ALLOWED_IN = ['db/migrations'];

/** The top-level folder of a path relative to the repository root ('' for files at the root). */
export const topFolder = (relativePath: string): string => (relativePath.includes('/') ? relativePath.slice(0, relativePath.indexOf('/')) : '');

/** The npm package an import names (`@scope/name`, `name`), or a Node built-in (`node:fs`, `fs`). */
export function packageOf(specifier: string): string {
  if (isBuiltin(specifier)) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Why `from` (a path relative to the root) may not import `target`: a folder path relative
 * to the root for our files, or a package name for a bare import. null when allowed.
 */
export function boundaryViolation(from: string, target: { file: string } | { package: string }): string | null {
  const folder = topFolder(from);
  const rule = BOUNDARIES[folder];
  if (!rule) return null;
  if ('file' in target) {
    const to = topFolder(target.file);
    if (to === '' || rule.folders.includes(to)) return null;
    return `${folder}/ may import only ${rule.folders.map((f) => `${f}/`).join(', ')}; not ${target.file}`;
  }
  const name = target.package;
  const builtin = isBuiltin(name);
  if (builtin && !rule.node) return `${folder}/ runs in the browser too: no Node built-in (${name})`;
  if (!builtin && rule.packages && !rule.packages.includes(name)) return `${folder}/ may import only the packages ${rule.packages.join(', ')}; not ${name}`;
  return null;
}
