import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as wallet from '../src/wallet.js';
import { ACCOUNT_A, ACCOUNT_B, FakeDotNetRef, FakeProvider, FakeWindow, UUID_1, UUID_2, rpcError } from './fake-provider.mjs';
import { connectedSession, newSession } from './helpers.mjs';

test('connect asks for accounts and returns them lower-cased with the chain id', async () => {
  const { handle, provider } = newSession({ provider: new FakeProvider({ accounts: [ACCOUNT_A, ACCOUNT_B] }) });
  const result = await wallet.connect(handle);
  assert.deepEqual(result, {
    ok: true,
    value: { providerUuid: UUID_1, providerName: 'Fake Wallet', accounts: [ACCOUNT_A.toLowerCase(), ACCOUNT_B], chainId: '0x7a69' },
  });
  assert.deepEqual(provider.calls.map((c) => c.method), ['eth_requestAccounts', 'eth_chainId']);
});

test('connect uses the wallet chosen by uuid', async () => {
  const win = new FakeWindow();
  const first = new FakeProvider({ accounts: [ACCOUNT_A] });
  const second = new FakeProvider({ accounts: [ACCOUNT_B] });
  win.installWallet({ uuid: UUID_1, name: 'First' }, first);
  win.installWallet({ uuid: UUID_2, name: 'Second' }, second);
  const handle = wallet.init(new FakeDotNetRef(), { window: win, discoveryMs: 5 });
  const result = await wallet.connect(handle, UUID_2);
  assert.equal(result.ok, true);
  assert.equal(result.value.providerName, 'Second');
  assert.deepEqual(result.value.accounts, [ACCOUNT_B]);
  assert.equal(first.calls.length, 0, 'the other wallet is never asked');
});

test('connect with an unknown wallet uuid answers PROVIDER_NOT_FOUND', async () => {
  const { handle } = newSession();
  const result = await wallet.connect(handle, UUID_2);
  assert.equal(result.code, 'PROVIDER_NOT_FOUND');
});

test('connect without any wallet answers NO_WALLET', async () => {
  const handle = wallet.init(new FakeDotNetRef(), { window: new FakeWindow(), discoveryMs: 0 });
  const result = await wallet.connect(handle);
  assert.equal(result.ok, false);
  assert.equal(result.code, 'NO_WALLET');
  assert.match(result.message, /Install MetaMask/);
});

test('connect rejected by the user (4001) answers USER_REJECTED with a clear message', async () => {
  const { handle, provider } = newSession();
  provider.failNext('eth_requestAccounts', rpcError(4001, 'User rejected the request.'));
  const result = await wallet.connect(handle);
  assert.deepEqual(result, { ok: false, code: 'USER_REJECTED', message: 'You rejected the request in your wallet.', rpcCode: 4001 });
});

test('connect while another wallet request is pending (-32002) answers REQUEST_PENDING', async () => {
  const { handle, provider } = newSession();
  provider.failNext('eth_requestAccounts', rpcError(-32002, "Request of type 'wallet_requestPermissions' already pending"));
  const result = await wallet.connect(handle);
  assert.equal(result.code, 'REQUEST_PENDING');
  assert.equal(result.rpcCode, -32002);
  assert.match(result.message, /already has a request waiting/);
});

test('connect on the wrong network answers WRONG_NETWORK with both chain ids', async () => {
  const { handle } = newSession({ provider: new FakeProvider({ chainId: '0x1' }), expectedChainId: '0x7A69' });
  const result = await wallet.connect(handle);
  assert.equal(result.ok, false);
  assert.equal(result.code, 'WRONG_NETWORK');
  assert.equal(result.data.expectedChainId, '0x7a69');
  assert.equal(result.data.actualChainId, '0x1');
  assert.deepEqual(result.data.accounts, [ACCOUNT_A.toLowerCase()]);
  assert.match(result.message, /network 1 \(0x1\).*network 31337 \(0x7a69\)/);
});

test('connect with a per-call expected chain id overrides the session default', async () => {
  const { handle } = newSession({ expectedChainId: '0x1' });
  const result = await wallet.connect(handle, null, '0x7a69');
  assert.equal(result.ok, true);
});

test('connect rejects a wallet answer that is not a list of addresses', async () => {
  const { handle, provider } = newSession();
  provider.handle('eth_requestAccounts', () => ['0x123', ACCOUNT_A]);
  const result = await wallet.connect(handle);
  assert.equal(result.code, 'INVALID_RESPONSE');
});

test('connect normalises a decimal chain id from an old wallet and rejects garbage', async () => {
  const { handle, provider } = newSession();
  provider.handle('eth_chainId', () => 31337);
  assert.equal((await wallet.connect(handle)).value.chainId, '0x7a69');
  provider.handle('eth_chainId', () => 'mainnet');
  assert.equal((await wallet.connect(handle)).code, 'INVALID_RESPONSE');
});

test('EIP-1193 error codes map to their own result codes', async () => {
  const cases = [
    [4100, 'UNAUTHORIZED', /not authorised/],
    [4200, 'UNSUPPORTED_METHOD', /does not support this request \(eth_requestAccounts\)/],
    [4900, 'DISCONNECTED', /disconnected from the network/],
    [4901, 'DISCONNECTED', /not connected to this network/],
    [-32603, 'WALLET_ERROR', /Your wallet reported an error\. Internal JSON-RPC error\./],
  ];
  for (const [rpcCode, code, message] of cases) {
    const { handle, provider } = newSession();
    provider.failNext('eth_requestAccounts', rpcError(rpcCode, 'Internal JSON-RPC error.'));
    const result = await wallet.connect(handle);
    assert.equal(result.code, code, `rpc code ${rpcCode}`);
    assert.equal(result.rpcCode, rpcCode);
    assert.match(result.message, message);
  }
});

test('a wallet error message is shortened and stripped of control characters', async () => {
  const { handle, provider } = newSession();
  provider.failNext('eth_requestAccounts', rpcError(-32000, `bad\n\u202Ething ${'x'.repeat(500)}`));
  const result = await wallet.connect(handle);
  assert.equal(result.code, 'WALLET_ERROR');
  assert.ok(!/[\n\u202E]/.test(result.message));
  assert.ok(result.message.length < 260);
});

test('getState reports not connected before connect and the wallet state after', async () => {
  const { handle } = newSession();
  assert.deepEqual(await wallet.getState(handle), {
    ok: true,
    value: { connected: false, providerUuid: null, providerName: null, accounts: [], chainId: null },
  });
  await wallet.connect(handle);
  assert.deepEqual(await wallet.getState(handle), {
    ok: true,
    value: { connected: true, providerUuid: UUID_1, providerName: 'Fake Wallet', accounts: [ACCOUNT_A.toLowerCase()], chainId: '0x7a69' },
  });
});

test('checkNetwork answers the chain id or WRONG_NETWORK', async () => {
  const { handle, provider } = await connectedSession();
  assert.deepEqual(await wallet.checkNetwork(handle, '0x7a69'), { ok: true, value: '0x7a69' });
  provider.chainId = '0x89';
  const wrong = await wallet.checkNetwork(handle, '0x7a69');
  assert.equal(wrong.code, 'WRONG_NETWORK');
  assert.deepEqual(wrong.data, { expectedChainId: '0x7a69', actualChainId: '0x89' });
  assert.equal((await wallet.checkNetwork(handle, 'polygon')).code, 'INVALID_ARGUMENT');
});

test('operations after dispose answer DISPOSED', async () => {
  const { handle } = await connectedSession();
  await wallet.dispose(handle);
  assert.equal((await wallet.connect(handle)).code, 'DISPOSED');
  assert.equal((await wallet.getState(handle)).code, 'DISPOSED');
  assert.deepEqual(await wallet.dispose(handle), { ok: true, value: null }, 'dispose twice is harmless');
});
