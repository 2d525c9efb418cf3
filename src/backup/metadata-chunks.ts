// The snapshot's metadata file goes into the vault in fixed-size chunks, so a backup of a file system whose
// metadata barely changed stores only the changed chunks; restore reassembles the file from them.
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { sha256Hex } from './vault/hash.ts';
import type { ManifestBlock } from './vault/manifest.ts';
import type { Vault } from './vault/vault.ts';

export const METADATA_CHUNK_BYTES = 4 * 1024 * 1024;

/** Stores the file's chunks the vault lacks; returns the chunk list and the bytes written. */
export async function putMetadataFile(vault: Vault, file: string, chunkBytes = METADATA_CHUNK_BYTES):
  Promise<{ size: number; chunks: ManifestBlock[]; bytesWritten: number }> {
  const fh = await open(file, 'r');
  try {
    const chunks: ManifestBlock[] = [];
    let size = 0;
    let bytesWritten = 0;
    for (;;) {
      const buf = Buffer.alloc(chunkBytes);
      const { bytesRead } = await fh.read(buf, 0, chunkBytes, size);
      if (bytesRead === 0) break;
      const data = buf.subarray(0, bytesRead);
      const hash = sha256Hex(data);
      if (await vault.put(hash, data)) bytesWritten += bytesRead;
      chunks.push({ sha256: hash, len: bytesRead });
      size += bytesRead;
    }
    return { size, chunks, bytesWritten };
  } finally {
    await fh.close();
  }
}

/** Writes the metadata file back from the vault (every chunk verified by the vault). */
export async function getMetadataFile(vault: Vault, chunks: ManifestBlock[], file: string): Promise<void> {
  const out = createWriteStream(file);
  try {
    for (const c of chunks) {
      if (!out.write(await vault.get(c.sha256))) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
}
