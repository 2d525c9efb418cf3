// FSx ResourceARN → file system id, with the reference's errors for other services and resource types.
import { ServiceError } from '../../service/errors.ts';

export function resourceIdFromArn(resourceArn: string, region: string): string {
  const m = /^arn:[^:]+:([^:]+):([^:]*):(\d{12}):([^/]+)\/(.+)$/.exec(resourceArn);
  if (!m || m[1] !== 'fsx') throw new ServiceError('NotServiceResourceError', `${resourceArn} is not an FSx resource.`, { details: { ResourceARN: resourceArn } });
  if (m[4] !== 'file-system') {
    throw new ServiceError('ResourceDoesNotSupportTagging', `${resourceArn} cannot be tagged here.`, { details: { ResourceARN: resourceArn } });
  }
  if (m[2] !== region) throw new ServiceError('ResourceNotFound', `${resourceArn} is not in ${region}.`, { details: { ResourceARN: resourceArn } });
  return m[5];
}

/** FSx tag operations say ResourceNotFound where the file system operations say FileSystemNotFound. */
export function asResourceNotFound<T>(resourceArn: string, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof ServiceError && e.code === 'FileSystemNotFound') {
      throw new ServiceError('ResourceNotFound', `Resource ${resourceArn} does not exist.`, { details: { ResourceARN: resourceArn } });
    }
    throw e;
  }
}
