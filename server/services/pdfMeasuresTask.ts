/**
 * Reading the scales a PDF declares, in a child process of its pool (never the server's):
 * each page's /VP viewports and their /Measure dictionaries (PDF 32000-1 §12.9), with
 * pdf-lib, which reaches page dictionaries inside object streams. The pool bounds the
 * child's memory and time; the rule from dictionary to metres is protocol/markupGeometry.
 */
import fs from 'node:fs/promises';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { scaleFromMeasure, type MeasureDict } from '../../protocol/markupGeometry';

export interface MeasuresTask {
  filePath: string;
}
/** [page (1-based), metres per point] of each page with a usable scale. */
export type MeasuresOutcome = { scales: [number, number][] };

/** A PDF object as plain data, `depth` levels deep (VP array, viewport, measure, formats, format: five). */
function plain(obj: PDFObject | undefined, doc: PDFDocument, depth: number): unknown {
  const o = obj instanceof PDFRef ? doc.context.lookup(obj) : obj;
  if (o instanceof PDFNumber) return o.asNumber();
  if (o instanceof PDFName) return o.decodeText();
  if (o instanceof PDFString || o instanceof PDFHexString) return o.decodeText();
  if (depth <= 0) return undefined;
  if (o instanceof PDFArray) return o.asArray().slice(0, 16).map((e) => plain(e, doc, depth - 1));
  if (o instanceof PDFDict) return Object.fromEntries(o.entries().slice(0, 32).map(([k, v]) => [k.decodeText(), plain(v, doc, depth - 1)]));
  return undefined;
}

/** The viewport covering most of the page, among those with a scale: a plan's main drawing, not its legend's inset. */
function pageScale(viewports: unknown): number | null {
  if (!Array.isArray(viewports)) return null;
  let best: { area: number; scale: number } | null = null;
  for (const vp of viewports as { BBox?: unknown; Measure?: MeasureDict }[]) {
    const scale = vp?.Measure ? scaleFromMeasure(vp.Measure) : null;
    if (scale === null) continue;
    const b = Array.isArray(vp.BBox) && vp.BBox.length === 4 && vp.BBox.every((n) => typeof n === 'number') ? (vp.BBox as number[]) : null;
    const area = b ? Math.abs((b[2]! - b[0]!) * (b[3]! - b[1]!)) : 0;
    if (!best || area > best.area) best = { area, scale };
  }
  return best?.scale ?? null;
}

export async function run(task: MeasuresTask): Promise<MeasuresOutcome> {
  const doc = await PDFDocument.load(await fs.readFile(task.filePath), { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  const scales: [number, number][] = [];
  doc.getPages().forEach((page, i) => {
    const scale = pageScale(plain(page.node.get(PDFName.of('VP')), doc, 5));
    if (scale !== null) scales.push([i + 1, scale]);
  });
  return { scales };
}
