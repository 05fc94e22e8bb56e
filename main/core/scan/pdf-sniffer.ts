const TYPE = Buffer.from('/Type');
const PAGE = Buffer.from('/Page');
/** Bytes kept from one chunk to the next: enough for `/Type` + whitespace + `/Page` + one byte. */
const CARRY = 32;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;
const isLetter = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

/**
 * Streaming page counter: counts `/Type /Page` objects (not `/Pages`) and remembers the
 * linearization hint `/N`, chunk by chunk, with constant memory and no parser that a hostile
 * PDF could hang. PDFs that keep their page objects inside compressed object streams show
 * none: the count is then unknown (null) rather than guessed. Searches the bytes with
 * Buffer.indexOf (a native scan) and copies only the few bytes around a chunk boundary: a regex
 * over a latin1 copy of every chunk cost ~0.6 s of the client's main thread per GB.
 * The caller may reuse the chunk's memory after push() returns.
 */
export class PdfPageSniffer {
  private carry = Buffer.alloc(0);
  private pages = 0;
  private linearizedPages: number | null = null;
  private seenBytes = 0;
  private countedEnd = 0;

  push(chunk: Buffer): void {
    if (this.carry.length) {
      // Matches that start in the previous chunk's tail; those starting in this chunk are found below.
      const boundary = Buffer.concat([this.carry, chunk.subarray(0, 2 * CARRY)]);
      this.count(boundary, this.seenBytes - this.carry.length, this.carry.length);
    }
    this.count(chunk, this.seenBytes, chunk.length);
    if (this.seenBytes < 4096 && this.linearizedPages === null) {
      const head = Buffer.concat([this.carry, chunk.subarray(0, 4096)]).toString('latin1');
      const lin = /\/Linearized[^>]*?\/N\s+(\d+)/.exec(head);
      if (lin) this.linearizedPages = Number(lin[1]);
    }
    this.seenBytes += chunk.length;
    // The stream's last CARRY bytes (chunks may be shorter than that), copied: the chunk's memory is the caller's.
    this.carry =
      chunk.length >= CARRY
        ? Buffer.from(chunk.subarray(chunk.length - CARRY))
        : Buffer.concat([this.carry, chunk]).subarray(-CARRY);
  }

  pageCount(): number | null {
    if (this.pages > 0) return this.pages;
    return this.linearizedPages;
  }

  /** Counts `/Type /Page` matches of `data` (at absolute offset `start`) that begin before `startsBefore`. */
  private count(data: Buffer, start: number, startsBefore: number): void {
    for (let at = data.indexOf(TYPE); at !== -1 && at < startsBefore; at = data.indexOf(TYPE, at + 1)) {
      let i = at + TYPE.length;
      while (i < data.length && isSpace(data[i]!)) i++;
      if (i + PAGE.length >= data.length) break; // "/Pages" may be cut short: the next chunk sees it again
      if (!data.subarray(i, i + PAGE.length).equals(PAGE) || isLetter(data[i + PAGE.length]!)) continue;
      const end = start + i + PAGE.length;
      // Seen already from the boundary of the previous push.
      if (end > this.countedEnd) {
        this.pages++;
        this.countedEnd = end;
      }
    }
  }
}
