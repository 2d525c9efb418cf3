// The checker: verifies the invariants stated in docs/architecture.md ("Invariants") without changing anything.
import { inodeUsage } from './accounting.ts';
import type { BlockStore } from './blocks/store.ts';
import { sha256 } from './blocks/verified-cache.ts';
import { segmentCrcs } from './blocks/segment-crc.js';
import type { BlockRow, InodeRow, MetaReader } from './meta/store.ts';
import { ROOT_INODE, type FsckProblem, type FsckReport, type InodeNumber } from './types.ts';

export interface CheckInput {
  meta: MetaReader;
  blocks: BlockStore;
  verifyData: boolean;
  /** Inodes open right now: they may have no links left. */
  retained: ReadonlySet<InodeNumber>;
  /** Sequence numbers of snapshots (freed blocks they hold are expected). */
  holds: readonly number[];
  /** A volume restored from a backup: blocks not yet fetched are expected to be absent. */
  lazy?: boolean;
}

export async function checkVolume(input: CheckInput): Promise<FsckReport> {
  const { meta } = input;
  const problems: FsckProblem[] = [];
  const report = (kind: string, detail: string, ino?: InodeNumber) => problems.push({ kind, detail, ino });

  const inodes = new Map<InodeNumber, InodeRow>();
  for await (const r of meta.scanInodes()) inodes.set(r.ino, r);
  const root = inodes.get(ROOT_INODE);
  if (!root || root.type !== 'dir') report('root', 'root inode missing or not a directory', ROOT_INODE);

  // Directory entries: every entry names an existing inode of the recorded type in an existing directory.
  const links = new Map<InodeNumber, number>();
  const subdirs = new Map<InodeNumber, number>();
  const dirParent = new Map<InodeNumber, InodeNumber>();
  for await (const e of meta.scanDirents()) {
    const parent = inodes.get(e.parent);
    const child = inodes.get(e.ino);
    if (!parent || parent.type !== 'dir') report('dirent', `entry '${e.name}' in missing directory ${e.parent}`, e.ino);
    if (!child) {
      report('dirent', `entry '${e.name}' in ${e.parent} names missing inode ${e.ino}`);
      continue;
    }
    if (child.type !== e.type) report('dirent', `entry '${e.name}' type ${e.type} but inode is ${child.type}`, e.ino);
    links.set(e.ino, (links.get(e.ino) ?? 0) + 1);
    if (child.type === 'dir') {
      subdirs.set(e.parent, (subdirs.get(e.parent) ?? 0) + 1);
      if (dirParent.has(e.ino)) report('dir', 'directory has more than one entry', e.ino);
      dirParent.set(e.ino, e.parent);
    }
  }

  const used = new Map<InodeNumber, number>();
  const refs = new Map<string, number>();
  const extentsOf = new Map<InodeNumber, Array<[number, number]>>();
  for await (const x of meta.scanExtents()) {
    const r = inodes.get(x.ino);
    if (!r || r.type !== 'file') report('extent', `extent at ${x.pos} of missing or non-file inode`, x.ino);
    if (r && x.pos + x.len > r.size) report('extent', `extent [${x.pos}, ${x.pos + x.len}) beyond size ${r.size}`, x.ino);
    if ((x.blockId === null) === (x.data === null)) report('extent', `extent at ${x.pos} must have exactly one of block or data`, x.ino);
    if (x.data && x.data.length !== x.len) report('extent', `inline extent at ${x.pos} holds ${x.data.length} bytes, not ${x.len}`, x.ino);
    if (x.blockId) refs.set(x.blockId, (refs.get(x.blockId) ?? 0) + 1);
    used.set(x.ino, (used.get(x.ino) ?? 0) + x.len);
    const list = extentsOf.get(x.ino) ?? [];
    const prev = list[list.length - 1];
    if (prev && prev[1] > x.pos) report('extent', `extents overlap at ${x.pos}`, x.ino);
    list.push([x.pos, x.pos + x.len]);
    extentsOf.set(x.ino, list);
    if (x.blockId) {
      const b = await meta.getBlock(x.blockId);
      if (!b) report('extent', `extent at ${x.pos} points to missing block ${x.blockId}`, x.ino);
      else if (x.blockOff + x.len > b.len) report('extent', `extent at ${x.pos} reaches past the end of block ${b.id}`, x.ino);
    }
    if (list.length > 64) extentsOf.set(x.ino, list.slice(-1));
  }

  let logical = 0;
  let metered = 0;
  let directories = 0;
  for (const r of inodes.values()) {
    const u = inodeUsage(r.type, r.size);
    logical += u.logical;
    metered += u.metered;
    if (r.type === 'dir') {
      directories++;
      const expected = 2 + (subdirs.get(r.ino) ?? 0);
      if (r.nlink !== expected) report('nlink', `directory nlink ${r.nlink}, expected ${expected}`, r.ino);
      if (r.ino !== ROOT_INODE) {
        const p = dirParent.get(r.ino);
        if (p === undefined) report('dir', 'directory is not in any directory', r.ino);
        else if (p !== r.parent) report('dir', `'..' is ${r.parent} but the entry is in ${p}`, r.ino);
      }
    } else {
      const n = links.get(r.ino) ?? 0;
      if (r.nlink !== n && !(n === 0 && r.nlink === 0 && input.retained.has(r.ino))) {
        report('nlink', `nlink ${r.nlink}, but ${n} entries refer to it`, r.ino);
      }
    }
    if (r.type === 'file' && r.used !== (used.get(r.ino) ?? 0)) report('used', `used ${r.used}, extents hold ${used.get(r.ino) ?? 0}`, r.ino);
  }
  const counters = { inodes: await meta.getCounter('inodes'), logical: await meta.getCounter('logical'), metered: await meta.getCounter('metered') };
  if (counters.inodes !== inodes.size) report('usage', `inode count ${counters.inodes}, actual ${inodes.size}`);
  if (counters.logical !== logical) report('usage', `logical bytes ${counters.logical}, actual ${logical}`);
  if (counters.metered !== metered) report('usage', `metered bytes ${counters.metered}, actual ${metered}`);

  const blockCheck = await checkBlocks(input, refs, report);
  return { inodes: inodes.size, directories, problems, ...blockCheck };
}

async function checkBlocks(
  input: CheckInput, refs: Map<string, number>, report: (kind: string, detail: string) => void,
): Promise<{ blocks: number; bytesVerified: number; leakedBlocks: number }> {
  const stored = new Set<string>();
  for await (const b of input.blocks.list()) stored.add(b.id);
  let blocks = 0;
  let bytesVerified = 0;
  const known = new Set<string>();
  for await (const b of input.meta.scanBlocks()) {
    blocks++;
    known.add(b.id);
    const n = refs.get(b.id) ?? 0;
    if (b.refs !== n) report('block', `block ${b.id} counts ${b.refs} references, ${n} extents point to it`);
    if (b.freedSeq === null && n === 0) report('block', `block ${b.id} is unreferenced but not freed`);
    if (b.freedSeq !== null && !heldBySnapshot(b, input.holds)) report('block', `freed block ${b.id} is held by no snapshot`);
    if (!stored.has(b.id)) {
      if (!input.lazy) report('block', `block ${b.id} is missing from the block store`);
      continue;
    }
    if (input.verifyData) {
      const data = await input.blocks.get(b.id);
      if (data.length !== b.len || !sha256(data).equals(b.sha256)) report('block', `block ${b.id} fails its length/SHA-256 check`);
      else if (b.crc32s && !segmentCrcs(data).equals(b.crc32s)) report('block', `block ${b.id} does not match its segment CRCs`);
      bytesVerified += data.length;
    }
  }
  let leakedBlocks = 0;
  for (const id of stored) if (!known.has(id)) leakedBlocks++;
  return { blocks, bytesVerified, leakedBlocks };
}

function heldBySnapshot(b: BlockRow, holds: readonly number[]): boolean {
  return holds.some((s) => b.createdSeq <= s && s < (b.freedSeq as number));
}
