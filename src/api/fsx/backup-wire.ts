// Backup records → the FSx Backup shape: CreationTime in epoch seconds (as JSON 1.1 clients parse it), the
// embedded FileSystem as it was when backed up, ResourceARN and OwnerId.
import { fsxBackupShape } from '../../backup/backup-description.ts';
import type { BackupRecord } from '../../backup/backup-service.ts';
import type { RegionConfig } from '../../config/config.ts';
import { backedUpFileSystem } from '../../service/backed-up-file-system.ts';
import { arn } from '../../service/ids.ts';
import { epochSeconds, type Wire } from '../efs/wire-shapes.ts';
import { fsxFileSystemWire } from './wire-shapes.ts';

export function backupWire(r: BackupRecord, account: string, region: (name: string) => RegionConfig | undefined): Wire {
  const shape = fsxBackupShape(r, { resourceArn: arn('fsx', r.region, account, 'backup', r.backupId), ownerId: account });
  const fs = backedUpFileSystem(r.fileSystem);
  const fsRegion = fs && region(fs.region);
  const fileSystem = fs && fsRegion ? fsxFileSystemWire(fs, account, fsRegion) : { FileSystemId: r.fileSystemId };
  return { ...shape, CreationTime: epochSeconds(r.createdAt), FileSystem: fileSystem,
    ...(r.bytesWritten !== undefined && { FathomBytesWritten: r.bytesWritten }) };
}
