import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuplicateRequestCache } from './duplicate-cache.ts';
import { Proc3 } from './constants.ts';
import { XdrReader } from '../xdr/reader.ts';
import type { RpcCall, RpcResult } from '../rpc/types.ts';

const call = (xid: number, proc: number, args = 'fh-and-name'): RpcCall => ({
  xid, prog: 100003, vers: 3, proc, flavor: 0, args: new XdrReader(Buffer.from(args)),
  conn: { id: 1, clientAddress: '10.0.0.7', clientPort: 700, localAddress: '127.0.0.1', localPort: 2049 },
});
const reply = (n: number): RpcResult => ({ kind: 'success', body: [Buffer.from([n])] });

test('a retry while the original runs gets no reply; afterwards the original reply', async () => {
  const drc = new DuplicateRequestCache();
  let release!: () => void;
  const running = drc.run(call(1, Proc3.REMOVE), () => new Promise((r) => { release = () => r(reply(1)); }));
  assert.deepEqual(await drc.run(call(1, Proc3.REMOVE), async () => reply(2)), { kind: 'drop' });
  release();
  await running;
  assert.deepEqual(await drc.run(call(1, Proc3.REMOVE), async () => reply(3)), { kind: 'success', body: Buffer.from([1]) });
});

test('idempotent procedures, other arguments, other xids and expired entries run again', async () => {
  let now = 0;
  const drc = new DuplicateRequestCache(100, 1000, () => now);
  let runs = 0;
  const exec = async () => reply(++runs);
  await drc.run(call(5, Proc3.GETATTR), exec);
  await drc.run(call(5, Proc3.GETATTR), exec);
  assert.equal(runs, 2, 'GETATTR is never cached');
  await drc.run(call(6, Proc3.CREATE), exec);
  await drc.run(call(6, Proc3.CREATE, 'other-args'), exec);
  await drc.run(call(7, Proc3.CREATE), exec);
  assert.equal(runs, 5, 'a reused xid with other arguments, and a new xid, are new calls');
  now = 2000;
  await drc.run(call(6, Proc3.CREATE), exec);
  assert.equal(runs, 6, 'an entry older than the time to live is gone');
});

test('the cache is bounded: the oldest entries go first', async () => {
  const drc = new DuplicateRequestCache(3);
  let runs = 0;
  const exec = async () => reply(++runs);
  for (let xid = 1; xid <= 4; xid++) await drc.run(call(xid, Proc3.SETATTR), exec);
  await drc.run(call(4, Proc3.SETATTR), exec);
  assert.equal(runs, 4, 'the newest is still cached');
  await drc.run(call(1, Proc3.SETATTR), exec);
  assert.equal(runs, 5, 'the oldest was evicted');
});

test('a failed call is forgotten, so its retry runs', async () => {
  const drc = new DuplicateRequestCache();
  await assert.rejects(drc.run(call(9, Proc3.RENAME), async () => { throw new Error('boom'); }));
  assert.deepEqual(await drc.run(call(9, Proc3.RENAME), async () => reply(7)), reply(7));
});
