// End to end: resources created with the aws CLI become NFS exports. Files written and read with libnfs
// through the file system and through an access point (forced identity), root squash from a file system
// policy, then everything deleted and unexported.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as efs from '@aws-sdk/client-efs';
import { ROOT_CALLER, ROOT_INODE } from '../../engine/index.ts';
import { startNfsServer, type NfsServer } from '../../nfs/server.ts';
import { ServiceExportTable } from '../../service/export-table.ts';
import { aws, AWS_CLIS } from '../testing/aws-cli.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-e2e-'));
let s: TestServer;
let nfs: NfsServer;
let c: efs.EFSClient;

before(async () => {
  s = await startTestServer();
  nfs = await startNfsServer({ host: '127.0.0.1', port: 0, exports: new ServiceExportTable(s.service, s.config), stateDir: path.join(tmp, 'nfs-state') });
  c = new efs.EFSClient({ endpoint: s.url, region: 'local-1', credentials: s.credentials, maxAttempts: 1 });
});
after(async () => {
  c.destroy();
  await nfs.close();
  await s.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const url = (p: string): string => `nfs://127.0.0.1${p}?nfsport=${nfs.port}&mountport=${nfs.port}&version=3`;
const cli = (...args: string[]) => aws(AWS_CLIS[0].bin, s, ['efs', ...args]);

test('aws-created file system, mount target and access point serve files over NFS with the right owners', async () => {
  const created = await cli('create-file-system', '--creation-token', 'e2e');
  assert.equal(created.code, 0, created.stderr);
  const fsId = created.json<{ FileSystemId: string }>().FileSystemId;
  await s.service.idle();
  const local = path.join(tmp, 'hello.txt');
  fs.writeFileSync(local, 'hello over nfs\n');

  // Not exported before a mount target exists.
  await assert.rejects(run('nfs-cp', [local, url(`/${fsId}/early.txt`)]));

  const mt = await cli('create-mount-target', '--file-system-id', fsId, '--subnet-id', 'subnet-local-1a');
  assert.equal(mt.code, 0, mt.stderr);
  const ap = await cli('create-access-point', '--file-system-id', fsId, '--posix-user', 'Uid=1234,Gid=2345',
    '--root-directory', 'Path=/apps/one,CreationInfo={OwnerUid=1234,OwnerGid=2345,Permissions=755}');
  assert.equal(ap.code, 0, ap.stderr);
  const apId = ap.json<{ AccessPointId: string }>().AccessPointId;
  await s.service.idle();

  const volume = s.service.ctx.volumes.get(fsId);
  assert.ok(volume);
  await volume.setattr(ROOT_CALLER, ROOT_INODE, { mode: 0o777 });

  // Through the file system: no policy, so root stays root.
  await run('nfs-cp', [local, url(`/${fsId}/by-root.txt`)]);
  const byRoot = await volume.lookup(ROOT_CALLER, ROOT_INODE, 'by-root.txt');
  assert.equal(byRoot.uid, 0);
  const back = path.join(tmp, 'back.txt');
  await run('nfs-cp', [url(`/${fsId}/by-root.txt`), back]);
  assert.equal(fs.readFileSync(back, 'utf8'), 'hello over nfs\n');

  // Through the access point: its PosixUser replaces the client's identity; its root is /apps/one.
  await run('nfs-cp', [local, url(`/${apId}/by-ap.txt`)]);
  const apps = await volume.lookup(ROOT_CALLER, ROOT_INODE, 'apps');
  const one = await volume.lookup(ROOT_CALLER, apps.ino, 'one');
  const byAp = await volume.lookup(ROOT_CALLER, one.ino, 'by-ap.txt');
  assert.deepEqual([byAp.uid, byAp.gid], [1234, 2345]);
  const listing = (await run('nfs-ls', [url(`/${apId}/`)])).stdout;
  assert.match(listing, /by-ap\.txt/);

  // A policy without ClientRootAccess squashes root to 65534.
  const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' },
    Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'] }] });
  await c.send(new efs.PutFileSystemPolicyCommand({ FileSystemId: fsId, Policy: policy }));
  await run('nfs-cp', [local, url(`/${fsId}/squashed.txt`)]);
  assert.equal((await volume.lookup(ROOT_CALLER, ROOT_INODE, 'squashed.txt')).uid, 65534);

  // A policy without ClientWrite makes the export read-only.
  await c.send(new efs.PutFileSystemPolicyCommand({ FileSystemId: fsId, Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*',
    Action: 'elasticfilesystem:ClientMount' }] }) }));
  await assert.rejects(run('nfs-cp', [local, url(`/${fsId}/readonly.txt`)]));
  const back2 = path.join(tmp, 'back2.txt');
  await run('nfs-cp', [url(`/${fsId}/squashed.txt`), back2]);
  assert.equal(fs.readFileSync(back2, 'utf8'), 'hello over nfs\n');

  // Delete everything; the exports disappear.
  await c.send(new efs.DeleteAccessPointCommand({ AccessPointId: apId }));
  await c.send(new efs.DeleteMountTargetCommand({ MountTargetId: mt.json<{ MountTargetId: string }>().MountTargetId }));
  await s.service.idle();
  await assert.rejects(run('nfs-cp', [url(`/${fsId}/squashed.txt`), path.join(tmp, 'back3.txt')]));
  await c.send(new efs.DeleteFileSystemCommand({ FileSystemId: fsId }));
  await s.service.idle();
  assert.equal(s.service.ctx.volumes.get(fsId), undefined);
  assert.equal(fs.existsSync(path.join(s.dataDir, 'volumes', fsId)), false);
});
