import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as wallet from '../src/wallet.js';
import { ACCOUNT_A, ACCOUNT_B, BLOCK_HASH, FakeProvider, TOKEN, TX_HASH, rpcError } from './fake-provider.mjs';
import { connectedSession } from './helpers.mjs';

const TRANSFER = Object.freeze({
  from: ACCOUNT_A,
  to: TOKEN,
  value: '0x0',
  data: '0xA9059CBB000000000000000000000000111111111111111111111111111111111111111100000000000000000000000000000000000000000000000000000000000003e8',
});

function receipt(status, hash = TX_HASH.toLowerCase()) {
  return { transactionHash: hash, blockNumber: '0x2a', blockHash: BLOCK_HASH, status, gasUsed: '0x5208', contractAddress: null, logs: [] };
}

test('sendTransaction sends the validated, lower-cased transaction and returns the hash', async () => {
  const { handle, provider } = await connectedSession();
  const result = await wallet.sendTransaction(handle, { ...TRANSFER, gas: '0x000F4240' }, '0x7a69');
  assert.deepEqual(result, { ok: true, value: TX_HASH.toLowerCase() });
  assert.deepEqual(provider.calls.map((c) => c.method), ['eth_chainId', 'eth_sendTransaction']);
  assert.deepEqual(provider.callsOf('eth_sendTransaction')[0].params, [{
    from: ACCOUNT_A.toLowerCase(), to: TOKEN.toLowerCase(), value: '0x0', data: TRANSFER.data.toLowerCase(), gas: '0xf4240',
  }]);
});

test('sendTransaction rejects bad addresses and fields without asking the wallet', async () => {
  const { handle, provider } = await connectedSession();
  const cases = [
    [{ ...TRANSFER, to: '0x1234' }, /recipient \(to\) must be 0x followed by 40 hex digits, got "0x1234"/],
    [{ ...TRANSFER, to: `${TOKEN}00` }, /recipient \(to\)/],
    [{ ...TRANSFER, to: undefined }, /recipient \(to\).*got nothing/],
    [{ ...TRANSFER, from: 'alice' }, /sender \(from\)/],
    [{ ...TRANSFER, value: '1000' }, /value must be a hex quantity/],
    [{ ...TRANSFER, value: -1 }, /value must be a hex quantity/],
    [{ ...TRANSFER, data: '0xabc' }, /data must be 0x followed by whole bytes/],
    [{ ...TRANSFER, nonce: '0x1' }, /unsupported fields: nonce/],
    ['not an object', /must be an object/],
  ];
  for (const [tx, message] of cases) {
    const result = await wallet.sendTransaction(handle, tx);
    assert.equal(result.code, 'INVALID_ARGUMENT', JSON.stringify(tx));
    assert.match(result.message, message);
  }
  assert.equal(provider.calls.length, 0);
});

test('sendTransaction from an account the wallet did not share answers ACCOUNT_MISMATCH', async () => {
  const { handle, provider } = await connectedSession();
  const result = await wallet.sendTransaction(handle, { ...TRANSFER, from: ACCOUNT_B });
  assert.equal(result.code, 'ACCOUNT_MISMATCH');
  assert.deepEqual(result.data, { expectedAddress: ACCOUNT_B, walletAccounts: [ACCOUNT_A.toLowerCase()] });
  assert.equal(provider.calls.length, 0);
});

test('sendTransaction on the wrong network answers WRONG_NETWORK with both ids and sends nothing', async () => {
  const { handle, provider } = await connectedSession({ provider: new FakeProvider({ chainId: '0x89' }) });
  const result = await wallet.sendTransaction(handle, TRANSFER, '0x7a69');
  assert.equal(result.code, 'WRONG_NETWORK');
  assert.deepEqual(result.data, { expectedChainId: '0x7a69', actualChainId: '0x89' });
  assert.equal(provider.callsOf('eth_sendTransaction').length, 0);
});

test('sendTransaction rejected by the user answers USER_REJECTED', async () => {
  const { handle, provider } = await connectedSession();
  provider.failNext('eth_sendTransaction', rpcError(4001, 'MetaMask Tx Signature: User denied transaction signature.'));
  assert.equal((await wallet.sendTransaction(handle, TRANSFER)).code, 'USER_REJECTED');
});

test('sendTransaction rejects a hash that is not 32 bytes of hex', async () => {
  const { handle, provider } = await connectedSession();
  provider.handle('eth_sendTransaction', () => ({ hash: TX_HASH }));
  assert.equal((await wallet.sendTransaction(handle, TRANSFER)).code, 'INVALID_RESPONSE');
});

test('waitForReceipt polls until the receipt arrives and returns it', async () => {
  const { handle, provider } = await connectedSession();
  provider.receipts.set(TX_HASH.toLowerCase(), [null, null, receipt('0x1')]);
  const result = await wallet.waitForReceipt(handle, TX_HASH, { pollMs: 2, timeoutMs: 1000 });
  assert.deepEqual(result, {
    ok: true,
    value: { transactionHash: TX_HASH.toLowerCase(), blockNumber: '0x2a', blockHash: BLOCK_HASH, status: '0x1', gasUsed: '0x5208', contractAddress: null },
  });
  assert.equal(provider.callsOf('eth_getTransactionReceipt').length, 3);
});

test('waitForReceipt keeps polling through a transient RPC error', async () => {
  const { handle, provider } = await connectedSession();
  provider.receipts.set(TX_HASH.toLowerCase(), receipt('0x1'));
  provider.failNext('eth_getTransactionReceipt', rpcError(-32603, 'upstream timeout'));
  const result = await wallet.waitForReceipt(handle, TX_HASH, { pollMs: 2, timeoutMs: 1000 });
  assert.equal(result.ok, true);
  assert.equal(provider.callsOf('eth_getTransactionReceipt').length, 2);
});

test('waitForReceipt of a reverted transaction answers TX_REVERTED with the receipt', async () => {
  const { handle, provider } = await connectedSession();
  provider.receipts.set(TX_HASH.toLowerCase(), receipt('0x0'));
  const result = await wallet.waitForReceipt(handle, TX_HASH, { pollMs: 2, timeoutMs: 1000 });
  assert.equal(result.ok, false);
  assert.equal(result.code, 'TX_REVERTED');
  assert.match(result.message, /reverted/);
  assert.equal(result.data.status, '0x0');
  assert.equal(result.data.transactionHash, TX_HASH.toLowerCase());
});

test('waitForReceipt gives up with TIMEOUT when no receipt comes', async () => {
  const { handle, provider } = await connectedSession();
  const result = await wallet.waitForReceipt(handle, TX_HASH, { pollMs: 5, timeoutMs: 40 });
  assert.equal(result.code, 'TIMEOUT');
  assert.match(result.message, /not confirmed within 40 ms/);
  assert.deepEqual(result.data, { transactionHash: TX_HASH.toLowerCase() });
  assert.ok(provider.callsOf('eth_getTransactionReceipt').length >= 2, 'it polled more than once');
});

test('waitForReceipt rejects a receipt for another transaction or with a bad status', async () => {
  const { handle, provider } = await connectedSession();
  provider.receipts.set(TX_HASH.toLowerCase(), receipt('0x1', `0x${'ee'.repeat(32)}`));
  assert.equal((await wallet.waitForReceipt(handle, TX_HASH, { pollMs: 2, timeoutMs: 100 })).code, 'INVALID_RESPONSE');
  provider.receipts.set(TX_HASH.toLowerCase(), receipt('0x2'));
  assert.equal((await wallet.waitForReceipt(handle, TX_HASH, { pollMs: 2, timeoutMs: 100 })).code, 'INVALID_RESPONSE');
});

test('waitForReceipt validates the hash and the options', async () => {
  const { handle, provider } = await connectedSession();
  assert.equal((await wallet.waitForReceipt(handle, '0x1234')).code, 'INVALID_ARGUMENT');
  assert.equal((await wallet.waitForReceipt(handle, TX_HASH, { pollMs: 0 })).code, 'INVALID_ARGUMENT');
  assert.equal((await wallet.waitForReceipt(handle, TX_HASH, { timeoutMs: 'soon' })).code, 'INVALID_ARGUMENT');
  assert.equal(provider.calls.length, 0);
});

test('waitForReceipt ends with DISPOSED as soon as the session is disposed', async () => {
  const { handle } = await connectedSession();
  const waiting = wallet.waitForReceipt(handle, TX_HASH, { pollMs: 60000, timeoutMs: 600000 });
  await new Promise((resolve) => setTimeout(resolve, 10));
  await wallet.dispose(handle);
  assert.equal((await waiting).code, 'DISPOSED');
});
