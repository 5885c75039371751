/**
 * Opening an uploaded PDF, in a child process of the inspection pool (never in the server's
 * process): the declared object count against the file's size first, then pdf.js. The pool
 * bounds the child's memory and time.
 */
import fs from 'node:fs';
import { getDocument, PDFDataRangeTransport } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { ErrorCode } from '../../protocol/errors';
import { declaredObjects, objectsAllowed } from '../domain/pdfCrossReference';

export interface InspectionTask {
  filePath: string;
  size: number;
  maxPages: number;
}

export type InspectionOutcome = { pageCount: number } | { refused: { status: number; code: ErrorCode; message: string } };

const refuse = (status: number, code: ErrorCode, message: string): InspectionOutcome => ({ refused: { status, code, message } });
const tooComplex = (message: string) => refuse(422, 'pdf_too_complex', message);

/**
 * Feeds pdf.js ranges read from the file on demand, so a 100 MB plan is checked without
 * holding it in memory (pdf.js would otherwise want the whole file as one buffer).
 */
class FileRangeTransport extends PDFDataRangeTransport {
  constructor(length: number, private readonly fd: number) {
    super(length, new Uint8Array(0));
  }

  override requestDataRange(begin: number, end: number): void {
    fs.read(this.fd, Buffer.alloc(end - begin), 0, end - begin, begin, (error, bytesRead, chunk) => {
      if (error) this.abort();
      else this.onDataRange(begin, new Uint8Array(chunk.buffer, chunk.byteOffset, bytesRead));
    });
  }
}

function readText(fd: number, offset: number, length: number): string {
  const buf = Buffer.alloc(length);
  return buf.toString('latin1', 0, fs.readSync(fd, buf, 0, length, offset));
}

/**
 * Checks that the file is a PDF we can keep: its cross-reference sections declare no more
 * objects than its size allows, pdf.js opens it (a corrupt or truncated file fails here), it
 * is not encrypted (members could not read it in the viewer), it has at most `maxPages`
 * pages, and its last page opens.
 */
export async function run(task: InspectionTask): Promise<InspectionOutcome> {
  const fd = fs.openSync(task.filePath, 'r');
  try {
    const declared = declaredObjects((offset, length) => readText(fd, offset, length), task.size);
    if (declared?.truncated) return tooComplex(`the PDF has more than ${declared.sections} revisions`);
    if (declared && declared.declared > objectsAllowed(task.size)) {
      return tooComplex(`the PDF declares ${declared.declared} objects, more than a file of ${task.size} bytes holds`);
    }
    return await open(task, fd);
  } finally {
    fs.closeSync(fd);
  }
}

async function open(task: InspectionTask, fd: number): Promise<InspectionOutcome> {
  const loading = getDocument({
    range: new FileRangeTransport(task.size, fd),
    length: task.size,
    disableAutoFetch: true,
    disableStream: true,
    rangeChunkSize: 256 * 1024,
    stopAtErrors: true,
    isEvalSupported: false,
    verbosity: 0,
  });
  try {
    const pdf = await loading.promise;
    // pdf.js opens files encrypted with an empty user password silently; the Encrypt dictionary shows them.
    if ((await pdf.getPermissions()) !== null) return refuse(422, 'encrypted_pdf', 'the PDF is encrypted; upload it without a password or restrictions');
    const pageCount = pdf.numPages;
    if (pageCount > task.maxPages) return refuse(422, 'pdf_too_many_pages', `the PDF has ${pageCount} pages; at most ${task.maxPages} are accepted`);
    // Open the last page too: a truncated file often has a valid header and xref but no pages.
    await pdf.getPage(pageCount);
    return { pageCount };
  } catch (err) {
    if ((err as Error)?.name === 'PasswordException') return refuse(422, 'encrypted_pdf', 'the PDF is protected by a password');
    return refuse(422, 'invalid_pdf', 'the PDF is damaged or incomplete and cannot be opened');
  } finally {
    await loading.destroy();
  }
}
