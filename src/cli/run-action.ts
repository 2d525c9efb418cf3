// Runs a command action: errors become one clear line on stderr and exit status 1.
import type { Command } from 'commander';
import type { ClientOptions } from './api-client.ts';

export function action(work: (args: string[], opts: ClientOptions & Record<string, unknown>) => Promise<void>) {
  return async (...params: unknown[]): Promise<void> => {
    const cmd = params[params.length - 1] as Command;
    const args = params.slice(0, -2).filter((p): p is string => typeof p === 'string');
    try {
      await work(args, cmd.optsWithGlobals<ClientOptions & Record<string, unknown>>());
    } catch (e) {
      process.stderr.write(`error: ${describeError(e)}\n`);
      process.exitCode = 1;
    }
  };
}

function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: string }).code;
  if (code === 'ECONNREFUSED') return `${e.message} (is \`fathom serve\` running? see --endpoint)`;
  return e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
}
