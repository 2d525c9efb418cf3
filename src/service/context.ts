// What every service module shares: the database, configuration, volumes, background tasks and change events.
import type { Logger } from 'pino';
import type { FathomConfig, RegionConfig } from '../config/config.ts';
import type { ControlDb } from './control-db.ts';
import { ServiceError } from './errors.ts';
import type { VolumeProvider } from './volumes.ts';

export class ServiceContext {
  private readonly listeners: Array<() => void> = [];
  private readonly tasks = new Set<Promise<void>>();

  constructor(
    readonly db: ControlDb,
    readonly config: FathomConfig,
    readonly volumes: VolumeProvider,
    readonly logger: Logger,
    readonly accountId: string,
  ) {}

  region(name: string): RegionConfig {
    const r = this.config.regions.find((x) => x.name === name);
    if (!r) throw new ServiceError('BadRequest', `Unknown region ${name}.`);
    return r;
  }

  /** Something exportable changed (mount targets, access points, policies, file system states). */
  changed(): void {
    for (const l of this.listeners) l();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Runs a state transition in the background; failures are logged and handled by `onError`. */
  background(name: string, work: () => Promise<void>, onError: (e: unknown) => void): void {
    const p = (async () => {
      // Let the API answer first: the resource is returned in its initial state (creating/deleting).
      await new Promise((r) => setImmediate(r));
      await work();
    })().catch((e: unknown) => {
      this.logger.error({ err: e, task: name }, 'background task failed');
      onError(e);
    }).finally(() => this.tasks.delete(p));
    this.tasks.add(p);
  }

  /** Resolves when every background transition started so far has finished. */
  async idle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }
}
