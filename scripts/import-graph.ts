/**
 * Proves two things about the import graph of the code base (run by `npm run lint` and CI):
 * no import crosses the folder boundaries of scripts/importBoundaries.ts (client → client and
 * protocol only; db → no server; protocol → protocol and zod; sfu → no server or db), and no
 * circle of imports exists outside db/migrations. Type-only imports count: a circle of types
 * is still two modules that cannot be understood one without the other.
 *
 *   npx tsx scripts/import-graph.ts [root]     exit 1 and a list when anything is wrong
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { boundaryViolation, CYCLES_ALLOWED_IN, packageOf } from './importBoundaries';

const SOURCE = /\.(ts|tsx|mts)$/;
const SKIP = new Set(['node_modules', 'dist', 'data', '.git', '.cache']);

export interface ImportGraph {
  /** Source files, relative to the root, with the files they import (relative too). */
  edges: Map<string, string[]>;
  /** Imports that break a boundary, or do not resolve to a file. */
  problems: string[];
}

function sourceFiles(root: string, dir = ''): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) return SKIP.has(e.name) || e.name.startsWith('.') ? [] : sourceFiles(root, rel);
    return SOURCE.test(e.name) && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** The file a relative specifier names, as TypeScript and vite find it; null when none. */
function resolveRelative(root: string, from: string, specifier: string): string | null {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier.replace(/\?.*$/, '')));
  if (base.startsWith('..')) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    const full = path.join(root, candidate);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return candidate;
  }
  return null;
}

export function importGraph(root: string): ImportGraph {
  const edges = new Map<string, string[]>();
  const problems: string[] = [];
  for (const file of sourceFiles(root)) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(root, file), 'utf8'), true, true);
    const targets: string[] = [];
    for (const { fileName: specifier } of importedFiles) {
      if (specifier.startsWith('.')) {
        const target = resolveRelative(root, file, specifier);
        if (!target) {
          problems.push(`${file}: '${specifier}' is not a file of the repository`);
          continue;
        }
        const why = boundaryViolation(file, { file: target });
        if (why) problems.push(`${file}: imports ${target}: ${why}`);
        if (SOURCE.test(target)) targets.push(target);
      } else {
        const why = boundaryViolation(file, { package: packageOf(specifier) });
        if (why) problems.push(`${file}: imports '${specifier}': ${why}`);
      }
    }
    edges.set(file, targets);
  }
  return { edges, problems };
}

/** The circles of the graph (strongly connected components of more than one file, or a file importing itself), each as one closed path. */
export function circles(edges: Map<string, string[]>, allowedIn: readonly string[] = CYCLES_ALLOWED_IN): string[][] {
  const exempt = (f: string) => allowedIn.some((dir) => f.startsWith(`${dir}/`));
  const next = (f: string) => (edges.get(f) ?? []).filter((t) => !exempt(t) && edges.has(t));
  // Tarjan's algorithm, iterative so a deep chain cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const start of edges.keys()) {
    if (exempt(start) || index.has(start)) continue;
    const work: { file: string; children: string[]; i: number }[] = [];
    const enter = (file: string) => {
      index.set(file, counter);
      low.set(file, counter++);
      stack.push(file);
      onStack.add(file);
      work.push({ file, children: next(file), i: 0 });
    };
    enter(start);
    while (work.length) {
      const top = work[work.length - 1]!;
      if (top.i < top.children.length) {
        const child = top.children[top.i++]!;
        if (!index.has(child)) enter(child);
        else if (onStack.has(child)) low.set(top.file, Math.min(low.get(top.file)!, index.get(child)!));
        continue;
      }
      work.pop();
      if (work.length) low.set(work[work.length - 1]!.file, Math.min(low.get(work[work.length - 1]!.file)!, low.get(top.file)!));
      if (low.get(top.file) !== index.get(top.file)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== top.file);
      if (component.length > 1 || next(top.file).includes(top.file)) components.push(component);
    }
  }
  return components.map((component) => closedPath(component, next));
}

/** One circle through the component's first file (breadth first, so the shortest). */
function closedPath(component: string[], next: (f: string) => string[]): string[] {
  const inside = new Set(component);
  const start = component.sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const file = queue.shift()!;
    for (const child of next(file)) {
      if (!inside.has(child)) continue;
      if (child === start) {
        const route = [file];
        while (route[0] !== start) route.unshift(previous.get(route[0]!)!);
        return [...route, start];
      }
      if (!previous.has(child)) {
        previous.set(child, file);
        queue.push(child);
      }
    }
  }
  return [start, start];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(process.argv[2] ?? '.');
  const { edges, problems } = importGraph(root);
  const found = circles(edges);
  for (const p of problems) console.error(`boundary: ${p}`);
  for (const c of found) console.error(`circle: ${c.join(' → ')}`);
  const imports = [...edges.values()].reduce((n, t) => n + t.length, 0);
  if (problems.length || found.length) {
    console.error(`import graph: ${problems.length} boundary problem(s), ${found.length} circle(s) in ${edges.size} files`);
    process.exit(1);
  }
  console.log(`import graph: ${edges.size} files, ${imports} imports between them; no import across the boundaries, no circle outside ${CYCLES_ALLOWED_IN.join(', ')}`);
}
