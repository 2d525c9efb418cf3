// Client records that survive a restart (RFC 8881 §8.4.2.1): the owner ids of confirmed clients, so that
// after a restart those clients — and only those — may reclaim their opens and locks during the grace period.
import fs from 'node:fs';
import path from 'node:path';

const FILE = 'nfs4-clients.json';

export class ClientPersistence {
  constructor(private readonly dir: string | undefined) {}

  load(): Set<string> {
    if (!this.dir) return new Set();
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(path.join(this.dir, FILE), 'utf8'));
      const owners = (parsed as { owners?: unknown }).owners;
      return new Set(Array.isArray(owners) ? owners.filter((o): o is string => typeof o === 'string') : []);
    } catch {
      return new Set();
    }
  }

  /** Written atomically (temp file + rename) so a crash leaves the old or the new list, never half. */
  save(owners: Iterable<string>): void {
    if (!this.dir) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `${FILE}.tmp`);
    fs.writeFileSync(tmp, JSON.stringify({ owners: [...owners].sort() }));
    fs.renameSync(tmp, path.join(this.dir, FILE));
  }
}
