import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PdfsigSignature {
  field: string;
  commonName: string;
  valid: boolean;
  /** pdfsig's certificate verdict, e.g. "Certificate is Trusted." */
  certificate: string;
  totalDocument: boolean;
}

/**
 * poppler's pdfsig on a PDF, with the given CA certificates trusted in a fresh NSS database
 * of its own (certutil, libnss3-tools): each signature as pdfsig reports it.
 */
export function pdfsig(pdf: Uint8Array, trustedCaPems: readonly string[] = []): PdfsigSignature[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-pdfsig-'));
  try {
    const nss = `sql:${dir}`;
    execFileSync('certutil', ['-N', '-d', nss, '--empty-password']);
    trustedCaPems.forEach((pem, i) => {
      fs.writeFileSync(path.join(dir, `ca${i}.pem`), pem);
      execFileSync('certutil', ['-A', '-d', nss, '-n', `ca${i}`, '-t', 'C,C,C', '-i', path.join(dir, `ca${i}.pem`)]);
    });
    const file = path.join(dir, 'document.pdf');
    fs.writeFileSync(file, pdf);
    // pdfsig exits non-zero when a signature is invalid: the report is what counts.
    const out = spawnSync('pdfsig', ['-nssdir', nss, file], { encoding: 'utf8' }).stdout;
    return out.split(/^Signature #\d+:$/m).slice(1).map((block) => {
      const field = (key: string) => new RegExp(`- ${key}: (.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
      return {
        field: field('Signature Field Name'),
        commonName: field('Signer Certificate Common Name'),
        valid: field('Signature Validation') === 'Signature is Valid.',
        certificate: field('Certificate Validation'),
        totalDocument: /^\s*- Total document signed$/m.test(block),
      };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
