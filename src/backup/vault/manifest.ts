// One manifest per backup: everything needed to create a new file system from it. The file system
// configuration and tags are opaque JSON owned by the caller (the service layer); the vault only needs
// the blob hashes.

export type BackupType = 'AUTOMATIC' | 'USER_INITIATED' | 'AWS_BACKUP';

export interface ManifestBlock {
  /** SHA-256 hex of the block's bytes: its key in the vault and the restored volume's fetch key. */
  sha256: string;
  len: number;
}

export interface Manifest {
  version: 1;
  backupId: string;
  type: BackupType;
  region: string;
  fileSystemId: string;
  /** ISO times: when the snapshot was taken, and when the manifest was written. */
  createdAt: string;
  completedAt: string;
  /** Set on copies: where the backup came from. */
  sourceBackupId?: string;
  sourceRegion?: string;
  /** The file system's description at backup time (opaque to the vault). */
  fileSystem: unknown;
  tags: unknown;
  /** The snapshot's metadata file, cut into chunks (unchanged chunks dedup between backups). */
  metadata: { size: number; chunks: ManifestBlock[] };
  blocks: ManifestBlock[];
  /** Sum of block lengths (the file data a restore hydrates). */
  dataBytes: number;
}

export function manifestKey(backupId: string): string {
  return `manifests/${backupId}.json`;
}

export function encodeManifest(m: Manifest): Buffer {
  return Buffer.from(JSON.stringify(m));
}

/** Every blob a manifest references (metadata chunks and data blocks). */
export function manifestBlobs(m: Manifest): ManifestBlock[] {
  return [...m.metadata.chunks, ...m.blocks];
}

export class InvalidManifest extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidManifest';
  }
}

export function decodeManifest(data: Buffer): Manifest {
  let v: unknown;
  try {
    v = JSON.parse(data.toString('utf8'));
  } catch (e) {
    throw new InvalidManifest(`not JSON: ${(e as Error).message}`);
  }
  if (!isRecord(v) || v.version !== 1 || typeof v.backupId !== 'string' || typeof v.region !== 'string') {
    throw new InvalidManifest('missing version, backupId or region');
  }
  if (!isRecord(v.metadata) || typeof v.metadata.size !== 'number' || !isBlockList(v.metadata.chunks) || !isBlockList(v.blocks)) {
    throw new InvalidManifest('bad metadata or block list');
  }
  return v as unknown as Manifest;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isBlockList(v: unknown): v is ManifestBlock[] {
  return Array.isArray(v) && v.every((b) => isRecord(b) && typeof b.sha256 === 'string' && /^[0-9a-f]{64}$/.test(b.sha256) && typeof b.len === 'number');
}
