/**
 * A file read over HTTP by byte ranges, in aligned blocks kept once fetched: the page-tree
 * index reads the cross-reference table and the catalog, then pdf.js asks for the same
 * bytes again and gets them without another request. Cookies go along (same origin), so
 * the server's authorization applies as to any other request.
 */
export class HttpRanges {
  readonly #blocks = new Map<number, Uint8Array>();
  #aborted = false;

  private constructor(
    private readonly url: string,
    /** The file's length in bytes. */
    readonly size: number,
    private readonly block: number,
  ) {}

  /**
   * Asks for the file's last `tail` bytes; null when the server does not answer ranges
   * (then the file is opened as a whole, the ordinary way).
   */
  static async open(url: string, block: number, tail = 1024): Promise<HttpRanges | null> {
    const res = await fetch(url, { credentials: 'same-origin', headers: { Range: `bytes=-${tail}` } });
    const total = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1];
    if (res.status !== 206 || !total) {
      await res.body?.cancel();
      return null;
    }
    const ranges = new HttpRanges(url, Number(total), block);
    const bytes = new Uint8Array(await res.arrayBuffer());
    ranges.#keep(ranges.size - bytes.length, bytes);
    return ranges;
  }

  /** Stops: requests in flight are dropped, later ones refused. */
  abort(): void {
    this.#aborted = true;
  }

  /** `length` bytes from `offset` (fewer at the end of the file). */
  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(this.size, offset + length);
    if (end <= offset) return new Uint8Array(0);
    const first = Math.floor(offset / this.block), last = Math.floor((end - 1) / this.block);
    // One request for each run of blocks not held yet.
    for (let b = first; b <= last; b++) {
      if (this.#blocks.has(b)) continue;
      let to = b;
      while (to < last && !this.#blocks.has(to + 1)) to++;
      await this.#fetch(b * this.block, Math.min(this.size, (to + 1) * this.block));
      b = to;
    }
    const out = new Uint8Array(end - offset);
    for (let b = first; b <= last; b++) {
      const data = this.#blocks.get(b)!;
      const from = Math.max(offset, b * this.block);
      out.set(data.subarray(from - b * this.block, Math.min(end, (b + 1) * this.block) - b * this.block), from - offset);
    }
    return out;
  }

  async #fetch(begin: number, end: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.#aborted) throw new Error('aborted');
      try {
        const res = await fetch(this.url, { credentials: 'same-origin', headers: { Range: `bytes=${begin}-${end - 1}` } });
        if (res.status !== 206) throw new Error(`range answered ${res.status}`);
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (bytes.length !== end - begin) throw new Error('short range');
        this.#keep(begin, bytes);
        return;
      } catch (e) {
        // One retry: a dropped connection on a weak link is not a broken file.
        if (attempt >= 2 || this.#aborted) throw e;
      }
    }
  }

  /** Keeps the whole blocks inside [begin, begin + bytes.length) (and the last, short one of the file). */
  #keep(begin: number, bytes: Uint8Array): void {
    const end = begin + bytes.length;
    for (let b = Math.ceil(begin / this.block); b * this.block < end; b++) {
      const from = b * this.block, to = Math.min(this.size, from + this.block);
      if (to <= end) this.#blocks.set(b, bytes.slice(from - begin, to - begin));
    }
  }
}
