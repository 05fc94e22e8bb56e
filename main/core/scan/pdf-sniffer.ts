/**
 * Streaming page counter: counts `/Type /Page` objects (not `/Pages`) and remembers the
 * linearization hint `/N`, chunk by chunk, with constant memory and no parser that a hostile
 * PDF could hang. PDFs that keep their page objects inside compressed object streams show
 * none: the count is then unknown (null) rather than guessed.
 */
export class PdfPageSniffer {
  private carry = '';
  private pages = 0;
  private linearizedPages: number | null = null;
  private seenBytes = 0;
  private countedEnd = 0;

  push(chunk: Buffer): void {
    const text = this.carry + chunk.toString('latin1');
    const textStart = this.seenBytes - this.carry.length;
    const re = /\/Type\s*\/Page(?![A-Za-z])/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const end = m.index + m[0].length;
      // A match touching the end may be "/Pages" cut short: wait for the next byte. One ending
      // before the absolute offset already counted was seen in the previous (carried) text.
      if (end < text.length && textStart + end > this.countedEnd) {
        this.pages++;
        this.countedEnd = textStart + end;
      }
    }
    if (this.seenBytes < 4096 && this.linearizedPages === null) {
      const lin = /\/Linearized[^>]*?\/N\s+(\d+)/.exec(text);
      if (lin) this.linearizedPages = Number(lin[1]);
    }
    this.seenBytes += chunk.length;
    this.carry = text.slice(-32);
  }

  pageCount(): number | null {
    if (this.pages > 0) return this.pages;
    return this.linearizedPages;
  }
}
