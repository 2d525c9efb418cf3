import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdlePoller } from './idle-poll.ts';

const US = 1000n;

/** A poller on a clock the test moves; `call` serves one call that arrives `gapUs` after the previous reply. */
function harness(maxUs: number) {
  let now = 1_000_000n * US;
  const poller = new IdlePoller(maxUs * 1000, () => now);
  return {
    poller,
    advance(us: number) {
      now += BigInt(us) * US;
    },
    call(gapUs: number) {
      now += BigInt(gapUs) * US;
      poller.started();
      now += 10n * US;
      poller.finished();
    },
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

test('a client whose calls follow each reply closely gets a polling window that grows to the maximum', async () => {
  const h = harness(100);
  h.call(0);
  assert.equal(h.poller.active, false, 'nothing is known of this client yet: no polling');
  h.call(60);
  assert.equal(h.poller.window, 25_000, 'a call soon after a reply opens the first window');
  assert.equal(h.poller.active, true, 'after the reply the event loop is kept polling');
  h.call(60);
  assert.equal(h.poller.window, 50_000);
  h.call(60);
  assert.equal(h.poller.window, 100_000, 'grown until the calls fall inside the window');
  h.call(60);
  assert.equal(h.poller.window, 100_000, 'calls inside the window leave it as it is');
  h.call(90);
  assert.equal(h.poller.window, 100_000, 'never beyond the maximum');
  h.advance(200);
  await turn();
  assert.equal(h.poller.active, false);
});

test('polling stops when its window has passed without a call, and falls to nothing for slow clients', async () => {
  const h = harness(100);
  for (let i = 0; i < 4; i++) h.call(60);
  assert.equal(h.poller.active, true);
  h.advance(101);
  await turn();
  assert.equal(h.poller.active, false, 'the window passed: the event loop may sleep again');
  h.call(5_000);
  assert.equal(h.poller.window, 50_000, 'a call long after the reply halves the window');
  h.call(5_000);
  h.call(5_000);
  assert.equal(h.poller.window, 0, 'a slow client costs no polling at all');
  await turn();
  assert.equal(h.poller.active, false);
  h.call(5_000);
  await turn();
  assert.equal(h.poller.active, false, 'and after its next reply nothing polls');
});

test('no polling while calls are still in progress, nor when it is turned off', async () => {
  const h = harness(100);
  for (let i = 0; i < 4; i++) h.call(60);
  h.advance(200);
  await turn();
  h.poller.started();
  h.poller.started();
  h.poller.finished();
  assert.equal(h.poller.active, false, 'one call is still being served');
  h.poller.finished();
  assert.equal(h.poller.active, true, 'the last reply starts the window');
  h.poller.started();
  await turn();
  assert.equal(h.poller.active, false, 'a call arriving ends the polling');
  h.poller.finished();
  h.advance(200);
  await turn();

  const off = harness(0);
  for (let i = 0; i < 6; i++) off.call(20);
  assert.equal(off.poller.window, 0);
  assert.equal(off.poller.active, false);
});
