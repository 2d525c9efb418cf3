// READDIR paging and attribute verification as a client sees them: every entry exactly once across pages,
// TOOSMALL when nothing fits, reserved cookies refused, and VERIFY/NVERIFY comparing real values.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROOT_CALLER, ROOT_INODE } from '../../engine/index.ts';
import { XdrWriter } from '../xdr/writer.ts';
import { A } from './attrs.ts';
import { Op, Status } from './constants.ts';
import { startTestServer, EXPORT_NAME, type TestServer } from './testing/v4-server.ts';
import { ops, V41Session, V4TestClient, writeBits, type OpSpec } from './testing/v4-client.ts';

function readdirOp(cookie: number, maxcount: number): OpSpec {
  return {
    op: Op.READDIR,
    args: (w) => { w.u64(cookie); w.fixedOpaque(Buffer.alloc(8)); w.u32(maxcount); w.u32(maxcount); writeBits(w, [A.TYPE, A.FILEID]); },
    res: (r) => {
      r.fixedOpaque(8);
      const entries: { name: string; cookie: number }[] = [];
      while (r.bool()) {
        const cookie = r.u64n();
        const name = r.string();
        r.u32(); r.u32(); r.opaque(); // bitmap (count 1, one word) + values
        entries.push({ name, cookie });
      }
      return { entries, eof: r.bool() };
    },
  };
}

describe('NFSv4 READDIR and VERIFY', () => {
  let srv: TestServer;
  let c: V4TestClient;
  let s: V41Session;
  before(async () => {
    srv = await startTestServer();
    for (let i = 0; i < 120; i++) await srv.volume.create(ROOT_CALLER, ROOT_INODE, `file-${i}`, { mode: 0o644 });
    c = await V4TestClient.connect(srv.port);
    s = await V41Session.create(c, 'readdir-client');
  });
  after(async () => {
    c.close();
    await srv.close();
  });

  it('lists every entry exactly once across small pages', async () => {
    const seen: string[] = [];
    let cookie = 0;
    for (let pages = 0; pages < 100; pages++) {
      const res = await s.call([ops.putrootfh(), ops.lookup(EXPORT_NAME), readdirOp(cookie, 1024)]);
      assert.equal(res.status, Status.OK);
      const { entries, eof } = res.results[2].value as { entries: { name: string; cookie: number }[]; eof: boolean };
      seen.push(...entries.map((e) => e.name));
      if (eof) break;
      assert.ok(entries.length > 0);
      cookie = entries[entries.length - 1].cookie;
    }
    assert.equal(seen.length, 120);
    assert.equal(new Set(seen).size, 120);
  });

  it('answers TOOSMALL when not one entry fits and BAD_COOKIE for reserved cookies', async () => {
    const small = await s.call([ops.putrootfh(), ops.lookup(EXPORT_NAME), readdirOp(0, 20)]);
    assert.equal(small.status, Status.TOOSMALL);
    const bad = await s.call([ops.putrootfh(), ops.lookup(EXPORT_NAME), readdirOp(1, 4096)]);
    assert.equal(bad.status, Status.BAD_COOKIE);
  });

  it('lists the export in the pseudo root', async () => {
    const res = await s.call([ops.putrootfh(), readdirOp(0, 4096)]);
    const { entries } = res.results[1].value as { entries: { name: string }[] };
    assert.deepEqual(entries.map((e) => e.name), [EXPORT_NAME]);
  });

  it('VERIFY passes on the true size and NVERIFY fails on it', async () => {
    const a = await srv.volume.lookup(ROOT_CALLER, ROOT_INODE, 'file-0');
    const vals = new XdrWriter();
    vals.u64(a.size);
    const fattr = (op: number): OpSpec => ({ op, args: (w) => { writeBits(w, [A.SIZE]); w.opaque(Buffer.from(vals.finish())); } });
    const path = [ops.putrootfh(), ops.lookup(EXPORT_NAME), ops.lookup('file-0')];
    assert.equal((await s.call([...path, fattr(Op.VERIFY)])).status, Status.OK);
    assert.equal((await s.call([...path, fattr(Op.NVERIFY)])).status, Status.SAME);
  });
});
