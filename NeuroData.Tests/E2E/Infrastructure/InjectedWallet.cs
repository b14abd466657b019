using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using NeuroData.Domain.Common;

namespace NeuroData.Tests.E2E.Infrastructure;

/// <summary>
/// An injected EIP-1193 provider that does what MetaMask would for a site it trusts: it shares one anvil dev account
/// and forwards every other request (eth_chainId, personal_sign, eth_sendTransaction ...) to anvil's JSON-RPC, where
/// the dev accounts are unlocked. The forwarding runs in the test process (an exposed function), so the page's CSP is
/// untouched.
/// </summary>
public static class InjectedWallet
{
    /// <summary>Installs the fake wallet before any page script runs.</summary>
    public static async Task InstallAsync(IPage page, AppServerFixture app, EthAddress account, bool onOtherChainAndRefusesToSwitch = false)
    {
        var rpc = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        page.Close += (_, _) => rpc.Dispose();
        var id = 0;
        await page.ExposeFunctionAsync<string, string, Task<string>>("__ndWalletRpc", async (method, paramsJson) =>
        {
            var body = $"{{\"jsonrpc\":\"2.0\",\"id\":{Interlocked.Increment(ref id)},\"method\":{System.Text.Json.JsonSerializer.Serialize(method)},\"params\":{paramsJson}}}";
            using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            using var response = await rpc.PostAsync(app.ChainRpcUrl, content);
            return await response.Content.ReadAsStringAsync();
        });
        await page.AddInitScriptAsync(ProviderScript
            .Replace("__ACCOUNT__", account.Value.ToLowerInvariant(), StringComparison.Ordinal)
            .Replace("__STUBBORN__", onOtherChainAndRefusesToSwitch ? "true" : "false", StringComparison.Ordinal));
    }

    // What MetaMask does for a site it already trusts: share the account, forward the rest to the node.
    private const string ProviderScript = """
        (() => {
          const account = '__ACCOUNT__';
          const stubborn = __STUBBORN__; // on Ethereum mainnet, and the user refuses to switch
          const listeners = {};
          window.ethereum = {
            isMetaMask: true,
            async request({ method, params }) {
              if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [account];
              if (stubborn && method === 'eth_chainId') return '0x1';
              if (stubborn && method === 'wallet_switchEthereumChain') {
                const error = new Error('User rejected the request.');
                error.code = 4001;
                throw error;
              }
              if (method === 'wallet_switchEthereumChain' || method === 'wallet_addEthereumChain' || method === 'wallet_watchAsset') return null;
              const reply = JSON.parse(await window.__ndWalletRpc(method, JSON.stringify(params ?? [])));
              if (reply.error) {
                const error = new Error(reply.error.message);
                error.code = reply.error.code;
                error.data = reply.error.data;
                throw error;
              }
              return reply.result;
            },
            on(event, fn) { (listeners[event] ??= []).push(fn); },
            removeListener(event, fn) { listeners[event] = (listeners[event] ?? []).filter(f => f !== fn); },
          };
        })();
        """;

}
