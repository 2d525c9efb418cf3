// An access point confines its clients to its root directory: a client that forges a handle for an inode outside
// it (even knowing the inode's number and generation) is refused with BADHANDLE, over NFSv3 and NFSv4.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openVolume, ROOT_CALLER, ROOT_INODE } from '../../engine/index.ts';
import { DEFAULT_RULES, StaticExportTable } from '../exports.ts';
import { startNfsServer } from '../server.ts';
import { Nfs3Status, Proc3 } from './constants.ts';
import { V3TestClient } from './test-client.ts';
import { Status } from '../v4/constants.ts';
import { V41Session, V4TestClient, ops } from '../v4/testing/v4-client.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-forge-'));
const volume = await openVolume({ dir: path.join(tmp, 'vol'), id: 'fs-00000000000000077', create: true });
const inside = await volume.mkdir(ROOT_CALLER, ROOT_INODE, 'inside', 0o777);
const secret = (await volume.create(ROOT_CALLER, ROOT_INODE, 'secret.txt', { mode: 0o644 })).attr;
const server = await startNfsServer({
  port: 0,
  exports: new StaticExportTable([{ id: 2, path: '/fsap-0123', volume, root: inside.ino, fsid: 7n, rules: DEFAULT_RULES }]),
});

after(async () => {
  await server.close();
  await volume.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The access point root's handle with the inode and generation of a file outside it written in. */
function forge(rootHandle: Buffer): Buffer {
  const forged = Buffer.from(rootHandle);
  forged.writeBigUInt64BE(BigInt(secret.ino), 8);
  forged.writeUInt32BE(secret.generation >>> 0, 16);
  return forged;
}

test('NFSv3: a forged handle for a file outside the access point root is BADHANDLE', async () => {
  const client = await V3TestClient.connect(server.port);
  try {
    const root = (await client.mount('/fsap-0123')).fh as Buffer;
    assert.equal((await client.call(Proc3.GETATTR, (w) => w.opaque(root))).status, Nfs3Status.OK);
    assert.equal((await client.call(Proc3.GETATTR, (w) => w.opaque(forge(root)))).status, Nfs3Status.BADHANDLE);
  } finally {
    client.close();
  }
});

test('NFSv4.1: PUTFH of a forged handle for a file outside the access point root is BADHANDLE', async () => {
  const client = await V4TestClient.connect(server.port);
  try {
    const s = await V41Session.create(client, 'forger');
    const root = await s.call([ops.putrootfh(), ops.lookup('fsap-0123'), ops.getfh()]);
    assert.equal(root.status, Status.OK);
    const fh = root.results[2].value as Buffer;
    assert.equal((await s.call([ops.putfh(fh), ops.getfh()])).status, Status.OK);
    const forged = await s.call([ops.putfh(forge(fh)), ops.getfh()]);
    assert.equal(forged.results[0].status, Status.BADHANDLE);
  } finally {
    client.close();
  }
});
