// The engine's entry points. Callers open volumes here and then use the Volume interface only.
export * from './types.ts';
export { openVolume, type VolumeOptions } from './volume.ts';
export { WriteBudget } from './write-budget.ts';
export { requestFinished, requestStarted } from './foreground.ts';
export { releaseBlockView } from './blocks/hash-pool.ts';
export { checkVolumeDir } from './offline-check.ts';
export { restoreVolume, type RestoreOptions } from './restore.ts';
