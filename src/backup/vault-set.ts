// The vaults of every configured region, opened on first use (one Vault per region per process, so that
// concurrent jobs share its pack buffer and index).
import { LocalVaultStore } from './vault/local-store.ts';
import { Vault, type VaultOptions } from './vault/vault.ts';
import { BackupError } from './backup-errors.ts';

export class VaultSet {
  private readonly open = new Map<string, Promise<Vault>>();

  constructor(private readonly dirs: ReadonlyMap<string, string>, private readonly opts: VaultOptions = {}) {}

  regions(): string[] {
    return [...this.dirs.keys()];
  }

  has(region: string): boolean {
    return this.dirs.has(region);
  }

  get(region: string): Promise<Vault> {
    const dir = this.dirs.get(region);
    if (dir === undefined) return Promise.reject(new BackupError('InvalidRegion', `Region ${region} has no backup vault.`));
    let v = this.open.get(region);
    if (!v) {
      v = LocalVaultStore.open(dir).then((store) => Vault.open(store, this.opts));
      this.open.set(region, v);
    }
    return v;
  }

  async flushAll(): Promise<void> {
    for (const v of this.open.values()) await (await v).flush();
  }
}
