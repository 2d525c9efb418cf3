// The in-memory reference model: what a POSIX file system must do, written as plainly as possible.
// Each operation returns the expected outcome and mutates the model only on success, so the test can
// compare the engine's answer (value or error code) with it.
import { ROOT_INODE, type Errno, type InodeNumber } from '../types.ts';
import { SparseData } from './sparse-data.ts';

export type ModelNode =
  | { kind: 'file'; data: SparseData; mode: number; nlink: number; xattrs: Map<string, Buffer> }
  | { kind: 'symlink'; target: string; mode: number; nlink: number }
  | { kind: 'dir'; entries: Map<string, InodeNumber>; mode: number; parent: InodeNumber; xattrs: Map<string, Buffer> };

export type Outcome<T = void> = { ok: true; value: T } | { ok: false; codes: readonly Errno[] };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = (...codes: Errno[]): Outcome<never> => ({ ok: false, codes });

export class FsModel {
  readonly nodes = new Map<InodeNumber, ModelNode>();
  /** Open-file references (Volume.retain); an unlinked inode lives while it has any. */
  readonly opens = new Map<InodeNumber, number>();

  constructor(rootMode = 0o755) {
    this.nodes.set(ROOT_INODE, { kind: 'dir', entries: new Map(), mode: rootMode, parent: ROOT_INODE, xattrs: new Map() });
  }

  /** A frozen copy for a snapshot: nodes are copied, file pages are shared. Open references are not part of it. */
  clone(): FsModel {
    const copy = new FsModel();
    for (const [ino, node] of this.nodes) {
      if (node.kind === 'file') copy.nodes.set(ino, { ...node, data: node.data.clone(), xattrs: new Map(node.xattrs) });
      else if (node.kind === 'dir') copy.nodes.set(ino, { ...node, entries: new Map(node.entries), xattrs: new Map(node.xattrs) });
      else copy.nodes.set(ino, { ...node });
    }
    return copy;
  }

  node(ino: InodeNumber): ModelNode {
    const n = this.nodes.get(ino);
    if (!n) throw new Error(`model: no inode ${ino}`);
    return n;
  }

  dir(ino: InodeNumber): Extract<ModelNode, { kind: 'dir' }> {
    const n = this.node(ino);
    if (n.kind !== 'dir') throw new Error(`model: inode ${ino} is not a directory`);
    return n;
  }

  file(ino: InodeNumber): Extract<ModelNode, { kind: 'file' }> {
    const n = this.node(ino);
    if (n.kind !== 'file') throw new Error(`model: inode ${ino} is not a file`);
    return n;
  }

  nlink(ino: InodeNumber): number {
    const n = this.node(ino);
    if (n.kind !== 'dir') return n.nlink;
    let subdirs = 0;
    for (const child of n.entries.values()) if (this.node(child).kind === 'dir') subdirs++;
    return 2 + subdirs;
  }

  inodesOfKind(kind: ModelNode['kind']): InodeNumber[] {
    return [...this.nodes].filter(([, n]) => n.kind === kind).map(([ino]) => ino);
  }

  /** Linked files only (nlink > 0): what may be linked or renamed. */
  linkedFiles(): InodeNumber[] {
    return [...this.nodes].filter(([, n]) => n.kind === 'file' && n.nlink > 0).map(([ino]) => ino);
  }

  isAncestor(ancestor: InodeNumber, ino: InodeNumber): boolean {
    for (let cur = ino; ; ) {
      if (cur === ancestor) return true;
      if (cur === ROOT_INODE) return false;
      cur = this.dir(cur).parent;
    }
  }

  // ---- expectations (no mutation) -------------------------------------------------------------

  /** Outcome of creating `name` in `dir` (file, dir, symlink, link): EEXIST when taken. */
  expectNewName(dir: InodeNumber, name: string): Outcome<void> {
    return this.dir(dir).entries.has(name) ? fail('EEXIST') : ok(undefined);
  }

  lookup(dir: InodeNumber, name: string): Outcome<InodeNumber> {
    const ino = this.dir(dir).entries.get(name);
    return ino === undefined ? fail('ENOENT') : ok(ino);
  }

  /** Extended attributes live on files and directories (Linux refuses user.* on symlinks). */
  xattrsOf(ino: InodeNumber): Map<string, Buffer> {
    const n = this.node(ino);
    if (n.kind === 'symlink') throw new Error('model: xattrs of a symlink');
    return n.xattrs;
  }

  setxattr(ino: InodeNumber, name: string, mode: 'create' | 'replace' | 'either'): Outcome<void> {
    const has = this.xattrsOf(ino).has(name);
    if (mode === 'create' && has) return fail('EEXIST');
    if (mode === 'replace' && !has) return fail('ENODATA');
    return ok(undefined);
  }

  getxattr(ino: InodeNumber, name: string): Outcome<Buffer> {
    const v = this.xattrsOf(ino).get(name);
    return v === undefined ? fail('ENODATA') : ok(v);
  }

  // ---- mutations (called only after the expectation was ok) ------------------------------------

  addNode(dir: InodeNumber, name: string, ino: InodeNumber, node: ModelNode): void {
    if (this.nodes.has(ino)) throw new Error(`engine reused live inode ${ino} for ${name}`);
    this.nodes.set(ino, node);
    this.dir(dir).entries.set(name, ino);
  }

  link(ino: InodeNumber, dir: InodeNumber, name: string): void {
    const n = this.node(ino);
    if (n.kind === 'dir') throw new Error('model: link of a directory');
    n.nlink++;
    this.dir(dir).entries.set(name, ino);
  }

  /** Removes a name; the inode goes when it has no names and no open references. */
  removeName(dir: InodeNumber, name: string): void {
    const d = this.dir(dir);
    const ino = d.entries.get(name);
    if (ino === undefined) throw new Error(`model: no entry ${name}`);
    d.entries.delete(name);
    const n = this.node(ino);
    if (n.kind === 'dir') this.nodes.delete(ino);
    else {
      n.nlink--;
      this.dropIfUnreferenced(ino);
    }
  }

  dropIfUnreferenced(ino: InodeNumber): void {
    const n = this.nodes.get(ino);
    if (n && n.kind !== 'dir' && n.nlink === 0 && !this.opens.get(ino)) this.nodes.delete(ino);
  }

  unlink(dir: InodeNumber, name: string): Outcome<void> {
    const target = this.lookup(dir, name);
    if (!target.ok) return target;
    if (this.node(target.value).kind === 'dir') return fail('EISDIR', 'EPERM');
    return ok(undefined);
  }

  rmdir(dir: InodeNumber, name: string): Outcome<void> {
    const target = this.lookup(dir, name);
    if (!target.ok) return target;
    const n = this.node(target.value);
    if (n.kind !== 'dir') return fail('ENOTDIR');
    if (n.entries.size > 0) return fail('ENOTEMPTY', 'EEXIST');
    return ok(undefined);
  }

  /** POSIX rename(2) rules; ok(false) = a no-op (both names are the same inode). */
  rename(fromDir: InodeNumber, fromName: string, toDir: InodeNumber, toName: string): Outcome<boolean> {
    const src = this.lookup(fromDir, fromName);
    if (!src.ok) return src;
    const srcNode = this.node(src.value);
    if (srcNode.kind === 'dir' && this.isAncestor(src.value, toDir)) return fail('EINVAL');
    const dst = this.dir(toDir).entries.get(toName);
    if (dst === undefined) return ok(true);
    if (dst === src.value) return ok(false);
    const dstNode = this.node(dst);
    if (srcNode.kind === 'dir' && dstNode.kind !== 'dir') return fail('ENOTDIR');
    if (srcNode.kind !== 'dir' && dstNode.kind === 'dir') return fail('EISDIR');
    if (dstNode.kind === 'dir' && dstNode.entries.size > 0) return fail('ENOTEMPTY', 'EEXIST');
    return ok(true);
  }

  applyRename(fromDir: InodeNumber, fromName: string, toDir: InodeNumber, toName: string): void {
    const ino = this.dir(fromDir).entries.get(fromName) as InodeNumber;
    if (this.dir(toDir).entries.has(toName)) this.removeName(toDir, toName);
    this.dir(fromDir).entries.delete(fromName);
    this.dir(toDir).entries.set(toName, ino);
    const n = this.node(ino);
    if (n.kind === 'dir') n.parent = toDir;
  }

  /** Close + reopen: open references end, so unlinked-but-open inodes are reclaimed. */
  dropAllOpens(): void {
    const held = [...this.opens.keys()];
    this.opens.clear();
    for (const ino of held) this.dropIfUnreferenced(ino);
  }

  /** Usage as the engine must report it (types.ts Usage): every inode, root included. */
  usage(): { inodes: number; logicalBytes: number; meteredBytes: number } {
    let logicalBytes = 0;
    let meteredBytes = 0;
    for (const n of this.nodes.values()) {
      meteredBytes += 2048;
      if (n.kind === 'file') {
        logicalBytes += n.data.size;
        meteredBytes += Math.ceil(n.data.size / 4096) * 4096;
      } else if (n.kind === 'symlink') logicalBytes += Buffer.byteLength(n.target);
    }
    return { inodes: this.nodes.size, logicalBytes, meteredBytes };
  }
}
