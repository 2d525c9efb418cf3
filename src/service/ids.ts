// Resource ids and ARNs in the reference formats (ids: prefix + 17 hex digits).
import { randomBytes } from 'node:crypto';

export type ResourceKind = 'file-system' | 'mount-target' | 'access-point' | 'backup';
const PREFIX: Record<ResourceKind, string> = { 'file-system': 'fs', 'mount-target': 'fsmt', 'access-point': 'fsap', backup: 'backup' };

export function newId(kind: ResourceKind): string {
  return `${PREFIX[kind]}-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

export type ArnService = 'elasticfilesystem' | 'fsx';

export function arn(service: ArnService, region: string, account: string, kind: ResourceKind, id: string): string {
  return `arn:fathom:${service}:${region}:${account}:${kind}/${id}`;
}

/** Accepts a bare id or any ARN ending in /<id>; returns the id. */
export function idFromIdOrArn(value: string): string {
  const slash = value.lastIndexOf('/');
  return value.startsWith('arn:') && slash >= 0 ? value.slice(slash + 1) : value;
}
