import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { RpcServer } from './server.ts';
import { RpcClient, encodeCallRecord } from './client.ts';
import { AcceptStat, AuthFlavor, AuthStat, RejectStat } from './constants.ts';
import { XdrWriter } from '../xdr/writer.ts';
import type { RpcCall, RpcProgram, RpcResult } from './types.ts';

const PROG = 400_123;

/** proc 0: NULL; 1: echo opaque after `delay` ms (u32 then opaque); 2: throws; 3: returns the caller's uid. */
async function handler(call: RpcCall): Promise<RpcResult> {
  switch (call.proc) {
    case 0:
      return { kind: 'success', body: Buffer.alloc(0) };
    case 1: {
      const delay = call.args.u32();
      const data = call.args.opaque();
      await new Promise((r) => setTimeout(r, delay));
      const w = new XdrWriter();
      w.opaque(data);
      return { kind: 'success', body: w.finish() };
    }
    case 2:
      throw new Error('handler bug');
    case 3: {
      const w = new XdrWriter();
      w.u32(call.authSys ? call.authSys.uid : 0xffffffff);
      return { kind: 'success', body: w.finish() };
    }
    default:
      return { kind: 'proc_unavail' };
  }
}

const program: RpcProgram = { prog: PROG, versions: new Map([[2, handler], [4, handler]]) };
const server = new RpcServer({ programs: [program], maxRecordBytes: 1024 * 1024 });
const { port } = await server.listen('127.0.0.1', 0);
after(() => server.close());

function echoArgs(delay: number, data: Buffer): Buffer {
  const w = new XdrWriter();
  w.u32(delay);
  w.opaque(data);
  return Buffer.from(w.finish());
}

async function assertAlive(): Promise<void> {
  const c = await RpcClient.connect(port);
  const r = await c.call(PROG, 2, 0);
  assert.equal(r.kind === 'accepted' && r.stat, AcceptStat.SUCCESS);
  c.close();
}

test('NULL succeeds and echo returns the argument', async () => {
  const c = await RpcClient.connect(port);
  const r = await c.call(PROG, 2, 1, echoArgs(0, Buffer.from('hello')));
  assert.ok(r.kind === 'accepted' && r.stat === AcceptStat.SUCCESS);
  assert.equal(r.body.opaque().toString(), 'hello');
  c.close();
});

test('unknown program, version and procedure get their RPC answers', async () => {
  const c = await RpcClient.connect(port);
  const noProg = await c.call(PROG + 1, 2, 0);
  assert.ok(noProg.kind === 'accepted' && noProg.stat === AcceptStat.PROG_UNAVAIL);
  const noVers = await c.call(PROG, 3, 0);
  assert.ok(noVers.kind === 'accepted' && noVers.stat === AcceptStat.PROG_MISMATCH);
  assert.deepEqual(noVers.mismatch, { low: 2, high: 4 });
  const noProc = await c.call(PROG, 2, 99);
  assert.ok(noProc.kind === 'accepted' && noProc.stat === AcceptStat.PROC_UNAVAIL);
  const rpcv = await c.call(PROG, 2, 0, Buffer.alloc(0), { rpcVersion: 3 });
  assert.ok(rpcv.kind === 'denied' && rpcv.rejectStat === RejectStat.RPC_MISMATCH);
  assert.deepEqual(rpcv.detail, [2, 2]);
  c.close();
});

test('garbage arguments get GARBAGE_ARGS and a throwing handler SYSTEM_ERR', async () => {
  const c = await RpcClient.connect(port);
  const garbage = await c.call(PROG, 2, 1, Buffer.from([0, 0, 0, 0, 0, 0, 1, 0]));
  assert.ok(garbage.kind === 'accepted' && garbage.stat === AcceptStat.GARBAGE_ARGS);
  const boom = await c.call(PROG, 2, 2);
  assert.ok(boom.kind === 'accepted' && boom.stat === AcceptStat.SYSTEM_ERR);
  c.close();
  await assertAlive();
});

test('AUTH_SYS is parsed strictly; unsupported flavors get AUTH_ERROR', async () => {
  const c = await RpcClient.connect(port);
  const ok = await c.call(PROG, 2, 3, Buffer.alloc(0), { auth: { stamp: 1, machine: 'h', uid: 1000, gid: 10, gids: [1, 2] } });
  assert.ok(ok.kind === 'accepted' && ok.stat === AcceptStat.SUCCESS);
  assert.equal(ok.body.u32(), 1000);
  const none = await c.call(PROG, 2, 3, Buffer.alloc(0), { auth: null });
  assert.ok(none.kind === 'accepted');
  assert.equal(none.body.u32(), 0xffffffff);
  const tooManyGids = await c.call(PROG, 2, 0, Buffer.alloc(0), {
    auth: { stamp: 1, machine: 'h', uid: 1, gid: 1, gids: Array.from({ length: 17 }, (_, i) => i) },
  });
  assert.ok(tooManyGids.kind === 'denied' && tooManyGids.rejectStat === RejectStat.AUTH_ERROR);
  assert.deepEqual(tooManyGids.detail, [AuthStat.AUTH_BADCRED]);
  const gss = await c.call(PROG, 2, 0, Buffer.alloc(0), { rawCred: { flavor: AuthFlavor.RPCSEC_GSS, body: Buffer.alloc(8) } });
  assert.ok(gss.kind === 'denied' && gss.rejectStat === RejectStat.AUTH_ERROR);
  const truncated = await c.call(PROG, 2, 0, Buffer.alloc(0), { rawCred: { flavor: AuthFlavor.AUTH_SYS, body: Buffer.alloc(6) } });
  assert.ok(truncated.kind === 'denied' && truncated.rejectStat === RejectStat.AUTH_ERROR);
  c.close();
});

test('a record split into many fragments, sent byte by byte, is reassembled', async () => {
  const c = await RpcClient.connect(port);
  const payload = Buffer.from('fragmented payload across many fragments!');
  const whole = encodeCallRecord(77_777, PROG, 2, 1, echoArgs(0, payload)).subarray(4);
  const parts: Buffer[] = [];
  for (let at = 0; at < whole.length; at += 7) {
    const piece = whole.subarray(at, Math.min(at + 7, whole.length));
    const mark = Buffer.alloc(4);
    mark.writeUInt32BE(((at + 7 >= whole.length ? 0x80000000 : 0) | piece.length) >>> 0);
    parts.push(mark, piece);
  }
  const framed = Buffer.concat(parts);
  const reply = c.send(77_777, Buffer.alloc(0));
  for (const byte of framed) c.writeRaw(Buffer.from([byte]));
  const r = await reply;
  assert.ok(r.kind === 'accepted' && r.stat === AcceptStat.SUCCESS);
  assert.equal(r.body.opaque().toString(), payload.toString());
  c.close();
});

test('a record above the maximum is refused before its payload arrives', async () => {
  const c = await RpcClient.connect(port);
  const mark = Buffer.alloc(4);
  mark.writeUInt32BE((0x80000000 | (1024 * 1024 + 1)) >>> 0);
  c.writeRaw(mark);
  await c.closed();
  // Also across fragments: two fragments whose sum exceeds the maximum.
  const c2 = await RpcClient.connect(port);
  const first = Buffer.alloc(4 + 600 * 1024);
  first.writeUInt32BE(600 * 1024);
  const second = Buffer.alloc(4);
  second.writeUInt32BE((0x80000000 | (600 * 1024)) >>> 0);
  c2.writeRaw(Buffer.concat([first, second]));
  await c2.closed();
  await assertAlive();
});

test('concurrent calls on one connection are answered in completion order', async () => {
  const c = await RpcClient.connect(port);
  const order: string[] = [];
  const slow = c.call(PROG, 2, 1, echoArgs(200, Buffer.from('slow'))).then(() => order.push('slow'));
  const fast = c.call(PROG, 2, 1, echoArgs(0, Buffer.from('fast'))).then(() => order.push('fast'));
  await Promise.all([slow, fast]);
  assert.deepEqual(order, ['fast', 'slow']);
  c.close();
});

test('many calls in flight beyond the backpressure limit all get correct replies', async () => {
  const c = await RpcClient.connect(port);
  const calls = Array.from({ length: 300 }, (_, i) =>
    c.call(PROG, 2, 1, echoArgs(i % 3, Buffer.alloc(1000 + i, i & 0xff))).then((r) => {
      assert.ok(r.kind === 'accepted' && r.stat === AcceptStat.SUCCESS);
      assert.deepEqual(r.body.opaque(), Buffer.alloc(1000 + i, i & 0xff));
    }));
  await Promise.all(calls);
  c.close();
});

test('random garbage never crashes the server', async () => {
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  for (let round = 0; round < 40; round++) {
    const s = net.connect(port, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    s.on('error', () => {});
    const len = 16 + (rand() % 200);
    const junk = Buffer.alloc(len);
    for (let i = 0; i < len; i++) junk[i] = rand() & 0xff;
    if (round % 2 === 0) junk.writeUInt32BE((0x80000000 | (len - 4)) >>> 0); // well framed, garbage inside
    if (round % 4 === 0) junk.writeUInt32BE(0, 8); // msg_type CALL
    s.write(junk);
    await new Promise((r) => setTimeout(r, 5));
    s.destroy();
  }
  await assertAlive();
});

test("a reply's body parts are handed to bodyDone once the socket no longer needs them, large and small", async () => {
  const done: Array<readonly Buffer[]> = [];
  const sent = new Map<number, Buffer[]>();
  // proc 1 answers with the argument's length in bytes, as two parts: a header and the data itself.
  const partsReply = async (call: RpcCall): Promise<RpcResult> => {
    const n = call.args.u32();
    const head = new XdrWriter();
    head.u32(n);
    const parts = [head.finish(), Buffer.alloc(n, n & 0xff)];
    sent.set(n, parts);
    return { kind: 'success', body: parts };
  };
  const s = new RpcServer({ programs: [{ prog: PROG, versions: new Map([[2, partsReply]]) }], bodyDone: (p) => done.push(p) });
  const at = await s.listen('127.0.0.1', 0);
  const c = await RpcClient.connect(at.port);
  try {
    for (const n of [512 * 1024, 100]) {
      const arg = new XdrWriter();
      arg.u32(n);
      const r = await c.call(PROG, 2, 1, Buffer.from(arg.finish()));
      assert.ok(r.kind === 'accepted' && r.stat === AcceptStat.SUCCESS);
      assert.equal(r.body.u32(), n);
      assert.ok(r.body.fixedOpaque(n).every((b) => b === (n & 0xff)), `the ${n}-byte body arrived whole`);
      for (let i = 0; i < 100 && !done.some((p) => p === sent.get(n)); i++) await new Promise((res) => setTimeout(res, 10));
      assert.equal(done.filter((p) => p === sent.get(n)).length, 1, `the parts of the ${n}-byte reply were handed back once`);
    }
  } finally {
    c.close();
    await s.close();
  }
});
