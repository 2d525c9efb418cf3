// The NFS export table computed from service state: a file system with an available mount target is
// exported at /<fs-id> on the listener of each mount target's subnet; its access points at /<fsap-id>
// on the same listeners; FSx file systems at /<fs-id> on the listeners of their SubnetIds. The file
// system policy becomes export rules and security groups become client allow-lists (config-mapped).
import type { AddressRange, Export, ExportLookupContext, ExportRules, ExportTable } from '../nfs/exports.ts';
import { DEFAULT_RULES } from '../nfs/exports.ts';
import { ROOT_INODE, type InodeNumber } from '../engine/index.ts';
import type { FathomConfig } from '../config/config.ts';
import { arn } from './ids.ts';
import { rulesFromPolicy } from './policy-rules.ts';
import type { FathomService } from './service.ts';
import { stmt } from './control-db.ts';

interface Entry {
  export: Export;
  /** Listener hosts this export is served on. */
  hosts: Set<string>;
}

export class ServiceExportTable implements ExportTable {
  private entries: Entry[] = [];
  private dirty = true;

  constructor(private readonly service: FathomService, private readonly config: FathomConfig) {
    service.ctx.onChange(() => {
      this.dirty = true;
    });
  }

  list(ctx: ExportLookupContext): Export[] {
    return this.current().filter((e) => servesOn(e.hosts, ctx.localAddress)).map((e) => e.export);
  }

  byPath(path: string, ctx: ExportLookupContext): Export | undefined {
    return this.current().find((e) => e.export.path === path && servesOn(e.hosts, ctx.localAddress))?.export;
  }

  byId(id: number, ctx: ExportLookupContext): Export | undefined {
    return this.current().find((e) => e.export.id === id && servesOn(e.hosts, ctx.localAddress))?.export;
  }

  private current(): Entry[] {
    if (this.dirty) {
      this.dirty = false;
      this.entries = this.build();
    }
    return this.entries;
  }

  private build(): Entry[] {
    const svc = this.service;
    const out: Entry[] = [];
    const mountTargets = svc.mountTargets.all().filter((m) => m.state === 'available');
    const accessPoints = svc.accessPoints.all().filter((a) => a.state === 'available' && a.rootIno !== undefined);
    for (const fs of svc.fileSystems.rows.all()) {
      const volume = svc.ctx.volumes.get(fs.id);
      if (fs.state !== 'available' || !volume) continue;
      const base = { volume, fsid: fsidOf(fs.id) };
      if (fs.type !== 'EFS') {
        const fsx = fs.fsx;
        const hosts = this.subnetHosts(fs.region, fsx?.subnetIds ?? []);
        out.push({ hosts, export: { ...base, id: this.exportId(`/${fs.id}`), path: `/${fs.id}`, root: ROOT_INODE,
          rules: { ...DEFAULT_RULES, allowedClients: this.clientRanges(fsx?.securityGroupIds ?? []) } } });
        continue;
      }
      const mts = mountTargets.filter((m) => m.fileSystemId === fs.id);
      if (mts.length === 0) continue;
      const hosts = new Set(mts.map((m) => m.ipAddress));
      const allowedClients = this.clientRanges(mts.flatMap((m) => m.securityGroups), mts.some((m) => m.securityGroups.length === 0));
      const policy = svc.fileSystems.rows.getSetting(fs.id, 'policy');
      out.push({ hosts, export: { ...base, id: this.exportId(`/${fs.id}`), path: `/${fs.id}`, root: ROOT_INODE,
        rules: this.rules(policy, allowedClients, undefined) } });
      for (const ap of accessPoints.filter((a) => a.fileSystemId === fs.id)) {
        const apArn = arn('elasticfilesystem', fs.region, svc.accountId, 'access-point', ap.id);
        const forcedIdentity = ap.posixUser ? { uid: ap.posixUser.uid, gid: ap.posixUser.gid, gids: ap.posixUser.secondaryGids } : undefined;
        out.push({ hosts, export: { ...base, id: this.exportId(`/${ap.id}`), path: `/${ap.id}`, root: ap.rootIno as InodeNumber,
          rules: { ...this.rules(policy, allowedClients, apArn), forcedIdentity } } });
      }
    }
    return out;
  }

  private rules(policy: string | null, allowedClients: AddressRange[], accessPointArn: string | undefined): ExportRules {
    return { ...DEFAULT_RULES, ...rulesFromPolicy(policy, { accessPointArn }), allowedClients };
  }

  private subnetHosts(region: string, subnetIds: readonly string[]): Set<string> {
    const subnets = this.config.regions.find((r) => r.name === region)?.subnets ?? [];
    return new Set(subnets.filter((s) => subnetIds.includes(s.id)).map((s) => s.nfsListen.host));
  }

  /** Security groups → address ranges; an unmapped group (or none at all) admits every client (empty list). */
  private clientRanges(groups: readonly string[], anyWithoutGroups = groups.length === 0): AddressRange[] {
    if (anyWithoutGroups || groups.some((g) => this.config.securityGroups[g] === undefined)) return [];
    return groups.flatMap((g) => this.config.securityGroups[g] ?? []);
  }

  /** Stable small ids: assigned once per path and never reused. */
  private exportId(path: string): number {
    const db = this.service.ctx.db;
    stmt(db, 'INSERT OR IGNORE INTO export_ids (path) VALUES (?)').run(path);
    return (stmt(db, 'SELECT id FROM export_ids WHERE path = ?').get(path) as { id: number }).id;
  }
}

/** The listener an NFS request arrived on serves this export (wildcard listeners serve every subnet). */
function servesOn(hosts: Set<string>, localAddress: string): boolean {
  const local = localAddress.startsWith('::ffff:') ? localAddress.slice(7) : localAddress;
  for (const h of hosts) if (h === local || h === '0.0.0.0' || h === '::') return true;
  return false;
}

/** The file system id's first 64 bits: distinct per volume and stable across restarts. */
export function fsidOf(fsId: string): bigint {
  return BigInt(`0x${fsId.replace(/^fs-/, '').slice(0, 16)}`);
}

