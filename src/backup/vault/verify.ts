// `fathom vault verify`: reads every pack and checks every blob against its hash, and checks that every
// manifest is readable and names only blobs the vault holds.
import { sha256Hex } from './hash.ts';
import { manifestBlobs } from './manifest.ts';
import { packKey } from './pack-index.ts';
import { VaultObjectNotFound } from './store.ts';
import type { Vault } from './vault.ts';

export type VaultProblemKind = 'pack-missing' | 'blob-corrupt' | 'index-unreadable' | 'manifest-unreadable' | 'manifest-missing-blob';

export interface VaultProblem {
  kind: VaultProblemKind;
  key: string;
  detail: string;
}

export interface VerifyReport {
  packs: number;
  blobs: number;
  bytesVerified: number;
  manifests: number;
  problems: VaultProblem[];
}

export interface VerifyProgress {
  bytesDone: number;
  bytesTotal: number;
}

export async function verifyVault(vault: Vault, onProgress?: (p: VerifyProgress) => void): Promise<VerifyReport> {
  await vault.flush();
  const report: VerifyReport = { packs: 0, blobs: 0, bytesVerified: 0, manifests: 0, problems: [] };
  for (const key of vault.unreadableIndexes) report.problems.push({ kind: 'index-unreadable', key, detail: 'not a pack index' });
  const packs = vault.index.packs();
  const bytesTotal = packs.reduce((n, p) => n + p.blobs.reduce((m, b) => m + b[2], 0), 0);
  const lost = new Set<string>();
  for (const idx of packs) {
    await verifyPack(vault, idx.pack, idx.blobs, report, lost);
    onProgress?.({ bytesDone: report.bytesVerified, bytesTotal });
  }
  await verifyManifests(vault, report, lost);
  return report;
}

/** Checks one pack's blobs; the hashes of blobs that are gone or damaged are added to `lost`. */
async function verifyPack(vault: Vault, pack: string, blobs: Array<[string, number, number]>, report: VerifyReport,
  lost: Set<string>): Promise<void> {
  report.packs++;
  let data: Buffer;
  try {
    data = await vault.store.get(packKey(pack));
  } catch (e) {
    if (!(e instanceof VaultObjectNotFound)) throw e;
    report.problems.push({ kind: 'pack-missing', key: packKey(pack), detail: `${blobs.length} blobs lost` });
    for (const [hash] of blobs) lost.add(hash);
    return;
  }
  for (const [hash, offset, length] of blobs) {
    report.blobs++;
    const bytes = data.subarray(offset, offset + length);
    if (bytes.length !== length || sha256Hex(bytes) !== hash) {
      report.problems.push({ kind: 'blob-corrupt', key: hash, detail: `pack ${pack} offset ${offset} length ${length}` });
      lost.add(hash);
    } else report.bytesVerified += length;
  }
}

async function verifyManifests(vault: Vault, report: VerifyReport, lost: Set<string>): Promise<void> {
  for (const id of await vault.listManifestIds()) {
    report.manifests++;
    let blobs;
    try {
      blobs = manifestBlobs(await vault.getManifest(id));
    } catch (e) {
      report.problems.push({ kind: 'manifest-unreadable', key: id, detail: (e as Error).message });
      continue;
    }
    const missing = blobs.filter((b) => !vault.index.has(b.sha256) || lost.has(b.sha256));
    if (missing.length > 0) {
      report.problems.push({ kind: 'manifest-missing-blob', key: id, detail: `${missing.length} blobs missing or corrupt, e.g. ${missing[0].sha256}` });
    }
  }
}
