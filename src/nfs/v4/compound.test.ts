// COMPOUND framing and NFSv4.1 sessions: malformed input, op positioning, slot replay (exactly once).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XdrWriter } from '../xdr/writer.ts';
import { Op, Status } from './constants.ts';
import { EXPORT_NAME } from './testing/v4-server.ts';
import { ops, V41Session, V4TestClient } from './testing/v4-client.ts';
import { withServerAndClient } from './testing/v4-fixture.ts';

describe('NFSv4 COMPOUND', () => {
  let c: V4TestClient;
  withServerAndClient((_srv, client) => {
    c = client;
  });

  it('answers NULL', async () => {
    const { stat } = await c.raw(Buffer.alloc(0), 0);
    assert.equal(stat, 0);
  });

  it('refuses an unknown minor version with MINOR_VERS_MISMATCH and no results', async () => {
    const res = await c.compound(3, [ops.putrootfh()]);
    assert.equal(res.status, Status.MINOR_VERS_MISMATCH);
    assert.equal(res.results.length, 0);
  });

  it('echoes the tag and answers garbage op numbers with OP_ILLEGAL', async () => {
    const res = await c.compound(0, [ops.putrootfh(), ops.raw(9999)], 'my-tag');
    assert.equal(res.tag, 'my-tag');
    assert.equal(res.status, Status.OP_ILLEGAL);
    assert.deepEqual(res.results.map((r) => r.op), [Op.PUTROOTFH, Op.ILLEGAL]);
  });

  it('treats 4.1 operations as illegal in 4.0 and 4.0-only ones as NOTSUPP in 4.1', async () => {
    const v40 = await c.compound(0, [ops.raw(Op.SEQUENCE)]);
    assert.equal(v40.status, Status.OP_ILLEGAL);
    const s = await V41Session.create(c, 'notsupp-client');
    const v41 = await s.call([ops.renew(1n)]);
    assert.equal(v41.status, Status.NOTSUPP);
  });

  it('answers truncated op arguments with BADXDR and a truncated header with GARBAGE_ARGS', async () => {
    const res = await c.compound(0, [ops.putrootfh(), ops.raw(Op.LOOKUP, (w) => w.u32(200))]);
    assert.equal(res.status, Status.BADXDR);
    const w = new XdrWriter();
    w.u32(5); // tag length 5, then nothing
    const { stat } = await c.raw(Buffer.from(w.finish()));
    assert.equal(stat, 4); // GARBAGE_ARGS
  });

  it('requires SEQUENCE first in 4.1 and only first', async () => {
    const noSeq = await c.compound(1, [ops.putrootfh()]);
    assert.equal(noSeq.status, Status.OP_NOT_IN_SESSION);
    const s = await V41Session.create(c, 'pos-client');
    s.seqid++;
    const twice = await c.compound(1, [s.sequenceOp(s.seqid), ops.putrootfh(), s.sequenceOp(s.seqid + 1)]);
    assert.equal(twice.status, Status.SEQUENCE_POS);
  });

  it('walks from the pseudo root into the export and reads back a written file', async () => {
    const s = await V41Session.create(c, 'rw-client');
    const opened = await s.call([ops.putrootfh(), ops.lookup(EXPORT_NAME), ops.open({ access: 3, owner: 'o1', name: 'f', create: true }), ops.getfh()]);
    assert.equal(opened.status, Status.OK);
    const { stateid } = opened.results[2].value as { stateid: { seqid: number; other: Buffer } };
    const fh = opened.results[3].value as Buffer;
    const wr = await s.call([ops.putfh(fh), ops.write(stateid, 0, Buffer.from('hello v4'))]);
    assert.equal(wr.status, Status.OK);
    const rd = await s.call([ops.putfh(fh), ops.read(stateid, 0, 100)]);
    assert.deepEqual((rd.results[1].value as { data: Buffer }).data.toString(), 'hello v4');
    const cl = await s.call([ops.putfh(fh), ops.close(stateid)]);
    assert.equal(cl.status, Status.OK);
    const stale = await s.call([ops.putfh(fh), ops.read(stateid, 0, 1)]);
    assert.equal(stale.status, Status.BAD_STATEID);
  });

  it('replays a retried request from the slot cache instead of running it twice', async () => {
    const s = await V41Session.create(c, 'replay-client');
    const mk = [ops.putrootfh(), ops.lookup(EXPORT_NAME), ops.create_dir('once')];
    const first = await c.compound(1, [s.sequenceOp(1), ...mk]);
    assert.equal(first.status, Status.OK);
    // Same slot, same seqid: the cached reply (OK), not EXIST from running CREATE again.
    const retry = await c.compound(1, [s.sequenceOp(1), ...mk]);
    assert.equal(retry.status, Status.OK);
    // The next seqid really runs: now the directory exists.
    const again = await c.compound(1, [s.sequenceOp(2), ...mk]);
    assert.equal(again.status, Status.EXIST);
    const skipped = await c.compound(1, [s.sequenceOp(9), ops.putrootfh()]);
    assert.equal(skipped.status, Status.SEQ_MISORDERED);
    const zero = await c.compound(1, [s.sequenceOp(0, 1), ops.putrootfh()]);
    assert.equal(zero.status, Status.SEQ_MISORDERED, 'a fresh slot starts at seqid 1');
    const badSlot = await c.compound(1, [s.sequenceOp(1, 500), ops.putrootfh()]);
    assert.equal(badSlot.status, Status.BADSLOT);
  });

  it('answers an unknown session with BADSESSION', async () => {
    const s = await V41Session.create(c, 'gone-client');
    const destroyed = await c.compound(1, [ops.raw(Op.DESTROY_SESSION, (w) => w.fixedOpaque(s.sessionid))]);
    assert.equal(destroyed.status, Status.OK);
    const res = await s.call([ops.putrootfh()]);
    assert.equal(res.status, Status.BADSESSION);
  });
});
