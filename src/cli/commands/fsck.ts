// `fathom fsck <volume-dir>`: checks one volume directory read-only and reports what is wrong.
import type { Command } from 'commander';
import { checkVolumeDir } from '../../engine/index.ts';

export function registerFsckCommand(program: Command): void {
  program
    .command('fsck')
    .description('check a volume directory (link counts, directory tree, block references, checksums) without changing it')
    .argument('<volume-dir>', 'a volume directory, e.g. DATA_DIR/volumes/fs-0123456789abcdef0')
    .option('--verify-data', 'read every block and verify its length and SHA-256', false)
    .option('--output <format>', 'table or json', 'table')
    .action(async (dir: string, opts: { verifyData: boolean; output: string }) => {
      const report = await checkVolumeDir(dir, { verifyData: opts.verifyData });
      if (opts.output === 'json') console.log(JSON.stringify(report, null, 2));
      else {
        console.log(`volume       ${report.id}`);
        console.log(`inodes       ${report.inodes} (${report.directories} directories)`);
        console.log(`blocks       ${report.blocks}${opts.verifyData ? `, ${report.bytesVerified} bytes verified` : ''}`);
        if (report.leakedBlocks > 0) console.log(`leaked       ${report.leakedBlocks} unreferenced block files (removed at next open)`);
        if (report.problems.length === 0) console.log('clean');
        for (const p of report.problems) console.log(`PROBLEM  ${p.kind.padEnd(8)} ${p.ino ?? '-'}\t${p.detail}`);
      }
      if (report.problems.length > 0) process.exitCode = 1;
    });
}
