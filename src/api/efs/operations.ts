// Every operation of the EFS model, by name.
import type { EfsHandler } from './operation.ts';
import { accessPointOps } from './ops-access-points.ts';
import { accountOps } from './ops-account.ts';
import { fileSystemOps } from './ops-file-systems.ts';
import { mountTargetOps } from './ops-mount-targets.ts';
import { settingsOps } from './ops-settings.ts';
import { tagOps } from './ops-tags.ts';

export const EFS_OPERATIONS: Readonly<Record<string, EfsHandler>> = {
  ...fileSystemOps, ...mountTargetOps, ...accessPointOps, ...settingsOps, ...tagOps, ...accountOps,
};
