// HOST:PORT parsing for --api-listen / --nfs-listen (IPv6 hosts in brackets: [::1]:2049).
export interface ListenAddress {
  host: string;
  port: number;
}

export function parseListen(text: string, defaultPort: number): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`bad listen address "${text}" (expected HOST:PORT)`);
  const host = m[1] ?? (m[2] || '127.0.0.1');
  const port = m[3] === undefined ? defaultPort : Number(m[3]);
  if (port < 0 || port > 65535) throw new Error(`bad port in "${text}"`);
  return { host, port };
}

export function formatListen(a: ListenAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
