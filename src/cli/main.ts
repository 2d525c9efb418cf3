// The `fathom` command line.
import { Command } from 'commander';
import { registerAccessPointCommands } from './commands/access-points.ts';
import { registerBackupApiCommands } from './commands/backups.ts';
import { registerFileSystemCommands } from './commands/file-systems.ts';
import { registerFsckCommand } from './commands/fsck.ts';
import { registerIamCommands } from './commands/iam.ts';
import { registerMountTargetCommands } from './commands/mount-targets.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerStatusCommand } from './commands/status.ts';
import { registerVaultCommands } from './commands/vault.ts';

export function buildProgram(): Command {
  const program = new Command('fathom').description('Fathom: self-hosted EFS/FSx-compatible file storage').showHelpAfterError();
  registerServeCommand(program);
  registerStatusCommand(program);
  registerFileSystemCommands(program);
  registerMountTargetCommands(program);
  registerAccessPointCommands(program);
  registerIamCommands(program);
  registerFsckCommand(program);
  registerVaultCommands(program);
  registerBackupApiCommands(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
