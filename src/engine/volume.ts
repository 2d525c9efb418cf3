// Placeholder so the contract type-checks while the engine lands; replaced by the implementation.
import type { Volume } from './types.ts';
import type { WriteBudget } from './write-budget.ts';

export interface VolumeOptions {
  /** Directory holding this volume only: meta.db (SQLite), blocks/, snapshots/. */
  dir: string;
  /** The file system id (fs-…), recorded in the volume on creation. */
  id: string;
  /** Create the volume when dir holds none; otherwise opening a missing volume is ENOENT. */
  create?: boolean;
  /** Hard capacity (FSx StorageCapacity); default unlimited (EFS is elastic). ENOSPC past it. */
  capacityBytes?: number;
  /** Shared cap on buffered unstable data for the whole server (default: a private 256 MiB one). */
  budget?: WriteBudget;
}

export async function openVolume(_opts: VolumeOptions): Promise<Volume> {
  throw new Error('engine not implemented yet');
}
