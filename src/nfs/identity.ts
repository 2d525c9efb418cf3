// Who a request runs as, and whether a client may use an export at all (export rules applied to RPC calls).
import net from 'node:net';
import type { Caller } from '../engine/index.ts';
import type { AddressRange, ExportRules } from './exports.ts';
import { AuthFlavor } from './rpc/constants.ts';
import type { RpcCall } from './rpc/types.ts';

/** AUTH_SYS identity after the export's rules; AUTH_NONE is the anonymous user; forcedIdentity always wins. */
export function callerFor(call: Pick<RpcCall, 'flavor' | 'authSys'>, rules: ExportRules): Caller {
  if (rules.forcedIdentity) return rules.forcedIdentity;
  const anon: Caller = { uid: rules.anonUid, gid: rules.anonGid, gids: [] };
  if (call.flavor !== AuthFlavor.AUTH_SYS || !call.authSys) return anon;
  const { uid, gid, gids } = call.authSys;
  if (!rules.rootSquash) return { uid, gid, gids };
  // Like Linux root_squash: uid 0 and gid 0 (primary and supplementary) both map to the anonymous ids.
  return {
    uid: uid === 0 ? rules.anonUid : uid,
    gid: gid === 0 ? rules.anonGid : gid,
    gids: gids.map((g) => (g === 0 ? rules.anonGid : g)),
  };
}

/** Empty allow-list: everyone. IPv4 ranges also match IPv4-mapped IPv6 client addresses and vice versa. */
export function clientAllowed(rules: Pick<ExportRules, 'allowedClients'>, address: string): boolean {
  if (rules.allowedClients.length === 0) return true;
  const client = toIpv6Bytes(address);
  if (!client) return false;
  return rules.allowedClients.some((range) => inRange(client, range));
}

function inRange(client: Uint8Array, range: AddressRange): boolean {
  const net6 = toIpv6Bytes(range.address);
  if (!net6) return false;
  const prefix = net.isIPv4(range.address) ? 96 + range.prefix : range.prefix;
  if (prefix < 0 || prefix > 128) return false;
  for (let bit = 0; bit < prefix; bit += 8) {
    const bits = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if ((client[bit / 8] & mask) !== (net6[bit / 8] & mask)) return false;
  }
  return true;
}

/** 16 bytes; IPv4 becomes ::ffff:a.b.c.d. undefined for anything that is not an IP address. */
export function toIpv6Bytes(address: string): Uint8Array | undefined {
  const addr = address.replace(/%.*$/, '');
  if (net.isIPv4(addr)) return mapped(addr);
  if (!net.isIPv6(addr)) return undefined;
  let text = addr;
  const out = new Uint8Array(16);
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const tail = mapped(v4[1]).subarray(12);
    text = `${text.slice(0, v4.index)}${((tail[0] << 8) | tail[1]).toString(16)}:${((tail[2] << 8) | tail[3]).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const headParts = head ? head.split(':') : [];
  const restParts = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const zeros = 8 - headParts.length - restParts.length;
  const groups = [...headParts, ...(rest !== undefined ? Array<string>(zeros).fill('0') : []), ...restParts];
  if (groups.length !== 8) return undefined;
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  });
  return out;
}

function mapped(ipv4: string): Uint8Array {
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  ipv4.split('.').forEach((p, i) => (out[12 + i] = Number(p)));
  return out;
}
