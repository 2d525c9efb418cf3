// The reference's metering, kept exact by adding deltas in the transactions that change sizes.
import type { FileType } from './types.ts';

export const INODE_METERED_BYTES = 2048;

export function roundUp4k(n: number): number {
  return Math.ceil(n / 4096) * 4096;
}

/** What one inode contributes to logical and metered size. */
export function inodeUsage(type: FileType, size: number): { logical: number; metered: number } {
  if (type === 'file') return { logical: size, metered: INODE_METERED_BYTES + roundUp4k(size) };
  if (type === 'symlink') return { logical: size, metered: INODE_METERED_BYTES };
  return { logical: 0, metered: INODE_METERED_BYTES };
}
