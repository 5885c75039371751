import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** How the test TSA answers: timestamps (`openssl ts -reply`), HTTP 500, bytes that are no reply, or nothing at all. */
export type TsaBehaviour = 'timestamp' | 'error' | 'garbage' | 'silent';

export interface TestTsa {
  url: string;
  /** The TSA's certificate (PEM). */
  certificatePem: string;
  /** The common name of its certificate. */
  name: string;
  behaviour: TsaBehaviour;
  /** Requests it received. */
  requests: number;
  close(): Promise<void>;
}

const CONFIG = `[ tsa ]
default_tsa = lajna_test_tsa
[ lajna_test_tsa ]
serial = ./serial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
other_policies = 1.3.6.1.4.1.99999.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

/**
 * A timestamp authority for tests: an HTTP server on an ephemeral port that answers
 * application/timestamp-query with `openssl ts -reply`, signing with a key and a certificate
 * (extendedKeyUsage critical, timeStamping) it makes in a temporary folder of its own.
 */
export async function startTestTsa(name = 'Lajna Test TSA'): Promise<TestTsa> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-tsa-'));
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  fs.writeFileSync(path.join(dir, 'tsa.cnf'), CONFIG);
  fs.writeFileSync(path.join(dir, 'serial'), '01\n');
  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.pem', '-days', '30', '-subj', `/C=TN/O=Lajna tests/CN=${name}`,
    '-addext', 'extendedKeyUsage=critical,timeStamping', '-addext', 'keyUsage=critical,digitalSignature');
  let queries = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      tsa.requests++;
      if (tsa.behaviour === 'silent') return;
      if (tsa.behaviour === 'error') return void res.writeHead(500).end('TSA down');
      if (tsa.behaviour === 'garbage') return void res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end('<html>not a timestamp</html>');
      if (req.headers['content-type'] !== 'application/timestamp-query') return void res.writeHead(415).end();
      const n = ++queries;
      fs.writeFileSync(path.join(dir, `q${n}.tsq`), Buffer.concat(chunks));
      openssl('ts', '-reply', '-config', 'tsa.cnf', '-queryfile', `q${n}.tsq`, '-inkey', 'tsa.key', '-signer', 'tsa.pem', '-out', `r${n}.tsr`).then(
        () => res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(fs.readFileSync(path.join(dir, `r${n}.tsr`))),
        (error: Error) => res.writeHead(500).end(error.message),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const tsa: TestTsa = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`,
    certificatePem: fs.readFileSync(path.join(dir, 'tsa.pem'), 'utf8'),
    name,
    behaviour: 'timestamp',
    requests: 0,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return tsa;
}
