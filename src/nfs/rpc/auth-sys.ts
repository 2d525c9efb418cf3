// Strict AUTH_SYS credential parsing: every limit of RFC 5531 appendix A, no trailing bytes.
import { XdrReader } from '../xdr/reader.ts';
import { XdrError } from '../xdr/errors.ts';
import { XdrWriter } from '../xdr/writer.ts';
import { MAX_AUTH_SYS_GIDS, MAX_MACHINE_NAME } from './constants.ts';
import type { AuthSys } from './types.ts';

/** undefined when the body is not a well-formed AUTH_SYS credential (→ AUTH_BADCRED). */
export function parseAuthSys(body: Buffer): AuthSys | undefined {
  try {
    const r = new XdrReader(body);
    const stamp = r.u32();
    const machine = r.string(MAX_MACHINE_NAME);
    const uid = r.u32();
    const gid = r.u32();
    const count = r.u32();
    if (count > MAX_AUTH_SYS_GIDS) return undefined;
    const gids: number[] = [];
    for (let i = 0; i < count; i++) gids.push(r.u32());
    if (r.remaining !== 0) return undefined;
    return { stamp, machine, uid, gid, gids };
  } catch (e) {
    if (e instanceof XdrError) return undefined;
    throw e;
  }
}

export function encodeAuthSys(a: AuthSys): Buffer {
  const w = new XdrWriter(64 + a.machine.length + 4 * a.gids.length);
  w.u32(a.stamp);
  w.string(a.machine);
  w.u32(a.uid);
  w.u32(a.gid);
  w.u32(a.gids.length);
  for (const g of a.gids) w.u32(g);
  return Buffer.from(w.finish());
}
