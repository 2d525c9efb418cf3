// MNT: a path is an export path, optionally followed by a directory inside it; the answer is that
// directory's NFSv3 file handle. Refused mounts and clients outside the allow-list get MNT3ERR_ACCES.
import type { Logger } from 'pino';
import { isFsError, type Attr } from '../../engine/index.ts';
import type { Export, ExportTable } from '../exports.ts';
import type { HandleCodec } from '../filehandle.ts';
import { callerFor, clientAllowed } from '../identity.ts';
import { AuthFlavor } from '../rpc/constants.ts';
import type { RpcCall } from '../rpc/types.ts';
import type { XdrWriter } from '../xdr/writer.ts';
import { handleFor } from '../v3/request.ts';
import { MNTPATHLEN, MountStatus } from './constants.ts';
import type { MountTable } from './mount-table.ts';

export interface MountEnv {
  exports: ExportTable;
  mounts: MountTable;
  logger: Logger;
  handles: HandleCodec;
}

type Resolved = { status: typeof MountStatus.OK; exp: Export; attr: Attr } | { status: number };

export async function mnt(call: RpcCall, env: MountEnv, out: XdrWriter): Promise<void> {
  const path = call.args.string(MNTPATHLEN);
  const r = await resolveMountPath(call, env.exports, path);
  const client = call.conn.clientAddress;
  if (!('exp' in r)) {
    env.logger.info({ client, path, status: r.status }, 'NFSv3 mount refused');
    out.u32(r.status);
    return;
  }
  env.mounts.add(client, path);
  env.logger.info({ client, path, export: r.exp.path }, 'NFSv3 mount');
  out.u32(MountStatus.OK);
  out.opaque(handleFor(env.handles, r.exp, r.attr));
  out.u32(1);
  out.u32(AuthFlavor.AUTH_SYS);
}

async function resolveMountPath(call: RpcCall, exports: ExportTable, path: string): Promise<Resolved> {
  const ctx = { clientAddress: call.conn.clientAddress, localAddress: call.conn.localAddress };
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return { status: MountStatus.INVAL };
  // The longest export path that prefixes the requested path.
  for (let n = parts.length; n > 0; n--) {
    const exp = exports.byPath(`/${parts.slice(0, n).join('/')}`, ctx);
    if (!exp) continue;
    if (exp.rules.mountRefused || !clientAllowed(exp.rules, ctx.clientAddress)) return { status: MountStatus.ACCES };
    return walk(exp, parts.slice(n), callerFor(call, exp.rules));
  }
  return { status: MountStatus.NOENT };
}

async function walk(exp: Export, rest: string[], caller: ReturnType<typeof callerFor>): Promise<Resolved> {
  try {
    let attr = await exp.volume.getattr(exp.root);
    for (const name of rest) attr = await exp.volume.lookup(caller, attr.ino, name);
    if (attr.type !== 'dir') return { status: MountStatus.NOTDIR };
    return { status: MountStatus.OK, exp, attr };
  } catch (e) {
    if (isFsError(e, 'ENOENT')) return { status: MountStatus.NOENT };
    if (isFsError(e, 'EACCES')) return { status: MountStatus.ACCES };
    if (isFsError(e, 'ENOTDIR')) return { status: MountStatus.NOTDIR };
    throw e;
  }
}
