import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import solid from 'vite-plugin-solid';
import { boundaryViolation, packageOf } from './scripts/importBoundaries.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The client's side of the contract, enforced by the build as well as by the typecheck and
 * the linter: a client module importing server/, db/ or sfu/ (or a Node built-in) fails the
 * build instead of bundling server code, or its secrets, into the browser.
 */
function clientBoundary(): Plugin {
  return {
    name: 'lajna:client-boundary',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || importer.startsWith('\0') || importer.includes('/node_modules/')) return null;
      const from = path.relative(root, importer.replace(/\?.*$/, ''));
      if (from.startsWith('..') || source.startsWith('/') || source.startsWith('\0')) return null;
      const why = source.startsWith('.')
        ? boundaryViolation(from, { file: path.relative(root, path.resolve(path.dirname(importer), source)) })
        : boundaryViolation(from, { package: packageOf(source) });
      if (why) this.error(`${from} imports '${source}': ${why} (protocol/ is the contract between client and server)`);
      return null;
    },
  };
}

/**
 * Writes a Brotli (.br) and a gzip (.gz) copy beside each script and style sheet, which the
 * server sends to browsers that take them (server/http/clientAssets.ts): the app and the
 * PDF viewer are ~2 MB as built, ~0.5 MB compressed — what a member on a rural line waits for.
 */
function precompress(): Plugin {
  return {
    name: 'lajna-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const fileName of Object.keys(bundle)) {
        if (!/\.(js|mjs|css|svg)$/.test(fileName)) continue;
        const file = path.join(options.dir!, fileName);
        const data = fs.readFileSync(file);
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
      }
    },
  };
}

// The client build: client/ → dist/client, served by the express app.
export default defineConfig({
  root: 'client',
  publicDir: false,
  plugins: [clientBoundary(), solid(), precompress()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // viewer-harness.html: the PDF viewer alone, for its browser test and benchmark.
    rollupOptions: { input: { index: fileURLToPath(new URL('client/index.html', import.meta.url)), 'viewer-harness': fileURLToPath(new URL('client/viewer-harness.html', import.meta.url)) } },
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/socket.io': { target: 'ws://localhost:3000', ws: true } } },
});
