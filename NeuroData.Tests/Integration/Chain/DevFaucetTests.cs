using System.Numerics;
using System.Security.Cryptography;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Chain;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Chain;

public sealed class DevFaucetTests(AnvilFixture anvil)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Faucet_SendsNcrAndEth_ToAnyWallet()
    {
        await anvil.RequireChainAsync();
        var faucet = new DevFaucet(anvil.Context, anvil.Signers);
        var wallet = EthAddress.FromBytes(RandomNumberGenerator.GetBytes(20));
        var oneEth = BigInteger.Pow(10, 18);

        var receipts = await faucet.SendAsync(wallet, TokenAmount.FromTokens(25), oneEth, Ct);

        receipts.Count.ShouldBe(2);
        receipts.ShouldAllBe(r => r.Succeeded);
        (await anvil.Gateway.GetTokenBalanceAsync(wallet, Ct)).ShouldBe(TokenAmount.FromTokens(25));
        (await anvil.Gateway.GetNativeBalanceAsync(wallet, Ct)).ShouldBe(oneEth);
    }

    [Fact]
    public async Task Faucet_RefusesMoreThanItsLimits_AndSendsNothing()
    {
        await anvil.RequireChainAsync();
        var faucet = new DevFaucet(anvil.Context, anvil.Signers);
        var wallet = EthAddress.FromBytes(RandomNumberGenerator.GetBytes(20));

        (await Should.ThrowAsync<DomainException>(() => faucet.SendAsync(wallet, TokenAmount.FromTokens(10_001), BigInteger.Zero, Ct)))
            .Message.ShouldBe("The faucet sends at most 10000 NCR per request.");
        (await Should.ThrowAsync<DomainException>(() => faucet.SendAsync(wallet, TokenAmount.Zero, 11 * BigInteger.Pow(10, 18), Ct)))
            .Message.ShouldBe("The faucet sends between 0 and 10 ETH per request.");
        (await Should.ThrowAsync<DomainException>(() => faucet.SendAsync(wallet, TokenAmount.Zero, BigInteger.Zero, Ct)))
            .Message.ShouldContain("some NCR or ETH");

        (await anvil.Gateway.GetTokenBalanceAsync(wallet, Ct)).ShouldBe(TokenAmount.Zero);
        (await anvil.Gateway.GetNativeBalanceAsync(wallet, Ct)).ShouldBe(BigInteger.Zero);
    }
}
