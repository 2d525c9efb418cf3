// NFSv4 state across clients: share reservations, byte-range lock conflicts, stateid validation, lease
// expiry, and reclaim during the grace period after a restart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Status } from './constants.ts';
import type { Stateid } from './state/stateid.ts';
import { startTestServer, EXPORT_NAME, type TestServer } from './testing/v4-server.ts';
import { ops, setclientid, V41Session, V4TestClient, type OpSpec } from './testing/v4-client.ts';
import { withServerAndClient } from './testing/v4-fixture.ts';

const inExport = (): OpSpec[] => [ops.putrootfh(), ops.lookup(EXPORT_NAME)];

async function openFile(s: V41Session, name: string, owner: string, access = 3, deny = 0): Promise<{ status: number; sid?: Stateid; fh?: Buffer }> {
  const res = await s.call([...inExport(), ops.open({ access, deny, owner, name, create: true }), ops.getfh()]);
  if (res.status !== Status.OK) return { status: res.status };
  return { status: res.status, sid: (res.results[2].value as { stateid: Stateid }).stateid, fh: res.results[3].value as Buffer };
}

describe('NFSv4 state', () => {
  let srv: TestServer;
  let c: V4TestClient;
  withServerAndClient((s, client) => {
    srv = s;
    c = client;
  });

  it('refuses an open that conflicts with another client\'s deny mode, and allows it after CLOSE', async () => {
    const a = await V41Session.create(c, 'share-a');
    const b = await V41Session.create(c, 'share-b');
    const first = await openFile(a, 'shared', 'oa', 3, 2 /* deny write */);
    assert.equal(first.status, Status.OK);
    assert.equal((await openFile(b, 'shared', 'ob', 2)).status, Status.SHARE_DENIED);
    assert.equal((await openFile(b, 'shared', 'ob', 1)).status, Status.OK);
    await a.call([ops.putfh(first.fh!), ops.close(first.sid!)]);
    assert.equal((await openFile(b, 'shared', 'ob2', 2)).status, Status.OK);
  });

  it('denies a conflicting byte-range lock of another client, naming the holder, until it is unlocked', async () => {
    const a = await V41Session.create(c, 'lock-a');
    const b = await V41Session.create(c, 'lock-b');
    const fa = await openFile(a, 'locked', 'oa');
    const fb = await openFile(b, 'locked', 'ob');
    const la = await a.call([ops.putfh(fa.fh!), ops.lockNew({ write: true, offset: 0n, length: 100n, open: fa.sid!, owner: 'lock-owner-a' })]);
    assert.equal(la.status, Status.OK);
    const lockSid = la.results[1].value as Stateid;

    const lb = await b.call([ops.putfh(fb.fh!), ops.lockNew({ write: false, offset: 50n, length: 10n, open: fb.sid!, owner: 'lock-owner-b' })]);
    assert.equal(lb.status, Status.DENIED);
    const denied = (lb.results[1].value as { denied: { owner: string; offset: bigint; length: bigint; clientid: bigint } }).denied;
    assert.equal(denied.owner, 'lock-owner-a');
    assert.equal(denied.clientid, a.clientid);
    assert.deepEqual([denied.offset, denied.length], [0n, 100n]);

    const free = await b.call([ops.putfh(fb.fh!), ops.lockt({ write: true, offset: 100n, length: 10n, owner: 'lock-owner-b' })]);
    assert.equal(free.status, Status.OK, 'no conflict outside the locked range');

    const un = await a.call([ops.putfh(fa.fh!), ops.locku(lockSid, 0n, 100n)]);
    assert.equal(un.status, Status.OK);
    const lb2 = await b.call([ops.putfh(fb.fh!), ops.lockNew({ write: true, offset: 50n, length: 10n, open: fb.sid!, owner: 'lock-owner-b' })]);
    assert.equal(lb2.status, Status.OK);
  });

  it('gives one owner one open stateid and one lock stateid per file, and the same ones again on that file', async () => {
    const s = await V41Session.create(c, 'one-owner');
    const files = [];
    for (const name of ['own-1', 'own-2', 'own-3']) files.push(await openFile(s, name, 'the-owner'));
    const again = await openFile(s, 'own-2', 'the-owner', 1);
    assert.deepEqual(again.sid!.other, files[1].sid!.other, 'the open of own-2 is upgraded, not a new one');
    assert.equal(again.sid!.seqid, files[1].sid!.seqid + 1);
    assert.notDeepEqual(files[0].sid!.other, files[1].sid!.other);

    const lock = async (f: { fh?: Buffer; sid?: Stateid }, offset: bigint): Promise<Stateid> => {
      const res = await s.call([ops.putfh(f.fh!), ops.lockNew({ write: true, offset, length: 10n, open: f.sid!, owner: 'the-lock-owner' })]);
      assert.equal(res.status, Status.OK);
      return res.results[1].value as Stateid;
    };
    const l1 = await lock(files[0], 0n);
    const l3 = await lock(files[2], 0n);
    const l1again = await lock(files[0], 100n);
    assert.deepEqual(l1again.other, l1.other, 'the lock owner\'s stateid for own-1 is reused');
    assert.notDeepEqual(l3.other, l1.other);
  });

  it('tells old, unknown and foreign stateids apart', async () => {
    const a = await V41Session.create(c, 'sid-a');
    const f1 = await openFile(a, 'sids', 'o1', 1);
    const f2 = await openFile(a, 'sids', 'o1', 3); // same owner: upgrade bumps the seqid
    assert.equal(f2.sid!.seqid, f1.sid!.seqid + 1);
    const old = await a.call([ops.putfh(f1.fh!), ops.read(f1.sid!, 0, 1)]);
    assert.equal(old.status, Status.OLD_STATEID);
    const made = { seqid: 1, other: Buffer.alloc(12, 0x42) };
    const res = await a.call([ops.testStateid([f2.sid!, made])]);
    assert.deepEqual(res.results[0].value, [Status.OK, Status.BAD_STATEID]);
    const b = await V41Session.create(c, 'sid-b');
    const foreign = await b.call([ops.putfh(f2.fh!), ops.write(f2.sid!, 0, Buffer.from('x'))]);
    assert.equal(foreign.status, Status.BAD_STATEID);
  });

  it('refuses WRITE through a read-only open with OPENMODE', async () => {
    const a = await V41Session.create(c, 'mode-a');
    const f = await openFile(a, 'ro-open', 'o1', 1);
    const res = await a.call([ops.putfh(f.fh!), ops.write(f.sid!, 0, Buffer.from('x'))]);
    assert.equal(res.status, Status.OPENMODE);
  });
});

describe('NFSv4 leases', () => {
  it('frees an NFSv4.0 client\'s state when its lease expires', async () => {
    const srv = await startTestServer({ leaseSeconds: 1 });
    const c = await V4TestClient.connect(srv.port);
    try {
      const clientid = await setclientid(c, 'lease-client');
      const other = await setclientid(c, 'lease-other');
      const open = await c.compound(0, [...inExport(), ops.open({ seqid: 1, access: 3, deny: 3, clientid, owner: 'o', name: 'lease', create: true }), ops.getfh()]);
      assert.equal(open.status, Status.OK);
      const sid = (open.results[2].value as { stateid: Stateid }).stateid;
      const fh = open.results[3].value as Buffer;
      const confirmed = await c.compound(0, [ops.putfh(fh), ops.openConfirm(sid, 2)]);
      assert.equal(confirmed.status, Status.OK);
      // Deny-both held: another client cannot open while the lease lives.
      const blocked = await c.compound(0, [...inExport(), ops.open({ seqid: 1, access: 1, clientid: other, owner: 'p', name: 'lease' })]);
      assert.equal(blocked.status, Status.SHARE_DENIED);
      for (let i = 0; i < 8; i++) {
        await new Promise((r) => setTimeout(r, 500));
        await c.compound(0, [ops.renew(other)]);
      }
      const renew = await c.compound(0, [ops.renew(clientid)]);
      assert.equal(renew.status, Status.EXPIRED);
      const read = await c.compound(0, [ops.putfh(fh), ops.read(confirmed.results[1].value as Stateid, 0, 1)]);
      assert.equal(read.status, Status.EXPIRED);
      const now = await c.compound(0, [...inExport(), ops.open({ seqid: 2, access: 1, clientid: other, owner: 'p', name: 'lease' })]);
      assert.equal(now.status, Status.OK, 'the expired client\'s share reservation is gone');
    } finally {
      c.close();
      await srv.close();
    }
  });
});

describe('NFSv4 restart and grace', () => {
  it('lets a known client reclaim during grace, refuses new opens meanwhile, and ends grace on RECLAIM_COMPLETE', async () => {
    const first = await startTestServer();
    const c1 = await V4TestClient.connect(first.port);
    const s1 = await V41Session.create(c1, 'grace-client');
    const f = await openFile(s1, 'kept', 'o');
    assert.equal(f.status, Status.OK);
    c1.close();
    await first.stop();

    const second = await startTestServer({ dir: first.dir });
    const c2 = await V4TestClient.connect(second.port);
    try {
      const s2 = await V41Session.create(c2, 'grace-client');
      const stale = await s2.call([ops.putfh(f.fh!), ops.read(f.sid!, 0, 1)]);
      assert.equal(stale.status, Status.BAD_STATEID, 'stateids from before the restart are not valid');
      const fresh = await openFile(s2, 'new-file', 'o');
      assert.equal(fresh.status, Status.GRACE);
      const reclaim = await s2.call([ops.putfh(f.fh!), ops.raw(18, (w) => {
        w.u32(0); w.u32(3); w.u32(0); w.u64(0n); w.string('o'); w.u32(0); w.u32(1); w.u32(0); // CLAIM_PREVIOUS
      })]);
      assert.equal(reclaim.status, Status.OK, 'the file handle survives the restart and the open is reclaimed');
      assert.equal((await s2.call([ops.reclaimComplete()])).status, Status.OK);
      assert.equal((await openFile(s2, 'new-file', 'o')).status, Status.OK);
    } finally {
      c2.close();
      await second.close();
    }
  });
});
