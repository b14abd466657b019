import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as wallet from '../src/wallet.js';
import { FakeDotNetRef, FakeProvider, FakeWindow, PIXEL, UUID_1, UUID_2 } from './fake-provider.mjs';

function session(win) {
  return wallet.init(new FakeDotNetRef(), { window: win, discoveryMs: 5 });
}

test('discover with no wallet and no window.ethereum reports NO_WALLET with a clear message', async () => {
  const win = new FakeWindow();
  const result = await wallet.discover(session(win));
  assert.equal(result.ok, false);
  assert.equal(result.code, 'NO_WALLET');
  assert.match(result.message, /No Ethereum wallet was found/);
  assert.equal(win.requestCount, 1, 'discovery dispatches eip6963:requestProvider once');
});

test('discover with one announced wallet lists its uuid, name, icon and rdns', async () => {
  const win = new FakeWindow();
  win.installWallet({ uuid: UUID_1, name: 'Fake Wallet', icon: PIXEL, rdns: 'io.metamask' }, new FakeProvider());
  const result = await wallet.discover(session(win));
  assert.deepEqual(result, { ok: true, value: [{ uuid: UUID_1, name: 'Fake Wallet', icon: PIXEL, rdns: 'io.metamask' }] });
});

test('discover with two announced wallets lists both in announcement order, without the legacy fallback', async () => {
  const win = new FakeWindow();
  win.ethereum = new FakeProvider();
  const handle = session(win);
  win.installWallet({ uuid: UUID_1, name: 'First' }, new FakeProvider());
  win.installWallet({ uuid: UUID_2, name: 'Second' }, new FakeProvider());
  const result = await wallet.discover(handle);
  assert.equal(result.ok, true);
  assert.deepEqual(result.value.map((w) => w.name), ['First', 'Second']);
  assert.deepEqual(result.value.map((w) => w.uuid), [UUID_1, UUID_2]);
});

test('discover answers wallets that announce only when asked', async () => {
  const win = new FakeWindow();
  const handle = session(win);
  // Installed after init: its first announcement comes in response to discover's request.
  win.installWallet({ uuid: UUID_1, name: 'Late' }, new FakeProvider());
  const result = await wallet.discover(handle);
  assert.deepEqual(result.value.map((w) => w.name), ['Late']);
});

test('discover falls back to window.ethereum when no wallet announces itself', async () => {
  const win = new FakeWindow();
  win.ethereum = new FakeProvider({ isMetaMask: true });
  const result = await wallet.discover(session(win));
  assert.deepEqual(result, { ok: true, value: [{ uuid: 'window.ethereum', name: 'MetaMask', icon: '', rdns: '' }] });
});

test('discover ignores malformed announcements and keeps the first announcement of a uuid', async () => {
  const win = new FakeWindow();
  const handle = session(win);
  const bad = [
    { info: { uuid: 'not-a-uuid', name: 'Bad uuid', icon: PIXEL, rdns: 'a.b' }, provider: new FakeProvider() },
    { info: { uuid: UUID_2, name: '', icon: PIXEL, rdns: 'a.b' }, provider: new FakeProvider() },
    { info: { uuid: UUID_2, name: 'No request function', icon: PIXEL, rdns: 'a.b' }, provider: {} },
    null,
  ];
  for (const detail of bad) {
    win.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
  }
  win.installWallet({ uuid: UUID_1, name: 'Real', icon: 'javascript:alert(1)', rdns: 'bad rdns!' }, new FakeProvider());
  win.installWallet({ uuid: UUID_1, name: 'Impostor with same uuid' }, new FakeProvider());
  const result = await wallet.discover(handle);
  assert.deepEqual(result, { ok: true, value: [{ uuid: UUID_1, name: 'Real', icon: '', rdns: '' }] });
});

test('discover with a missing handle answers INVALID_ARGUMENT instead of throwing', async () => {
  const result = await wallet.discover(null);
  assert.equal(result.ok, false);
  assert.equal(result.code, 'INVALID_ARGUMENT');
});

test('init without a DotNetObjectReference throws a TypeError', () => {
  assert.throws(() => wallet.init(null), TypeError);
  assert.throws(() => wallet.init({}), TypeError);
  assert.throws(() => wallet.init(new FakeDotNetRef(), { expectedChainId: '31337' }), /expectedChainId/);
  assert.throws(() => wallet.init(new FakeDotNetRef(), { discoveryMs: -1 }), /discoveryMs/);
});

test('each init creates its own session object', () => {
  const win = new FakeWindow();
  const a = session(win);
  const b = session(win);
  assert.notEqual(a, b);
  assert.ok(a instanceof wallet.WalletSession && b instanceof wallet.WalletSession);
});
