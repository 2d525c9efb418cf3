import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callerFor, clientAllowed } from './identity.ts';
import { DEFAULT_RULES, type ExportRules } from './exports.ts';

const sys = (uid: number, gid: number, gids: number[] = []) => ({
  flavor: 1, authSys: { stamp: 0, machine: 'm', uid, gid, gids },
});

test('AUTH_SYS identities pass through; AUTH_NONE is anonymous', () => {
  assert.deepEqual(callerFor(sys(1000, 100, [4, 5]), DEFAULT_RULES), { uid: 1000, gid: 100, gids: [4, 5] });
  assert.deepEqual(callerFor(sys(0, 0), DEFAULT_RULES), { uid: 0, gid: 0, gids: [] });
  assert.deepEqual(callerFor({ flavor: 0 }, DEFAULT_RULES), { uid: 65534, gid: 65534, gids: [] });
});

test('root squash maps uid 0 and gid 0 to the anonymous ids, others untouched', () => {
  const rules: ExportRules = { ...DEFAULT_RULES, rootSquash: true, anonUid: 99, anonGid: 98 };
  assert.deepEqual(callerFor(sys(0, 0, [0, 7]), rules), { uid: 99, gid: 98, gids: [98, 7] });
  assert.deepEqual(callerFor(sys(1000, 100), rules), { uid: 1000, gid: 100, gids: [] });
});

test('a forced identity wins over whatever the client sent', () => {
  const forced = { uid: 1234, gid: 567, gids: [8] };
  const rules: ExportRules = { ...DEFAULT_RULES, forcedIdentity: forced };
  assert.deepEqual(callerFor(sys(0, 0), rules), forced);
  assert.deepEqual(callerFor({ flavor: 0 }, rules), forced);
});

test('client allow-lists: IPv4, IPv6 and IPv4-mapped IPv6', () => {
  const rules = { allowedClients: [{ address: '10.1.0.0', prefix: 16 }, { address: 'fd00::', prefix: 8 }] };
  assert.equal(clientAllowed({ allowedClients: [] }, '1.2.3.4'), true);
  assert.equal(clientAllowed(rules, '10.1.200.3'), true);
  assert.equal(clientAllowed(rules, '10.2.0.1'), false);
  assert.equal(clientAllowed(rules, '::ffff:10.1.0.9'), true);
  assert.equal(clientAllowed(rules, '::ffff:10.3.0.9'), false);
  assert.equal(clientAllowed(rules, 'fd12:3456::1'), true);
  assert.equal(clientAllowed(rules, 'fe80::1%eth0'), false);
  assert.equal(clientAllowed(rules, 'not-an-address'), false);
  assert.equal(clientAllowed({ allowedClients: [{ address: '::1', prefix: 128 }] }, '::1'), true);
  assert.equal(clientAllowed({ allowedClients: [{ address: '127.0.0.1', prefix: 32 }] }, '127.0.0.2'), false);
  assert.equal(clientAllowed({ allowedClients: [{ address: '0.0.0.0', prefix: 0 }] }, '::ffff:8.8.8.8'), true);
});
