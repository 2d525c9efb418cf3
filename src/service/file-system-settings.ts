// Per-file-system settings of the EFS API: file system policy, lifecycle configuration, backup policy.
// They are stored and returned; the policy also drives NFS export rules (see policy-rules.ts).
import type { FileSystems } from './file-systems.ts';
import { ServiceError } from './errors.ts';
import { parsePolicy } from './policy-document.ts';
import type { LifecyclePolicy, Scope } from './types.ts';
import type { ServiceContext } from './context.ts';

export class FileSystemSettings {
  constructor(private readonly ctx: ServiceContext, private readonly fileSystems: FileSystems) {}

  private rows() {
    return this.fileSystems.rows;
  }

  describePolicy(scope: Scope, id: string): string {
    const fs = this.rows().get(scope, 'efs', id);
    const policy = this.rows().getSetting(fs.id, 'policy');
    if (policy === null) throw new ServiceError('PolicyNotFound', `File system '${fs.id}' has no file system policy.`);
    return policy;
  }

  putPolicy(scope: Scope, id: string, policy: string): string {
    const fs = this.rows().get(scope, 'efs', id);
    this.fileSystems.requireAvailable(fs);
    parsePolicy(policy);
    this.rows().setSetting(fs.id, 'policy', policy);
    this.ctx.changed();
    return policy;
  }

  deletePolicy(scope: Scope, id: string): void {
    const fs = this.rows().get(scope, 'efs', id);
    this.fileSystems.requireAvailable(fs);
    this.rows().setSetting(fs.id, 'policy', null);
    this.ctx.changed();
  }

  describeLifecycle(scope: Scope, id: string): LifecyclePolicy[] {
    const fs = this.rows().get(scope, 'efs', id);
    return JSON.parse(this.rows().getSetting(fs.id, 'lifecycle') ?? '[]') as LifecyclePolicy[];
  }

  putLifecycle(scope: Scope, id: string, policies: LifecyclePolicy[]): LifecyclePolicy[] {
    const fs = this.rows().get(scope, 'efs', id);
    this.fileSystems.requireAvailable(fs);
    checkLifecycle(policies);
    this.rows().setSetting(fs.id, 'lifecycle', JSON.stringify(policies));
    return policies;
  }

  describeBackupPolicy(scope: Scope, id: string): string {
    const fs = this.rows().get(scope, 'efs', id);
    return this.rows().getSetting(fs.id, 'backup_status') ?? 'DISABLED';
  }

  putBackupPolicy(scope: Scope, id: string, status: string): string {
    const fs = this.rows().get(scope, 'efs', id);
    this.fileSystems.requireAvailable(fs);
    if (status !== 'ENABLED' && status !== 'DISABLED') {
      throw new ServiceError('ValidationException', 'BackupPolicy Status must be ENABLED or DISABLED.');
    }
    this.rows().setSetting(fs.id, 'backup_status', status);
    return status;
  }
}

/** Each lifecycle policy object holds exactly one transition, and each transition kind appears at most once. */
function checkLifecycle(policies: LifecyclePolicy[]): void {
  const seen = new Set<string>();
  for (const p of policies) {
    const keys = Object.entries(p).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (keys.length !== 1) throw new ServiceError('BadRequest', 'Each LifecyclePolicy must contain exactly one transition.');
    if (seen.has(keys[0])) throw new ServiceError('BadRequest', `${keys[0]} appears more than once.`);
    seen.add(keys[0]);
  }
}
