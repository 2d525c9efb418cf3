// `fathom vault|backup …` alone, for tests that run the commands in a child process (the test runner owns
// the test process's stdout).
import { Command } from 'commander';
import { registerVaultCommands } from '../../cli/commands/vault.ts';

const program = new Command('fathom');
registerVaultCommands(program);
await program.parseAsync(process.argv);
