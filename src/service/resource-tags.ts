// Tags on file systems and access points (EFS CreateTags/DeleteTags/TagResource/…, FSx TagResource/…).
import type { AccessPoints } from './access-points.ts';
import { ServiceError } from './errors.ts';
import type { ApiFamily } from './file-system-rows.ts';
import type { FileSystems } from './file-systems.ts';
import { idFromIdOrArn } from './ids.ts';
import { checkUniqueKeys, mergeTags, removeTags } from './tags.ts';
import type { Scope, Tag } from './types.ts';

export class ResourceTags {
  constructor(private readonly fileSystems: FileSystems, private readonly accessPoints: AccessPoints) {}

  list(scope: Scope, family: ApiFamily, resourceId: string): Tag[] {
    const id = idFromIdOrArn(resourceId);
    if (id.startsWith('fsap-') && family === 'efs') return this.accessPoints.get(scope, id).tags;
    return this.fileSystems.rows.get(scope, family, id).tags;
  }

  add(scope: Scope, family: ApiFamily, resourceId: string, tags: Tag[]): void {
    checkUniqueKeys(tags);
    this.apply(scope, family, resourceId, (current) => mergeTags(current, tags));
  }

  remove(scope: Scope, family: ApiFamily, resourceId: string, keys: string[]): void {
    this.apply(scope, family, resourceId, (current) => removeTags(current, keys));
  }

  private apply(scope: Scope, family: ApiFamily, resourceId: string, change: (current: Tag[]) => Tag[]): void {
    const id = idFromIdOrArn(resourceId);
    if (id.startsWith('fsap-') && family === 'efs') {
      const ap = this.accessPoints.get(scope, id);
      this.accessPoints.setTags(ap.id, change(ap.tags));
      return;
    }
    const fs = this.fileSystems.rows.get(scope, family, id);
    if (fs.state === 'deleting') throw new ServiceError('FileSystemNotFound', `File system '${id}' is being deleted.`);
    this.fileSystems.rows.update(fs.id, { tags: change(fs.tags) });
  }
}
