// Shared set-up for the wallet module tests.
import * as wallet from '../src/wallet.js';
import { FakeDotNetRef, FakeProvider, FakeWindow, UUID_1 } from './fake-provider.mjs';

/**
 * A session on a fake window with one announced fake wallet, not yet connected.
 * @param {{ provider?: FakeProvider, expectedChainId?: string }} [options]
 */
export function newSession(options = {}) {
  const win = new FakeWindow();
  const provider = options.provider ?? new FakeProvider();
  win.installWallet({ uuid: UUID_1, name: 'Fake Wallet' }, provider);
  const dotNet = new FakeDotNetRef();
  const handle = wallet.init(dotNet, { window: win, discoveryMs: 5, expectedChainId: options.expectedChainId });
  return { win, provider, dotNet, handle };
}

/**
 * A session already connected to its fake wallet.
 * @param {{ provider?: FakeProvider, expectedChainId?: string }} [options]
 */
export async function connectedSession(options = {}) {
  const s = newSession(options);
  const connected = await wallet.connect(s.handle);
  if (!connected.ok) {
    throw new Error(`test set-up could not connect: ${connected.code} ${connected.message}`);
  }
  s.provider.calls.length = 0;
  return s;
}
