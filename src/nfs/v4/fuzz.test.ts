// Seeded random COMPOUNDs (valid op numbers, garbage arguments): every one gets an RPC-level or NFSv4-level
// answer, and the server keeps serving afterwards. Bad input must never crash or hang the server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XdrWriter } from '../xdr/writer.ts';
import { Status } from './constants.ts';
import { startTestServer } from './testing/v4-server.ts';
import { V41Session, V4TestClient } from './testing/v4-client.ts';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 0x1_0000_0000;
  };
}

describe('NFSv4 garbage input', () => {
  it('answers 400 random COMPOUNDs and still works', async () => {
    const srv = await startTestServer();
    const c = await V4TestClient.connect(srv.port);
    try {
      const session = await V41Session.create(c, 'fuzz-client');
      const rnd = prng(20261124);
      for (let i = 0; i < 400; i++) {
        const w = new XdrWriter();
        w.string('fuzz');
        const minor = Math.floor(rnd() * 3);
        w.u32(minor);
        const n = 1 + Math.floor(rnd() * 4);
        w.u32(n);
        if (minor > 0 && rnd() < 0.7) {
          // A valid SEQUENCE first, so the ops behind it are reached.
          w.u32(53);
          w.fixedOpaque(session.sessionid);
          w.u32(++session.seqid);
          w.u32(0); w.u32(0); w.bool(false);
        }
        for (let k = 0; k < n; k++) {
          w.u32(3 + Math.floor(rnd() * 70));
          const junk = Buffer.alloc(Math.floor(rnd() * 40));
          for (let j = 0; j < junk.length; j++) junk[j] = rnd() < 0.5 ? 0 : Math.floor(rnd() * 256);
          w.fixedOpaque(junk);
        }
        const { stat, body } = await c.raw(Buffer.from(w.finish()));
        assert.ok(stat === 0 || stat === 4, `accept status ${stat}`);
        // SERVERFAULT would mean an op threw something other than a protocol or engine error: a bug.
        if (stat === 0) assert.notEqual(body.u32(), Status.SERVERFAULT, `compound ${i}`);
      }
      const { stat } = await c.raw(Buffer.alloc(0), 0);
      assert.equal(stat, 0, 'NULL still answered');
    } finally {
      c.close();
      await srv.close();
    }
  });
});
