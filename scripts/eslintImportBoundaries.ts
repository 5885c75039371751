import path from 'node:path';
import type { Rule } from 'eslint';
import { boundaryViolation, packageOf } from './importBoundaries';

/** The syntax node a problem is reported at (ESLint's ESTree node). */
type ReportNode = Extract<Rule.ReportDescriptor, { node: unknown }>['node'];

/**
 * ESLint rule `lajna/import-boundaries`: an import (static, re-export or dynamic) that the
 * folder table of scripts/importBoundaries.ts forbids, e.g. client/ → server/. The editor
 * shows it where it is written; scripts/import-graph.ts checks the same over the whole graph.
 */
export const importBoundaries: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports stay within the folder boundaries (client → client and protocol; db → no server; protocol → protocol and zod; sfu → no server or db)' },
    schema: [],
    messages: { crossing: '{{why}}' },
  },
  create(context) {
    const root = context.cwd;
    const from = path.relative(root, context.filename);
    const check = (node: ReportNode, specifier: unknown) => {
      if (typeof specifier !== 'string') return;
      const why = specifier.startsWith('.')
        ? boundaryViolation(from, { file: path.relative(root, path.resolve(path.dirname(context.filename), specifier)) })
        : boundaryViolation(from, { package: packageOf(specifier) });
      if (why) context.report({ node, messageId: 'crossing', data: { why } });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};
