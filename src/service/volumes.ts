// One engine volume per file system at DATA_DIR/volumes/<fs-id>/, kept open while the file system exists
// (the NFS export table hands out Volume objects synchronously).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openVolume, WriteBudget, type BlockSource, type Volume } from '../engine/index.ts';

export interface VolumeOpenOptions {
  capacityBytes?: number;
  /** A volume restored from a backup: reopened (never created) with the blocks it still lacks fetched from here. */
  source?: BlockSource;
}

/** Builds a volume in the given directory (a restore from a backup). */
export type VolumeMaker = (dir: string, budget: WriteBudget) => Promise<Volume>;

/** What the service needs from volume storage; tests may substitute an in-memory one. */
export interface VolumeProvider {
  open(fsId: string, opts?: VolumeOpenOptions): Promise<Volume>;
  get(fsId: string): Volume | undefined;
  /** Builds the file system's volume with `make` (instead of creating an empty one) and keeps it open. */
  adopt(fsId: string, make: VolumeMaker): Promise<Volume>;
  /** Close and delete the volume's data. */
  destroy(fsId: string): Promise<void>;
  closeAll(): Promise<void>;
}

export class EngineVolumes implements VolumeProvider {
  private readonly open_ = new Map<string, Volume>();
  private readonly opening = new Map<string, Promise<Volume>>();

  constructor(private readonly dataDir: string, private readonly budget: WriteBudget = new WriteBudget()) {}

  private dirOf(fsId: string): string {
    return join(this.dataDir, 'volumes', fsId);
  }

  open(fsId: string, opts: VolumeOpenOptions = {}): Promise<Volume> {
    const existing = this.open_.get(fsId);
    if (existing) return Promise.resolve(existing);
    let pending = this.opening.get(fsId);
    if (!pending) {
      pending = this.track(fsId, openVolume({ dir: this.dirOf(fsId), id: fsId, create: opts.source === undefined, budget: this.budget,
        capacityBytes: opts.capacityBytes, source: opts.source }));
    }
    return pending;
  }

  adopt(fsId: string, make: VolumeMaker): Promise<Volume> {
    if (this.open_.has(fsId) || this.opening.has(fsId)) return Promise.reject(new Error(`volume ${fsId} is already open`));
    return this.track(fsId, make(this.dirOf(fsId), this.budget));
  }

  private track(fsId: string, opening: Promise<Volume>): Promise<Volume> {
    const pending = opening.then((v) => {
      this.open_.set(fsId, v);
      return v;
    }).finally(() => this.opening.delete(fsId));
    this.opening.set(fsId, pending);
    return pending;
  }

  get(fsId: string): Volume | undefined {
    return this.open_.get(fsId);
  }

  async destroy(fsId: string): Promise<void> {
    const v = this.open_.get(fsId);
    this.open_.delete(fsId);
    if (v) await v.close();
    await rm(this.dirOf(fsId), { recursive: true, force: true });
  }

  async closeAll(): Promise<void> {
    const all = [...this.open_.values()];
    this.open_.clear();
    await Promise.all(all.map((v) => v.close()));
  }
}
