// Deployment configuration: where data lives, where the servers listen, and the regions/zones/subnets
// the APIs expose. Precedence: command-line flags > environment > JSON config file > defaults.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AddressRange } from '../nfs/exports.ts';
import { DEFAULT_IDLE_POLL_MICROS } from '../nfs/rpc/idle-poll.ts';
import { parseListen, type ListenAddress } from './listen-address.ts';

export interface SubnetConfig {
  id: string;
  zone: string;
  /** NFS listener of this subnet: mount targets in it get this address as IpAddress. */
  nfsListen: ListenAddress;
}

export interface ZoneConfig {
  name: string;
  id: string;
}

export interface RegionConfig {
  name: string;
  zones: ZoneConfig[];
  subnets: SubnetConfig[];
  /** Backup vault directory (used by the backup subsystem). */
  vaultDir: string;
}

export interface FathomConfig {
  dataDir: string;
  apiListen: ListenAddress;
  nfsListen: ListenAddress;
  /** How long the NFS server polls for a client's next call after its last reply (µs; 0 = never). */
  nfsIdlePollMicros: number;
  /** The region listed first is the home region. */
  regions: RegionConfig[];
  /** Security group id → client address ranges; a group not listed allows every client. */
  securityGroups: Record<string, AddressRange[]>;
}

/** The JSON config file: every field optional. */
export interface ConfigFile {
  dataDir?: string;
  apiListen?: string;
  nfsListen?: string;
  nfsIdlePollMicros?: number;
  regions?: Array<{ name: string; zones?: ZoneConfig[]; subnets?: Array<{ id: string; zone: string; nfsListen?: string }>; vaultDir?: string }>;
  securityGroups?: Record<string, string[]>;
}

export interface ConfigSources {
  flags?: { dataDir?: string; apiListen?: string; nfsListen?: string; nfsIdlePoll?: string; config?: string };
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_API_LISTEN = '127.0.0.1:8080';
export const DEFAULT_NFS_LISTEN = '127.0.0.1:2049';

export function loadConfig(sources: ConfigSources = {}): FathomConfig {
  const flags = sources.flags ?? {};
  const env = sources.env ?? process.env;
  const path = flags.config ?? env.FATHOM_CONFIG;
  const file: ConfigFile = path ? (JSON.parse(readFileSync(path, 'utf8')) as ConfigFile) : {};
  const dataDir = resolve(flags.dataDir ?? env.FATHOM_DATA_DIR ?? file.dataDir ?? './data');
  const apiListen = parseListen(flags.apiListen ?? env.FATHOM_API_LISTEN ?? file.apiListen ?? DEFAULT_API_LISTEN, 8080);
  const nfsListen = parseListen(flags.nfsListen ?? env.FATHOM_NFS_LISTEN ?? file.nfsListen ?? DEFAULT_NFS_LISTEN, 2049);
  const nfsIdlePollMicros = parseMicros(flags.nfsIdlePoll ?? env.FATHOM_NFS_IDLE_POLL_US ?? file.nfsIdlePollMicros
    ?? DEFAULT_IDLE_POLL_MICROS);
  const regions = file.regions?.length ? file.regions.map((r) => regionFromFile(r, dataDir, nfsListen)) : defaultRegions(dataDir, nfsListen);
  return { dataDir, apiListen, nfsListen, nfsIdlePollMicros, regions, securityGroups: securityGroupsFromFile(file.securityGroups ?? {}) };
}

/** A polling window: whole microseconds, at most a millisecond (longer would spin on clients that are not coming). */
function parseMicros(v: string | number): number {
  const n = Number(v);
  if (String(v).trim() === '' || !Number.isInteger(n) || n < 0 || n > 1000) {
    throw new Error(`bad NFS idle poll "${v}": whole microseconds from 0 (off) to 1000`);
  }
  return n;
}

function defaultRegions(dataDir: string, nfsListen: ListenAddress): RegionConfig[] {
  return [
    { name: 'local-1', zones: [{ name: 'local-1a', id: 'local1-az1' }],
      subnets: [{ id: 'subnet-local-1a', zone: 'local-1a', nfsListen }], vaultDir: resolve(dataDir, 'vaults', 'local-1') },
    // local-2 has a zone and a subnet on the same listener so it is usable, and its own vault for cross-region copies.
    { name: 'local-2', zones: [{ name: 'local-2a', id: 'local2-az1' }],
      subnets: [{ id: 'subnet-local-2a', zone: 'local-2a', nfsListen }], vaultDir: resolve(dataDir, 'vaults', 'local-2') },
  ];
}

function regionFromFile(r: NonNullable<ConfigFile['regions']>[number], dataDir: string, nfsListen: ListenAddress): RegionConfig {
  const zones = r.zones ?? [];
  const subnets = (r.subnets ?? []).map((s) => {
    if (!zones.some((z) => z.name === s.zone)) throw new Error(`subnet ${s.id}: unknown zone ${s.zone} in region ${r.name}`);
    return { id: s.id, zone: s.zone, nfsListen: s.nfsListen ? parseListen(s.nfsListen, 2049) : nfsListen };
  });
  return { name: r.name, zones, subnets, vaultDir: resolve(dataDir, r.vaultDir ?? `vaults/${r.name}`) };
}

function securityGroupsFromFile(groups: Record<string, string[]>): Record<string, AddressRange[]> {
  const out: Record<string, AddressRange[]> = {};
  for (const [id, cidrs] of Object.entries(groups)) out[id] = cidrs.map(parseCidr);
  return out;
}

export function parseCidr(cidr: string): AddressRange {
  const [address, prefix] = cidr.split('/');
  const isV6 = address.includes(':');
  const max = isV6 ? 128 : 32;
  const bits = prefix === undefined ? max : Number(prefix);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) throw new Error(`bad CIDR "${cidr}"`);
  return { address, prefix: bits };
}

export function findRegion(config: FathomConfig, name: string): RegionConfig | undefined {
  return config.regions.find((r) => r.name === name);
}
