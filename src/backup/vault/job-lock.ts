// Backups and copies hold a shared lock on the vault while they decide which blobs it already has and
// until their manifest is written; the sweep takes an exclusive one. Otherwise a sweep could delete a blob
// that a running job has just found present and chosen not to upload. Locks are objects in the store, so
// they also work between processes (the server and `fathom backup delete`); a lock whose process died
// (kill -9) is ignored.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { isProcessAlive } from './process-alive.ts';
import type { VaultStore } from './store.ts';

export type LockKind = 'shared' | 'exclusive';

interface LockBody {
  kind: LockKind;
  pid: number;
  host: string;
  at: number;
}

/** A lock held by another host counts as live for this long (its process cannot be checked from here). */
const FOREIGN_LOCK_TTL_MS = 6 * 3600_000;
const RETRY_MS = 100;

export interface HeldLock {
  release(): Promise<void>;
}

export class VaultLocks {
  constructor(private readonly store: VaultStore, private readonly now: () => number) {}

  /** Waits while a sweep runs, then holds a shared lock. */
  async shared(): Promise<HeldLock> {
    for (;;) {
      const lock = await this.tryAcquire('shared');
      if (lock) return lock;
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }

  /** An exclusive lock if no other lock is live, else undefined (the caller sweeps later). */
  exclusive(): Promise<HeldLock | undefined> {
    return this.tryAcquire('exclusive');
  }

  /** Removes lock objects of processes that died. */
  async removeDead(): Promise<void> {
    for (const { key, body } of await this.readAll()) {
      if (body && !this.isLive(body)) await this.store.delete(key);
    }
  }

  private async tryAcquire(kind: LockKind): Promise<HeldLock | undefined> {
    const key = `locks/${process.pid}-${randomBytes(6).toString('hex')}.json`;
    const body: LockBody = { kind, pid: process.pid, host: hostname(), at: this.now() };
    await this.store.put(key, Buffer.from(JSON.stringify(body)));
    const others = (await this.readAll()).filter((l) => l.key !== key && l.body && this.isLive(l.body));
    const conflict = kind === 'exclusive' ? others.length > 0 : others.some((l) => l.body?.kind === 'exclusive');
    if (conflict) {
      await this.store.delete(key);
      return undefined;
    }
    return { release: () => this.store.delete(key) };
  }

  private async readAll(): Promise<Array<{ key: string; body: LockBody | undefined }>> {
    const out = [];
    for (const o of await this.store.list('locks/')) {
      try {
        out.push({ key: o.key, body: JSON.parse((await this.store.get(o.key)).toString('utf8')) as LockBody });
      } catch {
        out.push({ key: o.key, body: undefined });
      }
    }
    return out;
  }

  private isLive(l: LockBody): boolean {
    if (l.host === hostname()) return isProcessAlive(l.pid);
    return this.now() - l.at < FOREIGN_LOCK_TTL_MS;
  }
}
