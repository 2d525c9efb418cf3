// Mount targets: a file system becomes mountable on the NFS listener of a subnet (one per zone).
import type { ServiceContext } from './context.ts';
import { ServiceError } from './errors.ts';
import type { FileSystems } from './file-systems.ts';
import { newId } from './ids.ts';
import { decodeToken, pageSize, toPage, type Page } from './pagination.ts';
import type { LifeCycleState, MountTarget, Scope } from './types.ts';
import { stmt } from './control-db.ts';

export const MAX_SECURITY_GROUPS = 5;

interface MtRow {
  seq: number; id: string; fs_id: string; region: string; subnet_id: string; zone: string; ip: string; state: string;
  security_groups: string;
}

function fromRow(r: MtRow): MountTarget {
  return { seq: r.seq, id: r.id, fileSystemId: r.fs_id, region: r.region, subnetId: r.subnet_id, zone: r.zone, ipAddress: r.ip,
    state: r.state as LifeCycleState, securityGroups: JSON.parse(r.security_groups) as string[] };
}

export interface CreateMountTargetInput {
  fileSystemId: string;
  subnetId: string;
  ipAddress?: string;
  securityGroups?: string[];
}

export class MountTargets {
  constructor(private readonly ctx: ServiceContext, private readonly fileSystems: FileSystems) {}

  create(scope: Scope, input: CreateMountTargetInput): MountTarget {
    const fs = this.fileSystems.rows.get(scope, 'efs', input.fileSystemId);
    this.fileSystems.requireAvailable(fs);
    const subnet = this.ctx.region(scope.region).subnets.find((s) => s.id === input.subnetId);
    if (!subnet) throw new ServiceError('SubnetNotFound', `Subnet '${input.subnetId}' does not exist in ${scope.region}.`);
    if (fs.availabilityZoneName !== undefined && fs.availabilityZoneName !== subnet.zone) {
      throw new ServiceError('AvailabilityZonesMismatch', `File system '${fs.id}' lives in ${fs.availabilityZoneName}, subnet in ${subnet.zone}.`);
    }
    if (input.ipAddress !== undefined && input.ipAddress !== subnet.nfsListen.host) {
      throw new ServiceError('BadRequest', `IpAddress must be the subnet's NFS listener address ${subnet.nfsListen.host}.`);
    }
    const groups = checkGroups(input.securityGroups ?? []);
    const sameZone = this.list('fs_id = ?', [fs.id]).find((m) => m.zone === subnet.zone);
    if (sameZone) {
      throw new ServiceError('MountTargetConflict', `File system '${fs.id}' already has mount target ${sameZone.id} in zone ${subnet.zone}.`);
    }
    const id = newId('mount-target');
    stmt(this.ctx.db, `INSERT INTO mount_targets (id, fs_id, region, subnet_id, zone, ip, state, security_groups)
      VALUES (?, ?, ?, ?, ?, ?, 'creating', ?)`).run(id, fs.id, scope.region, subnet.id, subnet.zone, subnet.nfsListen.host, JSON.stringify(groups));
    this.ctx.background(`mount target ${id}`, async () => {
      this.setState(id, 'available');
      this.ctx.changed();
    }, () => this.setState(id, 'error'));
    return this.get(scope, id);
  }

  get(scope: Scope, id: string): MountTarget {
    const mt = this.list('id = ? AND region = ?', [id, scope.region])[0];
    if (!mt) throw new ServiceError('MountTargetNotFound', `Mount target '${id}' does not exist.`);
    return mt;
  }

  describe(scope: Scope, input: { fileSystemId?: string; mountTargetId?: string; accessPointId?: string; marker?: string; maxItems?: number },
    accessPointFs: (id: string) => string): Page<MountTarget> {
    const given = [input.fileSystemId, input.mountTargetId, input.accessPointId].filter((x) => x !== undefined).length;
    if (given !== 1) throw new ServiceError('BadRequest', 'Specify exactly one of FileSystemId, MountTargetId or AccessPointId.');
    if (input.mountTargetId !== undefined) return { items: [this.get(scope, input.mountTargetId)] };
    const fsId = input.fileSystemId !== undefined ? this.fileSystems.rows.get(scope, 'efs', input.fileSystemId).id : accessPointFs(input.accessPointId ?? '');
    const max = pageSize(input.maxItems);
    const rows = this.list('fs_id = ? AND seq > ? ORDER BY seq LIMIT ?', [fsId, decodeToken(input.marker), max + 1]);
    return toPage(rows, max, (m) => m);
  }

  delete(scope: Scope, id: string): void {
    const mt = this.get(scope, id);
    if (mt.state === 'deleting') return;
    this.setState(id, 'deleting');
    this.ctx.changed();
    this.ctx.background(`delete ${id}`, async () => {
      stmt(this.ctx.db, 'DELETE FROM mount_targets WHERE id = ?').run(id);
      this.ctx.changed();
    }, () => this.setState(id, 'error'));
  }

  securityGroups(scope: Scope, id: string): string[] {
    const mt = this.requireAvailable(scope, id);
    return mt.securityGroups;
  }

  modifySecurityGroups(scope: Scope, id: string, groups: string[]): void {
    this.requireAvailable(scope, id);
    stmt(this.ctx.db, 'UPDATE mount_targets SET security_groups = ? WHERE id = ?').run(JSON.stringify(checkGroups(groups)), id);
    this.ctx.changed();
  }

  /** The mount target with this id in any region (for authorization), or undefined. */
  find(id: string): MountTarget | undefined {
    return this.list('id = ?', [id])[0];
  }

  /** Every mount target (for the export table). */
  all(): MountTarget[] {
    return this.list('1 = 1 ORDER BY seq', []);
  }

  private requireAvailable(scope: Scope, id: string): MountTarget {
    const mt = this.get(scope, id);
    if (mt.state !== 'available') throw new ServiceError('IncorrectMountTargetState', `Mount target '${id}' is ${mt.state}.`);
    return mt;
  }

  private setState(id: string, state: LifeCycleState): void {
    stmt(this.ctx.db, 'UPDATE mount_targets SET state = ? WHERE id = ?').run(state, id);
  }

  private list(where: string, params: Array<string | number>): MountTarget[] {
    return (stmt(this.ctx.db, `SELECT * FROM mount_targets WHERE ${where}`).all(...params) as MtRow[]).map(fromRow);
  }
}

function checkGroups(groups: string[]): string[] {
  if (groups.length > MAX_SECURITY_GROUPS) {
    throw new ServiceError('SecurityGroupLimitExceeded', `At most ${MAX_SECURITY_GROUPS} security groups per mount target.`);
  }
  return [...new Set(groups)];
}
