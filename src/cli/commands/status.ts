// `fathom status`: is the server up, and what does the region hold.
import type { Command } from 'commander';
import { openClients, withClientOptions } from '../api-client.ts';
import { humanBytes, print } from '../output.ts';
import { action } from '../run-action.ts';
import { listFileSystems } from './file-systems.ts';

export function registerStatusCommand(program: Command): void {
  withClientOptions(program.command('status').description('server reachability and a summary of a region')).action(action(async (_args, opts) => {
    const c = openClients(opts);
    const { efs, fsx } = await listFileSystems(c);
    const summary = {
      endpoint: c.endpoint, region: c.region, efsFileSystems: efs.length, fsxFileSystems: fsx.length,
      available: [...efs.map((f) => f.LifeCycleState), ...fsx.map((f) => f.Lifecycle)].filter((s) => s === 'available' || s === 'AVAILABLE').length,
      mountTargets: efs.reduce((n, f) => n + (f.NumberOfMountTargets ?? 0), 0),
      meteredBytes: efs.reduce((n, f) => n + (f.SizeInBytes?.Value ?? 0), 0),
    };
    print(opts.output, summary, () => ({ headers: ['KEY', 'VALUE'], rows: [
      ['endpoint', summary.endpoint], ['region', summary.region], ['EFS file systems', String(summary.efsFileSystems)],
      ['FSx file systems', String(summary.fsxFileSystems)], ['available', String(summary.available)],
      ['mount targets', String(summary.mountTargets)], ['EFS metered size', humanBytes(summary.meteredBytes)],
    ] }));
  }));
}
