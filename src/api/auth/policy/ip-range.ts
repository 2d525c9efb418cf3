import net from 'node:net';

/** `::ffff:10.0.0.1` (how Node reports IPv4 peers on dual-stack sockets) is treated as `10.0.0.1`. */
export function normaliseIp(address: string): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  const plain = address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
  if (net.isIPv4(plain)) return { address: plain, family: 'ipv4' };
  if (net.isIPv6(plain)) return { address: plain, family: 'ipv6' };
  return undefined;
}

/** Parses `10.0.0.0/8`, `2001:db8::/32` or a bare address (a /32 or /128). */
export function parseCidr(cidr: string): { address: string; family: 'ipv4' | 'ipv6'; prefix: number } | undefined {
  const slash = cidr.indexOf('/');
  const ip = normaliseIp(slash < 0 ? cidr : cidr.slice(0, slash));
  if (!ip) return undefined;
  const max = ip.family === 'ipv4' ? 32 : 128;
  const prefixText = slash < 0 ? String(max) : cidr.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return undefined;
  return { ...ip, prefix: Number(prefixText) };
}

export function ipInRange(address: string, cidr: string): boolean {
  const ip = normaliseIp(address);
  const range = parseCidr(cidr);
  if (!ip || !range || ip.family !== range.family) return false;
  const list = new net.BlockList();
  list.addSubnet(range.address, range.prefix, range.family);
  return list.check(ip.address, ip.family);
}
