// Export rules seen through NFSv4: read-only exports, refused mounts, client allow-lists, root squash.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { A } from './attrs.ts';
import { Status } from './constants.ts';
import { startTestServer, EXPORT_NAME, type TestServerOptions } from './testing/v4-server.ts';
import { ops, V41Session, V4TestClient } from './testing/v4-client.ts';

async function withServer(o: TestServerOptions, body: (s: V41Session) => Promise<void>): Promise<void> {
  const srv = await startTestServer(o);
  const c = await V4TestClient.connect(srv.port);
  try {
    await body(await V41Session.create(c, 'rules-client'));
  } finally {
    c.close();
    await srv.close();
  }
}

describe('NFSv4 export rules', () => {
  it('refuses every write on a read-only export with ROFS but still reads', async () => {
    await withServer({ rules: { readOnly: true } }, async (s) => {
      const mk = await s.call([ops.putrootfh(), ops.lookup(EXPORT_NAME), ops.create_dir('d')]);
      assert.equal(mk.status, Status.ROFS);
      const open = await s.call([ops.putrootfh(), ops.lookup(EXPORT_NAME), ops.open({ access: 2, owner: 'o', name: 'f', create: true })]);
      assert.equal(open.status, Status.ROFS);
      const attr = await s.call([ops.putrootfh(), ops.lookup(EXPORT_NAME), ops.getattr([A.TYPE])]);
      assert.equal(attr.status, Status.OK);
    });
  });

  it('refuses to cross into an export whose mounts are refused', async () => {
    await withServer({ rules: { mountRefused: true } }, async (s) => {
      const res = await s.call([ops.putrootfh(), ops.lookup(EXPORT_NAME)]);
      assert.equal(res.status, Status.ACCESS);
    });
  });

  it('refuses clients outside the allow-list', async () => {
    await withServer({ rules: { allowedClients: [{ address: '10.0.0.0', prefix: 8 }] } }, async (s) => {
      const res = await s.call([ops.putrootfh(), ops.lookup(EXPORT_NAME)]);
      assert.equal(res.status, Status.ACCESS);
    });
  });

  it('creates files as the anonymous user when root is squashed', async () => {
    await withServer({ rules: { rootSquash: true } }, async (s) => {
      // The export root belongs to root (0755): squashed root may not create in it.
      const res = await s.call([ops.putrootfh(), ops.lookup(EXPORT_NAME), ops.create_dir('squashed')]);
      assert.equal(res.status, Status.ACCESS);
    });
  });
});
