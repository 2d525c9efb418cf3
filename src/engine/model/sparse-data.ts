// File contents for the model: fixed-size pages, absent pages read as zeros (holes). Pages are never mutated
// once stored, so cloning a file for a snapshot shares them (copy-on-write), like the engine's own blocks.

const PAGE = 64 * 1024;
const ZERO_PAGE = Buffer.alloc(PAGE);

export class SparseData {
  private pages = new Map<number, Buffer>();
  private length = 0;

  get size(): number {
    return this.length;
  }

  clone(): SparseData {
    const copy = new SparseData();
    copy.pages = new Map(this.pages);
    copy.length = this.length;
    return copy;
  }

  write(offset: number, data: Buffer): void {
    let done = 0;
    while (done < data.length) {
      const pos = offset + done;
      const index = Math.floor(pos / PAGE);
      const within = pos - index * PAGE;
      const n = Math.min(PAGE - within, data.length - done);
      const page = Buffer.from(this.pages.get(index) ?? ZERO_PAGE);
      data.copy(page, within, done, done + n);
      this.pages.set(index, page);
      done += n;
    }
    this.length = Math.max(this.length, offset + data.length);
  }

  /** Punches a hole: zeros in [offset, offset+length) clipped to the size, which does not change. */
  zero(offset: number, length: number): void {
    const n = Math.min(this.length, offset + length) - offset;
    if (n > 0) this.write(offset, Buffer.alloc(n));
  }

  /** Bytes in [offset, offset+length) clipped to the size, holes as zeros. */
  read(offset: number, length: number): Buffer {
    const end = Math.min(this.length, offset + length);
    if (end <= offset) return Buffer.alloc(0);
    const out = Buffer.alloc(end - offset);
    for (let index = Math.floor(offset / PAGE); index * PAGE < end; index++) {
      const page = this.pages.get(index);
      if (!page) continue;
      const pageStart = index * PAGE;
      const from = Math.max(offset, pageStart);
      const to = Math.min(end, pageStart + PAGE);
      page.copy(out, from - offset, from - pageStart, to - pageStart);
    }
    return out;
  }

  /** Truncate up (zeros) or down (drops data; a later extension must read zeros, not the old bytes). */
  truncate(size: number): void {
    if (size < this.length) {
      for (const index of [...this.pages.keys()]) {
        const pageStart = index * PAGE;
        if (pageStart >= size) this.pages.delete(index);
        else if (pageStart + PAGE > size) {
          const page = Buffer.from(this.pages.get(index) as Buffer);
          page.fill(0, size - pageStart);
          this.pages.set(index, page);
        }
      }
    }
    this.length = size;
  }
}
