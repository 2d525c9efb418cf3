// What backup, copy and restore jobs report as they go; the backup service turns it into ProgressPercent.

export interface JobProgress {
  bytesDone: number;
  bytesTotal: number;
  blobsDone: number;
  blobsTotal: number;
  /** Bytes the destination vault did not have and that were written to it. */
  bytesWritten: number;
}

export type ProgressCallback = (p: JobProgress) => void;

export function newProgress(blobsTotal: number, bytesTotal: number): JobProgress {
  return { bytesDone: 0, bytesTotal, blobsDone: 0, blobsTotal, bytesWritten: 0 };
}

/** 0..100, never 100 before the work is really done (the caller sets 100 when the manifest is written). */
export function percent(p: JobProgress): number {
  if (p.bytesTotal === 0) return p.blobsTotal === 0 ? 99 : Math.min(99, Math.floor((99 * p.blobsDone) / p.blobsTotal));
  return Math.min(99, Math.floor((99 * p.bytesDone) / p.bytesTotal));
}
