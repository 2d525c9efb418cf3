// Who has mounted what (MOUNT DUMP). Informational only, as in every NFS server: kept in memory.
export interface MountEntry {
  host: string;
  path: string;
}

export class MountTable {
  private readonly entries = new Map<string, MountEntry>();

  add(host: string, path: string): void {
    this.entries.set(`${host}\0${path}`, { host, path });
  }

  remove(host: string, path: string): void {
    this.entries.delete(`${host}\0${path}`);
  }

  removeHost(host: string): void {
    for (const [k, e] of this.entries) if (e.host === host) this.entries.delete(k);
  }

  list(): MountEntry[] {
    return [...this.entries.values()];
  }
}
