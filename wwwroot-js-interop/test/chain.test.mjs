import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as wallet from '../src/wallet.js';
import { FakeProvider, rpcError } from './fake-provider.mjs';
import { connectedSession } from './helpers.mjs';

const LOCAL_CHAIN = Object.freeze({
  chainId: '0x7a69',
  chainName: 'NeuroData local chain',
  rpcUrls: ['http://127.0.0.1:8545'],
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
});

test('switchChain to a chain the wallet knows switches and reports the new chain id', async () => {
  const { handle, provider, dotNet } = await connectedSession({ provider: new FakeProvider({ chainId: '0x1', knownChains: ['0x1', '0x7a69'] }) });
  const result = await wallet.switchChain(handle, { chainId: '0x7A69' });
  assert.deepEqual(result, { ok: true, value: '0x7a69' });
  assert.deepEqual(provider.calls.map((c) => c.method), ['wallet_switchEthereumChain', 'eth_chainId']);
  assert.deepEqual(provider.calls[0].params, [{ chainId: '0x7a69' }]);
  assert.deepEqual(dotNet.callsOf('OnChainChanged'), [['0x7a69']]);
});

test('switchChain to an unknown chain (4902) with full params adds the chain and then switches', async () => {
  const { handle, provider } = await connectedSession({ provider: new FakeProvider({ chainId: '0x1', knownChains: ['0x1'] }) });
  const result = await wallet.switchChain(handle, { ...LOCAL_CHAIN, blockExplorerUrls: ['https://explorer.example.org'], extra: 'dropped' });
  assert.deepEqual(result, { ok: true, value: '0x7a69' });
  assert.deepEqual(provider.calls.map((c) => c.method), [
    'wallet_switchEthereumChain', 'wallet_addEthereumChain', 'wallet_switchEthereumChain', 'eth_chainId',
  ]);
  assert.deepEqual(provider.calls[1].params, [{
    chainId: '0x7a69',
    chainName: 'NeuroData local chain',
    rpcUrls: ['http://127.0.0.1:8545'],
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    blockExplorerUrls: ['https://explorer.example.org'],
  }]);
});

test('switchChain recognises 4902 nested in a -32603 error (mobile wallets)', async () => {
  const { handle, provider } = await connectedSession({ provider: new FakeProvider({ chainId: '0x1', knownChains: ['0x1'] }) });
  provider.failNext('wallet_switchEthereumChain', rpcError(-32603, 'Unrecognized chain', { originalError: { code: 4902 } }));
  const result = await wallet.switchChain(handle, LOCAL_CHAIN);
  assert.equal(result.ok, true);
  assert.equal(provider.callsOf('wallet_addEthereumChain').length, 1);
});

test('switchChain to an unknown chain (4902) without params answers UNKNOWN_CHAIN', async () => {
  const { handle, provider } = await connectedSession({ provider: new FakeProvider({ chainId: '0x1', knownChains: ['0x1'] }) });
  const result = await wallet.switchChain(handle, { chainId: '0x7a69' });
  assert.equal(result.ok, false);
  assert.equal(result.code, 'UNKNOWN_CHAIN');
  assert.equal(result.rpcCode, 4902);
  assert.match(result.message, /does not know network 31337 \(0x7a69\)/);
  assert.equal(provider.callsOf('wallet_addEthereumChain').length, 0);
});

test('switchChain where the user rejects adding the chain answers USER_REJECTED and does not switch', async () => {
  const { handle, provider } = await connectedSession({ provider: new FakeProvider({ chainId: '0x1', knownChains: ['0x1'] }) });
  provider.failNext('wallet_addEthereumChain', rpcError(4001, 'User rejected the request.'));
  const result = await wallet.switchChain(handle, LOCAL_CHAIN);
  assert.equal(result.code, 'USER_REJECTED');
  assert.equal(provider.callsOf('wallet_switchEthereumChain').length, 1);
});

test('switchChain validates the network before asking the wallet', async () => {
  const { handle, provider } = await connectedSession();
  const bad = [
    null,
    { chainId: 31337 },
    { chainId: '0x' },
    { chainId: '0x0' },
    { chainId: '7a69' },
    { ...LOCAL_CHAIN, rpcUrls: [] },
    { ...LOCAL_CHAIN, rpcUrls: ['javascript:alert(1)'] },
    { ...LOCAL_CHAIN, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 6 } },
    { ...LOCAL_CHAIN, chainName: '' },
    { ...LOCAL_CHAIN, blockExplorerUrls: ['ftp://x'] },
  ];
  for (const params of bad) {
    const result = await wallet.switchChain(handle, params);
    assert.equal(result.code, 'INVALID_ARGUMENT', JSON.stringify(params));
  }
  assert.equal(provider.calls.length, 0);
});

test('switchChain before connect answers NOT_CONNECTED', async () => {
  const fresh = wallet.init({ invokeMethodAsync: async () => null }, { window: new EventTarget(), discoveryMs: 0 });
  assert.equal((await wallet.switchChain(fresh, { chainId: '0x1' })).code, 'NOT_CONNECTED');
});

test('watchAsset sends an ERC20 wallet_watchAsset request and returns whether it was added', async () => {
  const { handle, provider } = await connectedSession();
  const result = await wallet.watchAsset(handle, {
    address: '0x5FbDB2315678afecb367f032d93F642f64180aa3', symbol: 'NCR', decimals: 18, image: 'https://example.org/ncr.png',
  });
  assert.deepEqual(result, { ok: true, value: true });
  assert.deepEqual(provider.calls[0], {
    method: 'wallet_watchAsset',
    params: { type: 'ERC20', options: { address: '0x5fbdb2315678afecb367f032d93f642f64180aa3', symbol: 'NCR', decimals: 18, image: 'https://example.org/ncr.png' } },
  });
});

test('watchAsset validates the token and the answer', async () => {
  const { handle, provider } = await connectedSession();
  const token = { address: '0x5FbDB2315678afecb367f032d93F642f64180aa3', symbol: 'NCR', decimals: 18 };
  assert.equal((await wallet.watchAsset(handle, { ...token, address: '0x5FbDB' })).code, 'INVALID_ARGUMENT');
  assert.equal((await wallet.watchAsset(handle, { ...token, symbol: 'TOO-LONG-SYMBOL' })).code, 'INVALID_ARGUMENT');
  assert.equal((await wallet.watchAsset(handle, { ...token, decimals: 18.5 })).code, 'INVALID_ARGUMENT');
  assert.equal((await wallet.watchAsset(handle, { ...token, image: 'javascript:alert(1)' })).code, 'INVALID_ARGUMENT');
  assert.equal(provider.calls.length, 0);
  provider.handle('wallet_watchAsset', () => 'yes');
  assert.equal((await wallet.watchAsset(handle, token)).code, 'INVALID_RESPONSE');
  provider.failNext('wallet_watchAsset', rpcError(4001, 'User rejected'));
  assert.equal((await wallet.watchAsset(handle, token)).code, 'USER_REJECTED');
});
