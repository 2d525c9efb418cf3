// Several listening addresses (one per subnet) are one NFS server: NFSv4 clients of every listener are in one
// state, persisted once (each listener writing its own list to the same file lost the other listeners' clients),
// and a file handle from one listener is valid on the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openVolume, ROOT_INODE } from '../engine/index.ts';
import { DEFAULT_RULES, StaticExportTable } from './exports.ts';
import { startNfsServer } from './server.ts';
import { Status } from './v4/constants.ts';
import { V41Session, V4TestClient, ops } from './v4/testing/v4-client.ts';

test('two listeners share one NFSv4 state and one handle key', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-listeners-'));
  const volume = await openVolume({ dir: path.join(dir, 'vol'), id: 'fs-00000000000000042', create: true });
  const server = await startNfsServer({
    port: 0, moreListeners: [{ host: '127.0.0.1', port: 0 }], stateDir: path.join(dir, 'state'),
    exports: new StaticExportTable([{ id: 1, path: '/fs-42', volume, root: ROOT_INODE, fsid: 42n, rules: DEFAULT_RULES }]),
  });
  const clients: V4TestClient[] = [];
  try {
    assert.equal(server.addresses.length, 2);
    assert.notEqual(server.addresses[0].port, server.addresses[1].port);
    const handles: Buffer[] = [];
    for (const [i, a] of server.addresses.entries()) {
      const c = await V4TestClient.connect(a.port);
      clients.push(c);
      const s = await V41Session.create(c, `client-on-listener-${i}`);
      const r = await s.call([ops.putrootfh(), ops.lookup('fs-42'), ops.getfh()]);
      assert.equal(r.status, Status.OK);
      handles.push(r.results[2].value as Buffer);
    }
    const s = await V41Session.create(clients[1], 'handle-checker');
    assert.equal((await s.call([ops.putfh(handles[0]), ops.getfh()])).status, Status.OK, 'a handle from listener 0 works on listener 1');
    const records = JSON.parse(fs.readFileSync(path.join(dir, 'state', 'nfs4-clients.json'), 'utf8')) as { owners: string[] };
    for (const name of ['client-on-listener-0', 'client-on-listener-1']) {
      assert.ok(records.owners.some((o) => o.includes(Buffer.from(name).toString('hex')) || o.includes(name)),
        `${name} is in the persisted client records: ${JSON.stringify(records.owners)}`);
    }
  } finally {
    for (const c of clients) c.close();
    await server.close();
    await volume.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
