import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { boundaryViolation, packageOf } from '../../scripts/importBoundaries';
import { circles, importGraph } from '../../scripts/import-graph';

describe('boundaryViolation', () => {
  it.each([
    ['client/office/OfficeDossier.tsx', 'protocol/dossiers.ts', true],
    ['client/office/OfficeDossier.tsx', 'client/lib/api/index.ts', true],
    ['client/office/OfficeDossier.tsx', 'server/services/dossiers.ts', false],
    ['client/lib/api/request.ts', 'db/models/index.ts', false],
    ['client/meeting/MediaSession.ts', 'sfu/MediaRoom.ts', false],
    ['db/connection.ts', 'server/log.ts', false],
    ['db/models/dossiers.ts', 'protocol/dossiers.ts', true],
    ['protocol/minutes.ts', 'protocol/voting.ts', true],
    ['protocol/dossiers.ts', 'server/domain/deadlines.ts', false],
    ['protocol/dossiers.ts', 'client/lib/dossiers.ts', false],
    ['sfu/MediaRoom.ts', 'server/log.ts', false],
    ['sfu/MediaRoom.ts', 'db/models/index.ts', false],
    ['server/main.ts', 'sfu/WorkerPool.ts', true],
    ['server/services/dossiers.ts', 'db/models/index.ts', true],
    ['server/services/dossiers.ts', 'client/lib/dossiers.ts', false],
    ['tests/unit/x.test.ts', 'server/main.ts', true],
    ['bench/vote.ts', 'client/lib/api/index.ts', true],
    ['vite.config.ts', 'scripts/importBoundaries.ts', true],
  ])('%s → %s allowed: %s', (from, file, allowed) => {
    expect(boundaryViolation(from, { file }) === null).toBe(allowed);
  });

  it.each([
    ['protocol/errors.ts', 'zod', true],
    ['protocol/errors.ts', 'solid-js', false],
    ['protocol/errors.ts', 'node:crypto', false],
    ['client/main.tsx', 'solid-js', true],
    ['client/main.tsx', 'node:fs', false],
    ['client/main.tsx', 'fs', false],
    ['server/main.ts', 'node:fs', true],
    ['db/connection.ts', 'sequelize', true],
  ])('%s → package %s allowed: %s', (from, pkg, allowed) => {
    expect(boundaryViolation(from, { package: pkg }) === null).toBe(allowed);
  });

  it.each([
    ['zod', 'zod'],
    ['solid-js/store', 'solid-js'],
    ['@solidjs/router', '@solidjs/router'],
    ['pdfjs-dist/build/pdf.worker.min.mjs?url', 'pdfjs-dist'],
    ['node:fs', 'node:fs'],
    ['fs/promises', 'fs/promises'],
  ])('packageOf(%s) is %s', (specifier, name) => {
    expect(packageOf(specifier)).toBe(name);
  });
});

describe('circles', () => {
  const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

  it('finds none in a tree', () => {
    expect(circles(graph({ 'a.ts': ['b.ts', 'c.ts'], 'b.ts': ['c.ts'], 'c.ts': [] }))).toEqual([]);
  });

  it('finds a circle of two and one of three, each as a closed path', () => {
    const found = circles(graph({
      'p/a.ts': ['p/b.ts'], 'p/b.ts': ['p/a.ts'],
      'q/x.ts': ['q/y.ts'], 'q/y.ts': ['q/z.ts'], 'q/z.ts': ['q/x.ts'],
      'r.ts': ['p/a.ts'],
    }));
    expect(found).toHaveLength(2);
    expect(found).toContainEqual(['p/a.ts', 'p/b.ts', 'p/a.ts']);
    expect(found).toContainEqual(['q/x.ts', 'q/y.ts', 'q/z.ts', 'q/x.ts']);
  });

  it('finds a file that imports itself', () => {
    expect(circles(graph({ 'a.ts': ['a.ts'] }))).toEqual([['a.ts', 'a.ts']]);
  });

  it('lets migrations list each other', () => {
    expect(circles(graph({ 'db/migrations/index.ts': ['db/migrations/0001.ts'], 'db/migrations/0001.ts': ['db/migrations/index.ts'] }))).toEqual([]);
  });

  it('walks a chain of 20,000 files without overflowing the stack', () => {
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < 20_000; i++) edges[`f${i}.ts`] = [`f${i + 1}.ts`];
    edges['f20000.ts'] = ['f0.ts'];
    const [circle] = circles(graph(edges));
    expect(circle).toHaveLength(20_002);
  });
});

describe('importGraph on a tree', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-graph-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };

  it('resolves imports as TypeScript does and reports what crosses a boundary', () => {
    write('protocol/views.ts', "import { z } from 'zod';\nexport const V = z.object({});\n");
    write('server/services/views.ts', "import type { V } from '../../protocol/views';\nexport type W = V;\n");
    write('client/lib/api/index.ts', "export const api = {};\n");
    write('client/page.tsx', [
      "import { api } from './lib/api';",
      "import type { V } from '../protocol/views';",
      "import type { W } from '../server/services/views';",
      "import './page.css';",
      "const later = () => import('../db/models');",
      '',
    ].join('\n'));
    write('client/page.css', '');
    write('db/models.ts', 'export {};\n');
    const { edges, problems } = importGraph(root);
    expect(edges.get('client/page.tsx')).toEqual(['client/lib/api/index.ts', 'protocol/views.ts', 'server/services/views.ts', 'db/models.ts']);
    expect(problems).toEqual([
      'client/page.tsx: imports server/services/views.ts: client/ may import only client/, protocol/; not server/services/views.ts',
      'client/page.tsx: imports db/models.ts: client/ may import only client/, protocol/; not db/models.ts',
    ]);
  });

  it('reports an import of a file that does not exist', () => {
    write('server/broken.ts', "import { x } from './nowhere';\n");
    expect(importGraph(root).problems).toContain("server/broken.ts: './nowhere' is not a file of the repository");
  });
});
