// MOUNT v3 (program 100005, version 3) on the NFS port, so v3 clients need no portmapper.
import type { RpcVersionHandler } from '../rpc/types.ts';
import { XdrWriter } from '../xdr/writer.ts';
import { MNTPATHLEN, MountProc } from './constants.ts';
import { mnt, type MountEnv } from './mnt.ts';

export function mountV3Handler(env: MountEnv): RpcVersionHandler {
  return async (call) => {
    const out = new XdrWriter(256);
    const client = call.conn.clientAddress;
    switch (call.proc) {
      case MountProc.NULL:
        break;
      case MountProc.MNT:
        await mnt(call, env, out);
        break;
      case MountProc.DUMP:
        for (const m of env.mounts.list()) {
          out.bool(true);
          out.string(m.host);
          out.string(m.path);
        }
        out.bool(false);
        break;
      case MountProc.UMNT:
        env.mounts.remove(client, call.args.string(MNTPATHLEN));
        break;
      case MountProc.UMNTALL:
        env.mounts.removeHost(client);
        break;
      case MountProc.EXPORT:
        writeExports(env, call.conn.clientAddress, call.conn.localAddress, out);
        break;
      default:
        return { kind: 'proc_unavail' };
    }
    return { kind: 'success', body: out.finish() };
  };
}

/** exports: each visible, mountable export path with an empty group list (access is by address ranges). */
function writeExports(env: MountEnv, clientAddress: string, localAddress: string, out: XdrWriter): void {
  for (const exp of env.exports.list({ clientAddress, localAddress })) {
    if (exp.rules.mountRefused) continue;
    out.bool(true);
    out.string(exp.path);
    out.bool(false);
  }
  out.bool(false);
}
