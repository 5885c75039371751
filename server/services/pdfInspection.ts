import fs from 'node:fs/promises';
import { getDocument, PDFDataRangeTransport } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { AppError } from '../errors';

/**
 * Feeds pdf.js ranges read from the file on demand, so a 100 MB plan is checked without
 * holding it in memory (pdf.js would otherwise want the whole file as one buffer).
 */
class FileRangeTransport extends PDFDataRangeTransport {
  constructor(length: number, private readonly file: fs.FileHandle) {
    super(length, new Uint8Array(0));
  }

  override requestDataRange(begin: number, end: number): void {
    const chunk = Buffer.alloc(end - begin);
    this.file.read(chunk, 0, chunk.length, begin).then(
      ({ bytesRead }) => this.onDataRange(begin, new Uint8Array(chunk.buffer, chunk.byteOffset, bytesRead)),
      () => this.abort(),
    );
  }
}

/**
 * Checks that the file is a PDF we can keep: the `%PDF-` header, then pdf.js must open it
 * (a corrupt or truncated file fails here), it must not be encrypted (members could not read
 * it in the viewer), and its page count is returned.
 */
export async function inspectPdf(filePath: string, size: number): Promise<{ pageCount: number }> {
  if (size === 0) throw new AppError(400, 'empty_file', 'the file is empty');
  const file = await fs.open(filePath, 'r');
  try {
    const head = Buffer.alloc(1024);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    // The spec allows the header anywhere in the first 1024 bytes (some producers prepend junk).
    if (!head.subarray(0, bytesRead).includes('%PDF-')) {
      throw new AppError(415, 'unsupported_media_type', 'the file is not a PDF');
    }
    const task = getDocument({
      range: new FileRangeTransport(size, file),
      length: size,
      disableAutoFetch: true,
      disableStream: true,
      rangeChunkSize: 256 * 1024,
      stopAtErrors: true,
      isEvalSupported: false,
      verbosity: 0,
    });
    try {
      const pdf = await task.promise;
      // pdf.js opens files encrypted with an empty user password silently; the Encrypt dictionary shows them.
      if ((await pdf.getPermissions()) !== null) throw new AppError(422, 'encrypted_pdf', 'the PDF is encrypted; upload it without a password or restrictions');
      const pageCount = pdf.numPages;
      // Open the last page too: a truncated file often has a valid header and xref but no pages.
      await pdf.getPage(pageCount);
      return { pageCount };
    } catch (err) {
      if (err instanceof AppError) throw err;
      if ((err as Error)?.name === 'PasswordException') throw new AppError(422, 'encrypted_pdf', 'the PDF is protected by a password');
      throw new AppError(422, 'invalid_pdf', 'the PDF is damaged or incomplete and cannot be opened');
    } finally {
      await task.destroy();
    }
  } finally {
    await file.close();
  }
}
