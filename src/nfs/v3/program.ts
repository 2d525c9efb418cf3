// NFSv3 (program 100003, version 3): the procedure table and the RPC entry point.
import { XdrWriter } from '../xdr/writer.ts';
import type { RpcVersionHandler } from '../rpc/types.ts';
import { Proc3 } from './constants.ts';
import { V3Request, type V3Env, type V3Procedure } from './request.ts';
import { getattr } from './getattr.ts';
import { setattr } from './setattr.ts';
import { lookup } from './lookup.ts';
import { access } from './access.ts';
import { readlink } from './readlink.ts';
import { read } from './read.ts';
import { write } from './write.ts';
import { create } from './create.ts';
import { mkdir } from './mkdir.ts';
import { symlink } from './symlink.ts';
import { mknod } from './mknod.ts';
import { remove, rmdir } from './remove.ts';
import { rename } from './rename.ts';
import { link } from './link.ts';
import { readdir, readdirplus } from './readdir.ts';
import { fsinfo, fsstat, pathconf } from './fsinfo.ts';
import { commit } from './commit.ts';
import { DuplicateRequestCache } from './duplicate-cache.ts';

const nullProc: V3Procedure = async () => {};

const PROCEDURES: ReadonlyMap<number, V3Procedure> = new Map([
  [Proc3.NULL, nullProc],
  [Proc3.GETATTR, getattr],
  [Proc3.SETATTR, setattr],
  [Proc3.LOOKUP, lookup],
  [Proc3.ACCESS, access],
  [Proc3.READLINK, readlink],
  [Proc3.READ, read],
  [Proc3.WRITE, write],
  [Proc3.CREATE, create],
  [Proc3.MKDIR, mkdir],
  [Proc3.SYMLINK, symlink],
  [Proc3.MKNOD, mknod],
  [Proc3.REMOVE, remove],
  [Proc3.RMDIR, rmdir],
  [Proc3.RENAME, rename],
  [Proc3.LINK, link],
  [Proc3.READDIR, readdir],
  [Proc3.READDIRPLUS, readdirplus],
  [Proc3.FSSTAT, fsstat],
  [Proc3.FSINFO, fsinfo],
  [Proc3.PATHCONF, pathconf],
  [Proc3.COMMIT, commit],
]);

export function nfsV3Handler(env: V3Env): RpcVersionHandler {
  const duplicates = new DuplicateRequestCache();
  return async (call) => {
    const proc = PROCEDURES.get(call.proc);
    if (!proc) return { kind: 'proc_unavail' };
    return duplicates.run(call, async () => {
      const out = new XdrWriter(512);
      await proc(new V3Request(call, env), out);
      // READ data is referenced, not copied, into the reply.
      return { kind: 'success', body: out.finishSegments() };
    });
  };
}
