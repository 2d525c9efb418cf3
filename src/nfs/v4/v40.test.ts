// NFSv4.0 specifics: SETCLIENTID confirmation, OPEN_CONFIRM, open-owner seqids with replay of the last
// reply, and RELEASE_LOCKOWNER.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Op, Status } from './constants.ts';
import type { Stateid } from './state/stateid.ts';
import { EXPORT_NAME } from './testing/v4-server.ts';
import { ops, setclientid, V4TestClient } from './testing/v4-client.ts';
import { withServerAndClient } from './testing/v4-fixture.ts';

describe('NFSv4.0', () => {
  let c: V4TestClient;
  withServerAndClient((_srv, client) => {
    c = client;
  });

  it('refuses state from an unconfirmed or unknown client id', async () => {
    const res = await c.compound(0, [ops.renew(0x1234n)]);
    assert.equal(res.status, Status.STALE_CLIENTID);
  });

  it('requires OPEN_CONFIRM for a new owner and replays a retransmitted OPEN instead of re-running it', async () => {
    const clientid = await setclientid(c, 'v40-seq');
    const openOp = ops.open({ seqid: 10, access: 3, clientid, owner: 'own', name: 'seq-file', create: true });
    const first = await c.compound(0, [ops.putrootfh(), ops.lookup(EXPORT_NAME), openOp, ops.getfh()]);
    assert.equal(first.status, Status.OK);
    const { stateid, rflags } = first.results[2].value as { stateid: Stateid; rflags: number };
    assert.ok(rflags & 2, 'OPEN4_RESULT_CONFIRM');
    const fh = first.results[3].value as Buffer;
    const unconfirmed = await c.compound(0, [ops.putfh(fh), ops.read(stateid, 0, 1)]);
    assert.equal(unconfirmed.status, Status.BAD_STATEID);

    // Same seqid again: the stored reply, same stateid (no second open state, no seqid bump).
    const replay = await c.compound(0, [ops.putrootfh(), ops.lookup(EXPORT_NAME), openOp]);
    assert.equal(replay.status, Status.OK);
    assert.deepEqual((replay.results[2].value as { stateid: Stateid }).stateid, stateid);

    const skip = await c.compound(0, [ops.putfh(fh), ops.openConfirm(stateid, 15)]);
    assert.equal(skip.status, Status.BAD_SEQID);
    const confirmed = await c.compound(0, [ops.putfh(fh), ops.openConfirm(stateid, 11)]);
    assert.equal(confirmed.status, Status.OK);
    const sid2 = confirmed.results[1].value as Stateid;
    assert.equal(sid2.seqid, stateid.seqid + 1);

    const wr = await c.compound(0, [ops.putfh(fh), ops.write(sid2, 0, Buffer.from('v4.0 data'))]);
    assert.equal(wr.status, Status.OK);
    const lk = await c.compound(0, [ops.putfh(fh), ops.lockNew({ write: true, offset: 0n, length: 4n, openSeqid: 12, open: sid2, clientid, owner: 'lo' })]);
    assert.equal(lk.status, Status.OK);
    const release = await c.compound(0, [{ op: Op.RELEASE_LOCKOWNER, args: (w) => { w.u64(clientid); w.string('lo'); } }]);
    assert.equal(release.status, Status.LOCKS_HELD);
    const un = await c.compound(0, [ops.putfh(fh), ops.locku(lk.results[1].value as Stateid, 0n, 4n, 1)]);
    assert.equal(un.status, Status.OK);
    const released = await c.compound(0, [{ op: Op.RELEASE_LOCKOWNER, args: (w) => { w.u64(clientid); w.string('lo'); } }]);
    assert.equal(released.status, Status.OK);
    const closed = await c.compound(0, [ops.putfh(fh), ops.close(sid2, 13)]);
    assert.equal(closed.status, Status.OK);
  });
});
