// One seeded run of the randomized model test: applies each generated op to the engine and to the model and
// fails with the seed, the op index and the op itself at the first disagreement.
import assert from 'node:assert/strict';
import { openVolume } from '../index.ts';
import { ROOT_CALLER, ROOT_INODE, type InodeNumber, type Volume } from '../types.ts';
import { CALLERS, expectedAccess } from './callers.ts';
import { atLeast, expectError, expectOutcome, outcomeTally } from './expect.ts';
import { fail, FsModel, ok } from './fs-model.ts';
import { OpGenerator } from './op-generator.ts';
import { describeOp, type Op } from './ops.ts';
import { Prng, seededBytes } from './prng.ts';
import { SparseData } from './sparse-data.ts';
import { checkAttr, checkFileData, checkTree, listDir } from './tree-check.ts';

const C = ROOT_CALLER;
/** Far below the default, so that bursts of small writes compact windows often (under snapshots, truncates…). */
const COMPACT_ABOVE = 32;
type Handlers = { [K in Op['op']]: (op: Extract<Op, { op: K }>) => Promise<void> };

export interface RunOptions {
  dir: string;
  seed: number;
  ops: number;
}

export async function runModelTest(opts: RunOptions): Promise<void> {
  const run = new ModelRun(opts.dir, await openVolume({ dir: opts.dir, id: 'fs-0000000000000000a', create: true, compactAbove: COMPACT_ABOVE }));
  const gen = new OpGenerator(new Prng(opts.seed));
  const recent: string[] = [];
  let index = -1;
  outcomeTally.clear();
  try {
    await run.setup();
    for (index = 0; index < opts.ops; index++) {
      const op = gen.next(run.state());
      recent.push(`#${index} ${describeOp(op)}`);
      if (recent.length > 8) recent.shift();
      await run.apply(op);
    }
    index = opts.ops;
    await run.apply({ op: 'reopen' });
    for (const id of run.snapshotIds()) await run.apply({ op: 'readSnapshot', id });
    if (process.env.FATHOM_MODEL_STATS) console.log([...outcomeTally].sort().map(([k, n]) => `${k}: ${n}`).join('\n'));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`model test failed: FATHOM_SEED=${opts.seed}, op #${index}\n  recent ops:\n    ${recent.join('\n    ')}\n  ${msg}`, { cause: e });
  } finally {
    await run.volume.close().catch(() => undefined);
  }
}

class ModelRun {
  readonly model = new FsModel();
  private readonly snapshots = new Map<string, { model: FsModel; usage: ReturnType<FsModel['usage']> }>();
  private bigIno: InodeNumber | undefined;
  private snapshotCount = 0;

  constructor(private readonly dir: string, public volume: Volume) {}

  async setup(): Promise<void> {
    const root = await this.volume.getattr(ROOT_INODE);
    this.model.dir(ROOT_INODE).mode = root.mode & 0o7777;
    await this.apply({ op: 'create', dir: ROOT_INODE, name: 'big', exclusive: true, mode: 0o644 });
    this.bigIno = this.model.dir(ROOT_INODE).entries.get('big');
  }

  state() {
    return { model: this.model, snapshotIds: this.snapshotIds(), bigIno: this.bigIno };
  }

  snapshotIds(): string[] {
    return [...this.snapshots.keys()];
  }

  apply(op: Op): Promise<void> {
    const handler = this.handlers[op.op] as (o: Op) => Promise<void>;
    return handler(op);
  }

  /** After an inode's last name and reference are gone, its handle must be stale. */
  private async expectGone(ino: InodeNumber, what: string): Promise<void> {
    if (this.model.nodes.has(ino)) return;
    await expectError(fail('ESTALE', 'ENOENT'), () => this.volume.getattr(ino), `${what}: getattr of the freed inode`);
  }

  private async checkUsage(usage: Promise<{ inodes: number; logicalBytes: number; meteredBytes: number }>,
    want: ReturnType<FsModel['usage']>, what: string): Promise<void> {
    const u = await usage;
    assert.deepEqual({ inodes: u.inodes, logicalBytes: u.logicalBytes, meteredBytes: u.meteredBytes }, want, `${what}: usage`);
  }

  private readonly handlers: Handlers = {
    create: async (op) => {
      const existing = this.model.dir(op.dir).entries.get(op.name);
      const expected = existing === undefined ? ok(true) : op.exclusive ? fail('EEXIST') : ok(false);
      const r = await expectOutcome(expected, () => this.volume.create(C, op.dir, op.name, { mode: op.mode, exclusive: op.exclusive }), 'create');
      if (!r) return;
      assert.equal(r.value.created, existing === undefined, 'create: created flag');
      if (existing !== undefined) {
        assert.equal(r.value.attr.ino, existing, 'create of an existing name returned another inode');
        checkAttr(r.value.attr, this.model, existing, 'create (existing)');
        return;
      }
      this.model.addNode(op.dir, op.name, r.value.attr.ino, { kind: 'file', data: new SparseData(), mode: op.mode, nlink: 1, xattrs: new Map() });
      checkAttr(r.value.attr, this.model, r.value.attr.ino, 'create');
    },
    write: async (op) => {
      const data = seededBytes(op.seed, op.length);
      const r = await this.volume.write(C, op.ino, op.offset, data, op.stability);
      const file = this.model.file(op.ino);
      file.data.write(op.offset, data);
      assert.equal(r.count, op.length, 'write: count');
      assert.ok(atLeast(r.committed, op.stability), `write: committed ${r.committed} weaker than ${op.stability}`);
      assert.equal(r.attr.size, file.data.size, 'write: size after write');
    },
    parallelWrites: async (op) => {
      const calls: Array<Promise<unknown>> = op.writes.map((w) => this.volume.write(C, w.ino, w.offset, seededBytes(w.seed, w.length), w.stability));
      if (op.commit) calls.splice(1, 0, this.volume.commit());
      await Promise.all(calls);
      for (const w of op.writes) this.model.file(w.ino).data.write(w.offset, seededBytes(w.seed, w.length));
      for (const ino of new Set(op.writes.map((w) => w.ino))) {
        checkAttr(await this.volume.getattr(ino), this.model, ino, 'after parallel writes');
        await checkFileData(this.volume, ino, this.model.file(ino).data, `after parallel writes, inode ${ino}`);
      }
    },
    burst: async (op) => {
      const data = this.model.file(op.ino).data;
      for (const w of op.writes) {
        const bytes = seededBytes(w.seed, w.length);
        await this.volume.write(C, op.ino, w.offset, bytes, 'file_sync');
        data.write(w.offset, bytes);
      }
      await checkFileData(this.volume, op.ino, data, `after a burst of ${op.writes.length} small writes, inode ${op.ino}`);
    },
    read: async (op) => {
      const want = this.model.file(op.ino).data.read(op.offset, op.length);
      const size = this.model.file(op.ino).data.size;
      const r = await this.volume.read(C, op.ino, op.offset, op.length);
      assert.equal(r.data.length, want.length, 'read: length');
      assert.ok(r.data.equals(want), 'read: content');
      if (r.eof) assert.ok(op.offset + r.data.length >= size, 'read: eof before the end of the file');
      if (op.offset + op.length >= size) assert.ok(r.eof, 'read: no eof at the end of the file');
    },
    truncate: async (op) => {
      const attr = await this.volume.setattr(C, op.ino, { size: op.size });
      this.model.file(op.ino).data.truncate(op.size);
      checkAttr(attr, this.model, op.ino, 'truncate');
    },
    punch: async (op) => {
      const attr = await this.volume.deallocate(C, op.ino, op.offset, op.length);
      this.model.file(op.ino).data.zero(op.offset, op.length);
      checkAttr(attr, this.model, op.ino, 'deallocate');
    },
    xattr: async (op) => {
      const v = this.volume;
      const xattrs = this.model.xattrsOf(op.ino);
      if (op.action === 'list') {
        assert.deepEqual((await v.listxattr(C, op.ino)).sort(), [...xattrs.keys()].sort(), 'listxattr');
      } else if (op.action === 'get') {
        const r = await expectOutcome(this.model.getxattr(op.ino, op.name), () => v.getxattr(C, op.ino, op.name), 'getxattr');
        if (r) assert.deepEqual(r.value, xattrs.get(op.name), 'getxattr: value');
      } else if (op.action === 'remove') {
        const r = await expectOutcome(this.model.getxattr(op.ino, op.name), () => v.removexattr(C, op.ino, op.name), 'removexattr');
        if (r) xattrs.delete(op.name);
      } else {
        const value = seededBytes(op.seed, op.seed % 200);
        const r = await expectOutcome(this.model.setxattr(op.ino, op.name, op.mode), () => v.setxattr(C, op.ino, op.name, value, op.mode), `setxattr ${op.mode}`);
        if (r) xattrs.set(op.name, value);
      }
    },
    rename: async (op) => {
      const expected = this.model.rename(op.fromDir, op.fromName, op.toDir, op.toName);
      const replaced = this.model.dir(op.toDir).entries.get(op.toName);
      const r = await expectOutcome(expected, () => this.volume.rename(C, op.fromDir, op.fromName, op.toDir, op.toName), 'rename');
      if (!r || !expected.ok || !expected.value) return;
      this.model.applyRename(op.fromDir, op.fromName, op.toDir, op.toName);
      if (replaced !== undefined) await this.expectGone(replaced, 'rename');
    },
    link: async (op) => {
      const r = await expectOutcome(this.model.expectNewName(op.dir, op.name), () => this.volume.link(C, op.ino, op.dir, op.name), 'link');
      if (!r) return;
      this.model.link(op.ino, op.dir, op.name);
      checkAttr(r.value, this.model, op.ino, 'link');
    },
    unlink: async (op) => {
      const target = this.model.dir(op.dir).entries.get(op.name);
      const r = await expectOutcome(this.model.unlink(op.dir, op.name), () => this.volume.unlink(C, op.dir, op.name), 'unlink');
      if (!r || target === undefined) return;
      this.model.removeName(op.dir, op.name);
      if (this.model.nodes.has(target)) checkAttr(await this.volume.getattr(target), this.model, target, 'unlink (still linked or open)');
      else await this.expectGone(target, 'unlink');
    },
    mkdir: async (op) => {
      const r = await expectOutcome(this.model.expectNewName(op.dir, op.name), () => this.volume.mkdir(C, op.dir, op.name, op.mode), 'mkdir');
      if (!r) return;
      this.model.addNode(op.dir, op.name, r.value.ino, { kind: 'dir', entries: new Map(), mode: op.mode, parent: op.dir, xattrs: new Map() });
      checkAttr(r.value, this.model, r.value.ino, 'mkdir');
      checkAttr(await this.volume.getattr(op.dir), this.model, op.dir, 'mkdir (parent nlink)');
    },
    rmdir: async (op) => {
      const target = this.model.dir(op.dir).entries.get(op.name);
      const r = await expectOutcome(this.model.rmdir(op.dir, op.name), () => this.volume.rmdir(C, op.dir, op.name), 'rmdir');
      if (!r || target === undefined) return;
      this.model.removeName(op.dir, op.name);
      await this.expectGone(target, 'rmdir');
    },
    chmod: async (op) => {
      const attr = await this.volume.setattr(C, op.ino, { mode: op.mode });
      this.model.node(op.ino).mode = op.mode;
      checkAttr(attr, this.model, op.ino, 'chmod');
    },
    symlink: async (op) => {
      const r = await expectOutcome(this.model.expectNewName(op.dir, op.name), () => this.volume.symlink(C, op.dir, op.name, op.target), 'symlink');
      if (!r) return;
      this.model.addNode(op.dir, op.name, r.value.ino, { kind: 'symlink', target: op.target, mode: r.value.mode & 0o7777, nlink: 1 });
      checkAttr(r.value, this.model, r.value.ino, 'symlink');
      assert.equal(await this.volume.readlink(r.value.ino), op.target, 'symlink: readlink');
    },
    stat: async (op) => {
      const expected = this.model.lookup(op.dir, op.name);
      const r = await expectOutcome(expected, () => this.volume.lookup(C, op.dir, op.name), 'lookup');
      if (!r || !expected.ok) return;
      assert.equal(r.value.ino, expected.value, 'lookup: inode');
      checkAttr(r.value, this.model, expected.value, 'lookup');
      checkAttr(await this.volume.getattr(expected.value), this.model, expected.value, 'getattr');
      const n = this.model.node(expected.value);
      if (n.kind === 'symlink') assert.equal(await this.volume.readlink(expected.value), n.target, 'readlink');
    },
    readdir: async (op) => {
      const got = await listDir(this.volume, op.dir);
      assert.deepEqual(new Map([...got].sort()), new Map([...this.model.dir(op.dir).entries].sort()), 'readdir');
    },
    access: async (op) => {
      const n = this.model.node(op.ino);
      const got = await this.volume.access(CALLERS[op.who], op.ino, op.mask);
      assert.equal(got, expectedAccess(op.who, n.kind, n.mode, op.mask), `access ${op.who} mask ${op.mask} mode ${n.mode.toString(8)}`);
    },
    userLookup: async (op) => {
      const d = this.model.dir(op.dir);
      const canSearch = expectedAccess(op.who, 'dir', d.mode, 1) === 1;
      const expected = canSearch ? this.model.lookup(op.dir, op.name) : fail('EACCES');
      const r = await expectOutcome(expected, () => this.volume.lookup(CALLERS[op.who], op.dir, op.name), `lookup as ${op.who}`);
      if (r && expected.ok) assert.equal(r.value.ino, expected.value, 'lookup: inode');
    },
    userRead: async (op) => {
      const f = this.model.file(op.ino);
      const expected = expectedAccess(op.who, 'file', f.mode, 4) === 4 ? ok(undefined) : fail('EACCES');
      const r = await expectOutcome(expected, () => this.volume.read(CALLERS[op.who], op.ino, 0, 100), `read as ${op.who}`);
      if (r) assert.ok(r.value.data.equals(f.data.read(0, 100)), 'read: content');
    },
    userWrite: async (op) => {
      const f = this.model.file(op.ino);
      const expected = expectedAccess(op.who, 'file', f.mode, 2) === 2 ? ok(undefined) : fail('EACCES');
      const data = seededBytes(op.seed, op.length);
      const r = await expectOutcome(expected, () => this.volume.write(CALLERS[op.who], op.ino, op.offset, data, 'unstable'), `write as ${op.who}`);
      if (r) f.data.write(op.offset, data);
    },
    userUnlink: async (op) => {
      const d = this.model.dir(op.dir);
      const target = d.entries.get(op.name);
      const may = expectedAccess(op.who, 'dir', d.mode, 3);
      // Linux order: search to look the name up, the name, write on the directory, then the sticky bit.
      const expected = (may & 1) === 0 ? fail('EACCES')
        : target === undefined ? ((may & 2) === 0 ? fail('ENOENT', 'EACCES') : fail('ENOENT'))
        : (may & 2) === 0 ? fail('EACCES')
        : (d.mode & 0o1000) !== 0 ? fail('EPERM')
        : this.model.unlink(op.dir, op.name);
      const r = await expectOutcome(expected, () => this.volume.unlink(CALLERS[op.who], op.dir, op.name), `unlink as ${op.who}`);
      if (!r || target === undefined) return;
      this.model.removeName(op.dir, op.name);
      await this.expectGone(target, 'unlink as user');
    },
    userChmod: async (op) => {
      await expectError(fail('EPERM'), () => this.volume.setattr(CALLERS[op.who], op.ino, { mode: op.mode }), `chmod as ${op.who}`);
    },
    retain: async (op) => {
      this.volume.retain(op.ino);
      this.model.opens.set(op.ino, (this.model.opens.get(op.ino) ?? 0) + 1);
    },
    release: async (op) => {
      await this.volume.release(op.ino);
      const left = (this.model.opens.get(op.ino) ?? 0) - 1;
      if (left > 0) this.model.opens.set(op.ino, left);
      else this.model.opens.delete(op.ino);
      this.model.dropIfUnreferenced(op.ino);
      await this.expectGone(op.ino, 'release');
    },
    snapshot: async () => {
      const info = await this.volume.snapshot(`snap-${++this.snapshotCount}`);
      const usage = this.model.usage();
      this.snapshots.set(info.id, { model: this.model.clone(), usage });
      await this.checkUsage(Promise.resolve(info.usage), usage, 'snapshot info');
    },
    readSnapshot: async (op) => {
      const snap = this.snapshots.get(op.id);
      assert.ok(snap);
      const reader = await this.volume.openSnapshot(op.id);
      try {
        await checkTree(reader, snap.model, `snapshot ${op.id}`);
        await this.checkUsage(reader.usage(), snap.usage, `snapshot ${op.id}`);
      } finally {
        await reader.close();
      }
    },
    deleteSnapshot: async (op) => {
      await this.volume.deleteSnapshot(op.id);
      this.snapshots.delete(op.id);
      const listed = (await this.volume.listSnapshots()).map((s) => s.id);
      assert.ok(!listed.includes(op.id), 'deleteSnapshot: still listed');
      await expectError(fail('ENOENT', 'ESTALE'), () => this.volume.openSnapshot(op.id), 'openSnapshot of a deleted snapshot');
    },
    commit: async (op) => {
      await this.volume.commit(op.ino);
    },
    reopen: async () => {
      const verifier = Buffer.from(this.volume.writeVerifier);
      await this.volume.close();
      this.volume = await openVolume({ dir: this.dir, id: 'fs-0000000000000000a', compactAbove: COMPACT_ABOVE });
      this.model.dropAllOpens();
      assert.ok(!this.volume.writeVerifier.equals(verifier), 'reopen: write verifier unchanged');
      const report = await this.volume.fsck({ verifyData: true });
      assert.deepEqual(report.problems, [], 'fsck after reopen');
      const listed = (await this.volume.listSnapshots()).map((s) => s.id).sort();
      assert.deepEqual(listed, this.snapshotIds().sort(), 'reopen: snapshots listed');
      await this.handlers.checkTree({ op: 'checkTree' });
    },
    checkTree: async () => {
      await checkTree(this.volume, this.model, 'live');
      await this.checkUsage(this.volume.usage(), this.model.usage(), 'live');
    },
    badName: async (op) => {
      const codes = op.name.length > 255 ? fail('ENAMETOOLONG')
        : op.name === '.' || op.name === '..' ? fail('EEXIST', 'EINVAL', 'EISDIR')
        : op.name === '' ? fail('EINVAL', 'ENOENT')
        : fail('EINVAL', 'EACCES');
      await expectError(codes, () => this.volume.create(C, op.dir, op.name, { mode: 0o644, exclusive: true }), `create '${op.name.slice(0, 8)}'`);
      await expectError(codes, () => this.volume.mkdir(C, op.dir, op.name, 0o755), `mkdir '${op.name.slice(0, 8)}'`);
    },
    misuse: async (op) => {
      const v = this.volume;
      if (op.what === 'writeDir') await expectError(fail('EISDIR', 'EINVAL'), () => v.write(C, op.ino, 0, Buffer.from('x'), 'unstable'), 'write to a directory');
      if (op.what === 'readDir') await expectError(fail('EISDIR', 'EINVAL'), () => v.read(C, op.ino, 0, 10), 'read of a directory');
      if (op.what === 'readlinkFile') await expectError(fail('EINVAL'), () => v.readlink(op.ino), 'readlink of a file');
      if (op.what === 'linkDir') await expectError(fail('EPERM', 'EISDIR'), () => v.link(C, op.ino, ROOT_INODE, 'link-of-dir'), 'link of a directory');
    },
  };
}

