import crypto from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import parseRange from 'range-parser';
import { z } from 'zod';
import { IdParam } from '../../protocol/ids';
import { AppError } from '../errors';
import type { DocumentStore } from '../services/documentStore';
import { documentVersionFor } from '../services/dossierAccess';
import { versionDetail } from '../services/dossiers';
import { parse } from '../validation';

const VersionParams = z.object({ versionId: IdParam });
/** More ranges than this in one request are refused (416): pdf.js asks one at a time; many tiny ranges are an amplification trick. */
const MAX_RANGES = 16;

/**
 * /api/documents/versions/:versionId: metadata and content of one stored PDF version,
 * for whoever may see its dossier (404 otherwise). Content is immutable (addressed by
 * sha256), so it is cached privately for a year and revalidated by ETag; ranges let pdf.js
 * show the first page of a large plan before the rest has arrived. Several ranges get a
 * multipart/byteranges answer (RFC 9110 §14.6).
 */
export function documentsRouter(store: DocumentStore): Router {
  const router = Router();

  router.get('/versions/:versionId', async (req, res) => {
    const { version, dossier } = await documentVersionFor(req.principal, parse(VersionParams, req.params).versionId);
    res.json(versionDetail(version, dossier.id, version.DossierDocument!.itemCode));
  });

  router.get('/versions/:versionId/content', async (req, res) => {
    const { version } = await documentVersionFor(req.principal, parse(VersionParams, req.params).versionId);
    await sendContent(req, res, store.absolute(version.storagePath), Number(version.size), version.sha256, version.fileName);
  });

  return router;
}

/** A stored PDF's bytes, whole or by ranges, cached by its sha256 (the guest's documents are served the same way). */
export async function sendContent(req: Request, res: Response, filePath: string, size: number, sha256: string, fileName: string): Promise<void> {
  const etag = `"${sha256}"`;
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
  res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(fileName)}`);
  if (etagMatches(req.get('if-none-match'), etag)) {
    res.status(304).end();
    return;
  }
  const header = req.get('range');
  // If-Range with another validator: the client's partial copy is stale, send everything.
  const ifRange = req.get('if-range');
  const ranges = header && (!ifRange || ifRange === etag) ? parseRange(size, header, { combine: true }) : undefined;
  if (ranges === -1 || (Array.isArray(ranges) && ranges.length > MAX_RANGES)) {
    res.removeHeader('Cache-Control');
    res.setHeader('Content-Range', `bytes */${size}`);
    throw new AppError(416, 'range_not_satisfiable', `the range is outside the document (size ${size})`, { size });
  }
  if (ranges === undefined || ranges === -2 || ranges.type !== 'bytes') {
    // No range, or one we do not understand: the whole document (allowed by RFC 9110).
    res.status(200).setHeader('Content-Type', 'application/pdf').setHeader('Content-Length', String(size));
    if (req.method === 'HEAD') return void res.end();
    await pipeline(fs.createReadStream(filePath), res);
    return;
  }
  if (ranges.length === 1) {
    const { start, end } = ranges[0]!;
    res.status(206).setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`).setHeader('Content-Length', String(end - start + 1));
    if (req.method === 'HEAD') return void res.end();
    await pipeline(fs.createReadStream(filePath, { start, end }), res);
    return;
  }
  const boundary = `lajna-${crypto.randomBytes(12).toString('hex')}`;
  const partHeads = ranges.map((r, i) => `${i ? '\r\n' : ''}--${boundary}\r\nContent-Type: application/pdf\r\nContent-Range: bytes ${r.start}-${r.end}/${size}\r\n\r\n`);
  const tail = `\r\n--${boundary}--\r\n`;
  const length = partHeads.reduce((n, h) => n + Buffer.byteLength(h), 0) + ranges.reduce((n, r) => n + r.end - r.start + 1, 0) + tail.length;
  res.status(206).setHeader('Content-Type', `multipart/byteranges; boundary=${boundary}`).setHeader('Content-Length', String(length));
  if (req.method === 'HEAD') return void res.end();
  for (const [i, r] of ranges.entries()) {
    res.write(partHeads[i]);
    await pipeline(fs.createReadStream(filePath, { start: r.start, end: r.end }), res, { end: false });
  }
  res.end(tail);
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
