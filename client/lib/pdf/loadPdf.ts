import { getDocument, GlobalWorkerOptions, type PDFDocumentLoadingTask } from 'pdfjs-dist';
// The worker is part of our own bundle (no CDN): the CSP allows worker-src 'self'.
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

/** Bytes per range request: small enough that the first page of a plan arrives early on a 2 Mbit/s link. */
export const RANGE_CHUNK_SIZE = 65_536;

/**
 * Opens a PDF by URL with range requests and streaming: pdf.js reads the cross-reference
 * table at the end of the file and then only the objects of the pages it draws, so the
 * first page shows before the whole plan has arrived. Cookies go along (same origin), so
 * the server's authorization applies as to any other request.
 */
export function openPdf(source: string | Uint8Array, options: { stream?: boolean } = {}): PDFDocumentLoadingTask {
  return getDocument({
    ...(typeof source === 'string' ? { url: source } : { data: source }),
    rangeChunkSize: RANGE_CHUNK_SIZE,
    disableAutoFetch: true,
    // Streaming reads the file from its start alongside the range requests; without it, only
    // the ranges pdf.js asks for travel (the pdf-first-page benchmark measures both).
    disableStream: options.stream === false,
    withCredentials: true,
    // The CSP has no 'unsafe-eval': pdf.js must not compile fonts with new Function.
    isEvalSupported: false,
  });
}
