import type { PDFDocumentProxy } from 'pdfjs-dist';

/** Pages whose text is being read at once. */
const IN_FLIGHT = 6;

export interface SearchMatch {
  page: number;
  /** The matching text run's box in PDF user space [x0, y0, x1, y1]. */
  box: number[];
}

export interface SearchProgress {
  /** Matches found so far, in page order (the same list until another is found). */
  matches: readonly SearchMatch[];
  /** Pages whose text has been read. */
  searched: number;
  pages: number;
  done: boolean;
}

/**
 * A text search through a document, page by page from `fromPage` round to the page before
 * it: each page's text is read only when the search reaches it (nothing is extracted up
 * front, and only the matches are kept), matches are reported as they are found (the first
 * one can be shown while a 4,000-page file is still being read). `cancel` stops it between
 * two pages.
 */
export class TextSearch {
  #cancelled = false;
  #matches: readonly SearchMatch[] = [];

  private constructor(
    private readonly doc: PDFDocumentProxy,
    private readonly query: string,
  ) {}

  /** Starts searching `query` (lower-cased, trimmed by the caller); `onProgress` hears after every page. */
  static start(doc: PDFDocumentProxy, query: string, fromPage: number, onProgress: (p: SearchProgress) => void): TextSearch {
    const search = new TextSearch(doc, query);
    void search.#run(fromPage, onProgress);
    return search;
  }

  cancel(): void {
    this.#cancelled = true;
  }

  async #run(fromPage: number, onProgress: (p: SearchProgress) => void): Promise<void> {
    const pages = this.doc.numPages;
    const start = Math.min(Math.max(1, fromPage), pages);
    const pageAt = (i: number) => ((start - 1 + i) % pages) + 1;
    // A few pages asked for ahead, so the worker is never idle between two answers; taken in order.
    const ahead: Promise<SearchMatch[]>[] = [];
    const ask = (i: number) => {
      if (i < pages) ahead.push(this.#pageMatches(pageAt(i)).catch(() => []));
    };
    for (let i = 0; i < IN_FLIGHT; i++) ask(i);
    for (let i = 0; i < pages; i++) {
      const n = pageAt(i);
      // A page that cannot be read (a damaged object) has no text to find; go on.
      const found = await ahead.shift()!;
      if (this.#cancelled) return;
      ask(i + IN_FLIGHT);
      if (found.length) {
        // Kept in page order whatever page the search started from; a new list only when it changed.
        const at = this.#matches.findIndex((m) => m.page > n);
        this.#matches = this.#matches.toSpliced(at < 0 ? this.#matches.length : at, 0, ...found);
      }
      onProgress({ matches: this.#matches, searched: i + 1, pages, done: i + 1 === pages });
    }
  }

  async #pageMatches(n: number): Promise<SearchMatch[]> {
    const text = await (await this.doc.getPage(n)).getTextContent();
    const found: SearchMatch[] = [];
    for (const item of text.items) {
      if (!('str' in item) || !item.str.toLocaleLowerCase().includes(this.query)) continue;
      const [, , , , x, y] = item.transform as number[];
      found.push({ page: n, box: [x!, y!, x! + item.width, y! + item.height] });
    }
    return found;
  }
}
