// Picks the next random operation from the model's current state. Names come from a small pool so that
// creates collide, renames replace, and rmdir meets non-empty directories often.
import type { InodeNumber } from '../types.ts';
import type { Who } from './callers.ts';
import type { FsModel } from './fs-model.ts';
import type { Op, OpKind } from './ops.ts';
import type { Prng } from './prng.ts';

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const MiB = 1024 * 1024;
const BOUNDARY = 4 * MiB;
const MAX_WRITE = 300 * 1024;

const WEIGHTS: Record<OpKind, number> = {
  create: 12, write: 20, parallelWrites: 2, burst: 0.7, read: 10, truncate: 4, rename: 9, link: 4, unlink: 7, mkdir: 5, rmdir: 4,
  punch: 2, xattr: 6, chmod: 3, symlink: 3, stat: 6, readdir: 3, access: 2, userLookup: 2, userRead: 2, userWrite: 2, userChmod: 0.5, userUnlink: 2, retain: 2, release: 2, snapshot: 1, readSnapshot: 1,
  deleteSnapshot: 0.6, commit: 3, reopen: 0.4, checkTree: 0.3, badName: 0.5, misuse: 0.5,
};

export interface GeneratorState {
  model: FsModel;
  snapshotIds: readonly string[];
  /** The big sparse file whose writes straddle 4 MiB boundaries (undefined once it is gone). */
  bigIno: InodeNumber | undefined;
}

export class OpGenerator {
  constructor(private readonly rng: Prng) {}

  next(s: GeneratorState): Op {
    for (;;) {
      const op = this.make(this.rng.weighted(WEIGHTS), s);
      if (op) return op;
    }
  }

  private make(kind: OpKind, s: GeneratorState): Op | undefined {
    const r = this.rng;
    const m = s.model;
    const dir = r.pick(m.inodesOfKind('dir'));
    const files = m.inodesOfKind('file');
    switch (kind) {
      case 'create': {
        const name = this.nameIn(s, dir);
        const existing = m.dir(dir).entries.get(name);
        // A non-exclusive create of a directory or symlink name is ambiguous across protocols: keep it exclusive.
        const exclusive = existing !== undefined && m.node(existing).kind !== 'file' ? true : r.chance(0.3);
        return { op: 'create', dir, name, exclusive, mode: this.mode() };
      }
      case 'write': return files.length ? this.write(s, files) : undefined;
      case 'parallelWrites': {
        if (!files.length) return undefined;
        const base = r.int(0, 2 * MiB);
        const writes = Array.from({ length: r.int(2, 6) }, (_, i) => ({
          ino: r.pick(files), offset: base + i * (MAX_WRITE + 4096), length: this.length(), seed: r.nextU32(),
          stability: r.pick(['unstable', 'unstable', 'file_sync'] as const),
        }));
        return { op: 'parallelWrites', writes, commit: r.chance(0.5) };
      }
      case 'burst': {
        if (!files.length) return undefined;
        const start = r.int(0, 2) * BOUNDARY;
        const writes = Array.from({ length: r.int(17, 40) }, () => ({ offset: start + r.int(0, BOUNDARY - 600), length: r.int(1, 512), seed: r.nextU32() }));
        return { op: 'burst', ino: r.pick(files), writes };
      }
      case 'read': {
        if (!files.length) return undefined;
        const ino = r.pick(files);
        const size = m.file(ino).data.size;
        return { op: 'read', ino, offset: r.int(0, size + 1000), length: this.length() };
      }
      case 'truncate': {
        if (!files.length) return undefined;
        const ino = r.pick(files);
        const size = m.file(ino).data.size;
        return { op: 'truncate', ino, size: r.chance(0.5) ? r.int(0, size) : size + r.int(0, MiB) };
      }
      case 'punch': {
        if (!files.length) return undefined;
        const ino = r.pick(files);
        const size = m.file(ino).data.size;
        return { op: 'punch', ino, offset: r.int(0, size + 4096), length: this.length() };
      }
      case 'xattr': {
        const ino = r.pick([...files, ...m.inodesOfKind('dir')]);
        const action = r.weighted({ set: 3, get: 3, remove: 1, list: 1 });
        const mode = r.pick(['create', 'replace', 'either', 'either'] as const);
        return { op: 'xattr', ino, action, name: r.pick(['user.a', 'user.b']), mode, seed: r.nextU32() };
      }
      case 'rename': {
        const toDir = r.pick(m.inodesOfKind('dir'));
        return { op: 'rename', fromDir: dir, fromName: this.nameIn(s, dir), toDir, toName: this.nameIn(s, toDir) };
      }
      case 'link': {
        const linked = m.linkedFiles();
        return linked.length ? { op: 'link', ino: r.pick(linked), dir, name: this.nameIn(s, dir) } : undefined;
      }
      case 'unlink': return { op: 'unlink', dir, name: this.nameIn(s, dir) };
      case 'mkdir': return { op: 'mkdir', dir, name: this.nameIn(s, dir), mode: this.dirMode() };
      case 'rmdir': {
        // Random names mostly meet non-empty directories; aim at an empty one half of the time.
        const empty = this.emptyDirs(s);
        if (empty.length && r.chance(0.5)) return { op: 'rmdir', ...r.pick(empty) };
        return { op: 'rmdir', dir, name: this.nameIn(s, dir) };
      }
      // Symlink modes are not changeable on Linux (lchmod): chmod files and directories only.
      case 'chmod': {
        const ino = r.pick([...m.inodesOfKind('file'), ...m.inodesOfKind('dir')]);
        return { op: 'chmod', ino, mode: m.node(ino).kind === 'dir' ? this.dirMode() : this.mode() };
      }
      case 'symlink': return { op: 'symlink', dir, name: this.nameIn(s, dir), target: this.target() };
      case 'stat': return { op: 'stat', dir, name: this.nameIn(s, dir) };
      case 'readdir': return { op: 'readdir', dir };
      case 'access': return { op: 'access', ino: r.pick([...m.nodes.keys()]), who: this.who(), mask: r.int(1, 7) };
      case 'userLookup': return { op: 'userLookup', dir, name: this.nameIn(s, dir), who: this.who() };
      case 'userRead': return files.length ? { op: 'userRead', ino: r.pick(files), who: this.who() } : undefined;
      case 'userWrite': {
        if (!files.length) return undefined;
        const ino = r.pick(files);
        return { op: 'userWrite', ino, who: this.who(), offset: r.int(0, m.file(ino).data.size), length: r.int(1, 100), seed: r.nextU32() };
      }
      case 'userUnlink': return { op: 'userUnlink', dir, name: this.nameIn(s, dir), who: r.pick(['group', 'groupBySupplementary', 'other'] as const) };
      case 'userChmod': return { op: 'userChmod', ino: r.pick([...m.nodes.keys()]), who: r.pick(['group', 'other'] as const), mode: this.mode() };
      case 'retain': return files.length ? { op: 'retain', ino: r.pick(files) } : undefined;
      case 'release': {
        const held = [...m.opens.keys()];
        return held.length ? { op: 'release', ino: r.pick(held) } : undefined;
      }
      case 'snapshot': return s.snapshotIds.length < 4 ? { op: 'snapshot' } : undefined;
      case 'readSnapshot':
      case 'deleteSnapshot': return s.snapshotIds.length ? { op: kind, id: r.pick(s.snapshotIds) } : undefined;
      case 'commit': return r.chance(0.5) && files.length ? { op: 'commit', ino: r.pick(files) } : { op: 'commit' };
      case 'reopen': case 'checkTree': return { op: kind };
      case 'badName': return { op: 'badName', dir, name: r.pick(['.', '..', 'x'.repeat(256), 'a/b', 'a\0b', '']) };
      case 'misuse': {
        const what = r.pick(['writeDir', 'readDir', 'readlinkFile', 'linkDir'] as const);
        if (what === 'readlinkFile') return files.length ? { op: 'misuse', ino: r.pick(files), what } : undefined;
        return { op: 'misuse', ino: dir, what };
      }
    }
  }

  /** An existing name most of the time (so ops hit real targets), otherwise one from the pool. */
  private nameIn(s: GeneratorState, dir: InodeNumber): string {
    const names = [...s.model.dir(dir).entries.keys()];
    return names.length && this.rng.chance(0.6) ? this.rng.pick(names) : this.rng.pick(NAMES);
  }

  private emptyDirs(s: GeneratorState): Array<{ dir: InodeNumber; name: string }> {
    const out: Array<{ dir: InodeNumber; name: string }> = [];
    for (const dir of s.model.inodesOfKind('dir')) {
      for (const [name, ino] of s.model.dir(dir).entries) {
        const n = s.model.node(ino);
        if (n.kind === 'dir' && n.entries.size === 0) out.push({ dir, name });
      }
    }
    return out;
  }

  private write(s: GeneratorState, files: InodeNumber[]): Op {
    const r = this.rng;
    const length = this.length();
    const seed = r.nextU32();
    const stability = r.pick(['unstable', 'unstable', 'unstable', 'file_sync', 'data_sync'] as const);
    if (s.bigIno !== undefined && s.model.nodes.get(s.bigIno)?.kind === 'file' && r.chance(0.15)) {
      // Straddle one of the first three 4 MiB boundaries of the big sparse file.
      const offset = Math.max(0, r.int(1, 3) * BOUNDARY - r.int(0, length));
      return { op: 'write', ino: s.bigIno, offset, length, seed, stability };
    }
    const ino = r.pick(files);
    const size = s.model.file(ino).data.size;
    const where = r.weighted({ inside: 6, append: 2, beyond: 2 });
    const offset = where === 'inside' ? r.int(0, size)
      : where === 'append' || size > BOUNDARY ? size
      : size + r.int(1, 2 * MiB);
    return { op: 'write', ino, offset, length, seed, stability };
  }

  /** 1 byte to ~300 KiB, mostly small. */
  private length(): number {
    const band = this.rng.weighted({ small: 5, medium: 3, large: 2 });
    if (band === 'small') return this.rng.int(1, 4096);
    if (band === 'medium') return this.rng.int(4097, 64 * 1024);
    return this.rng.int(64 * 1024, MAX_WRITE);
  }

  private who(): Who {
    return this.rng.pick(['root', 'group', 'groupBySupplementary', 'other'] as const);
  }

  /** Permission bits only: no setuid/setgid/sticky, so inheritance rules stay out of this test. */
  private mode(): number {
    return this.rng.int(0, 0o777);
  }

  /** Directories are sometimes sticky (0o1000), which only matters to non-root deletes. */
  private dirMode(): number {
    return this.mode() | (this.rng.chance(0.3) ? 0o1000 : 0);
  }

  private target(): string {
    const parts = this.rng.int(1, 4);
    return Array.from({ length: parts }, () => this.rng.pick([...NAMES, '..', '.', 'long-name-'.repeat(3)])).join('/');
  }
}
