import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as wallet from '../src/wallet.js';
import { ACCOUNT_A, ACCOUNT_B, FakeDotNetRef, FakeProvider, FakeWindow, UUID_1, UUID_2, rpcError } from './fake-provider.mjs';
import { connectedSession } from './helpers.mjs';

test('events from each wallet go only to the session that connected it', async () => {
  const one = await connectedSession();
  const two = await connectedSession({ provider: new FakeProvider({ accounts: [ACCOUNT_B] }) });

  one.provider.emit('accountsChanged', [ACCOUNT_B]);
  two.provider.emit('chainChanged', '0x89');
  two.provider.emit('disconnect', rpcError(4900, 'Disconnected'));

  assert.deepEqual(one.dotNet.calls, [{ method: 'OnAccountsChanged', args: [[ACCOUNT_B]] }]);
  assert.deepEqual(two.dotNet.calls, [
    { method: 'OnChainChanged', args: ['0x89'] },
    { method: 'OnDisconnect', args: [{ code: 'DISCONNECTED', message: 'Your wallet is disconnected from the network. Check your wallet and try again.', rpcCode: 4900 }] },
  ]);
  assert.deepEqual((await wallet.getState(one.handle)).value.chainId, '0x7a69');
});

test('two sessions on one window each receive the events of the wallet they chose', async () => {
  const win = new FakeWindow();
  const first = new FakeProvider();
  const second = new FakeProvider({ accounts: [ACCOUNT_B] });
  win.installWallet({ uuid: UUID_1, name: 'First' }, first);
  win.installWallet({ uuid: UUID_2, name: 'Second' }, second);
  const refA = new FakeDotNetRef();
  const refB = new FakeDotNetRef();
  const a = wallet.init(refA, { window: win, discoveryMs: 5 });
  const b = wallet.init(refB, { window: win, discoveryMs: 5 });
  assert.equal((await wallet.connect(a, UUID_1)).ok, true);
  assert.equal((await wallet.connect(b, UUID_2)).ok, true);

  first.emit('accountsChanged', [ACCOUNT_A]);
  second.emit('accountsChanged', []);

  assert.deepEqual(refA.callsOf('OnAccountsChanged'), [[[ACCOUNT_A.toLowerCase()]]]);
  assert.deepEqual(refB.callsOf('OnAccountsChanged'), [[[]]]);
});

test('no events are delivered after dispose, and every listener is removed', async () => {
  const { handle, provider, dotNet, win } = await connectedSession();
  assert.equal(provider.totalListeners(), 3);
  assert.equal(win.listenerCount('eip6963:announceProvider'), 1);

  await wallet.dispose(handle);
  provider.emit('accountsChanged', [ACCOUNT_B]);
  provider.emit('chainChanged', '0x1');
  provider.emit('disconnect', rpcError(4900, 'Disconnected'));

  assert.deepEqual(dotNet.calls, []);
  assert.equal(provider.totalListeners(), 0);
  assert.equal(win.listenerCount('eip6963:announceProvider'), 0);
});

test('switching to another wallet moves the listeners: the old wallet is no longer heard', async () => {
  const win = new FakeWindow();
  const first = new FakeProvider();
  const second = new FakeProvider({ accounts: [ACCOUNT_B] });
  win.installWallet({ uuid: UUID_1, name: 'First' }, first);
  win.installWallet({ uuid: UUID_2, name: 'Second' }, second);
  const dotNet = new FakeDotNetRef();
  const handle = wallet.init(dotNet, { window: win, discoveryMs: 5 });
  await wallet.connect(handle, UUID_1);
  await wallet.connect(handle, UUID_2);

  assert.equal(first.totalListeners(), 0);
  assert.equal(second.totalListeners(), 3);
  first.emit('chainChanged', '0x1');
  second.emit('chainChanged', '0x5');
  assert.deepEqual(dotNet.callsOf('OnChainChanged'), [['0x5']]);
});

test('malformed event payloads are not forwarded; addresses and chain ids are normalised', async () => {
  const { provider, dotNet } = await connectedSession();
  provider.emit('accountsChanged', 'not a list');
  provider.emit('chainChanged', 'garbage');
  provider.emit('chainChanged', '0x0');
  provider.emit('accountsChanged', ['0xnope', ACCOUNT_A, ACCOUNT_A.toLowerCase()]);
  provider.emit('chainChanged', '0x00089');
  assert.deepEqual(dotNet.calls, [
    { method: 'OnAccountsChanged', args: [[ACCOUNT_A.toLowerCase()]] },
    { method: 'OnChainChanged', args: ['0x89'] },
  ]);
});

test('a failing .NET callback (circuit gone) does not break the session', async () => {
  const win = new FakeWindow();
  const provider = new FakeProvider();
  win.installWallet({ uuid: UUID_1, name: 'Fake Wallet' }, provider);
  let calls = 0;
  const ref = {
    invokeMethodAsync() {
      calls += 1;
      return Promise.reject(new Error('JSDisconnectedException'));
    },
  };
  const handle = wallet.init(ref, { window: win, discoveryMs: 5 });
  await wallet.connect(handle);
  provider.emit('chainChanged', '0x1');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(calls, 1);
  assert.equal((await wallet.getState(handle)).value.chainId, '0x7a69', 'getState re-reads the wallet');
});
