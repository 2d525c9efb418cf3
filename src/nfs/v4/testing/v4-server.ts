// A throw-away NFSv4 server for tests: one fresh engine volume exported at /fs-0123456789abcdef0 on
// 127.0.0.1 (ephemeral port), with a configurable lease/grace and state directory for restart tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openVolume, ROOT_INODE, type Volume } from '../../../engine/index.ts';
import { DEFAULT_RULES, StaticExportTable, type ExportRules } from '../../exports.ts';
import { RpcServer } from '../../rpc/server.ts';
import { NFS4_PROGRAM, NFS4_VERSION } from '../constants.ts';
import { createNfs4Handler, type Nfs4Handler } from '../program.ts';

export const EXPORT_NAME = 'fs-0123456789abcdef0';

export interface TestServer {
  port: number;
  dir: string;
  volume: Volume;
  handler: Nfs4Handler;
  /** Stops the listener but keeps the volume and state dir (for restart tests). */
  stop(): Promise<void>;
  /** Stops everything and removes the temp dir. */
  close(): Promise<void>;
}

export interface TestServerOptions {
  leaseSeconds?: number;
  graceSeconds?: number;
  rules?: Partial<ExportRules>;
  /** Reuse a previous server's directory (volume and NFSv4 client records): a restart. */
  dir?: string;
}

export async function startTestServer(o: TestServerOptions = {}): Promise<TestServer> {
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-v4-test-'));
  const volume = await openVolume({ dir: path.join(dir, 'volume'), id: EXPORT_NAME, create: true });
  const exports = new StaticExportTable([
    { id: 1, path: `/${EXPORT_NAME}`, volume, root: ROOT_INODE, fsid: 7n, rules: { ...DEFAULT_RULES, ...o.rules } },
  ]);
  const handler = createNfs4Handler({
    exports, stateDir: path.join(dir, 'state'), leaseSeconds: o.leaseSeconds ?? 60, graceSeconds: o.graceSeconds ?? 60,
  });
  const rpc = new RpcServer({ programs: [{ prog: NFS4_PROGRAM, versions: new Map([[NFS4_VERSION, handler]]) }] });
  const { port } = await rpc.listen('127.0.0.1', 0);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    handler.close();
    await rpc.close();
    await volume.close();
  };
  return {
    port, dir, volume, handler, stop,
    close: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
