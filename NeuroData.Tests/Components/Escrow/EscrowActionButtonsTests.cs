using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Commerce.Disputes;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Web.Components.Escrow;

namespace NeuroData.Tests.Components.Escrow;

/// <summary>The escrow page's actions: each role sees exactly what the contract would let it do.</summary>
public sealed class EscrowActionButtonsTests : BunitContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 20, 0, 0, TimeSpan.Zero);
    private static readonly string[] AllButtons = ["#confirm-button", "#dispute-button", "#agree-refund-button", "#release-button"];

    public EscrowActionButtonsTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose; // MudBlazor's own ripple/focus calls; the component itself calls no JS
    }

    public static TheoryData<string, MirrorEscrowState, bool, string[]> Cases => new()
    {
        // viewer, state, deadline passed, buttons shown
        { "buyer", MirrorEscrowState.Funded, false, ["#confirm-button", "#dispute-button"] },
        { "seller", MirrorEscrowState.Funded, false, ["#agree-refund-button"] },
        { "arbitrator", MirrorEscrowState.Funded, false, [] },
        { "buyer", MirrorEscrowState.Funded, true, ["#confirm-button", "#release-button"] },
        { "seller", MirrorEscrowState.Funded, true, ["#agree-refund-button", "#release-button"] },
        { "arbitrator", MirrorEscrowState.Funded, true, ["#release-button"] },
        { "buyer", MirrorEscrowState.Disputed, false, [] },
        { "seller", MirrorEscrowState.Disputed, false, [] },
        { "buyer", MirrorEscrowState.Released, true, [] },
        { "seller", MirrorEscrowState.Refunded, false, [] },
        { "buyer", MirrorEscrowState.Resolved, false, [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Shows_only_the_actions_the_viewer_may_take(string viewer, MirrorEscrowState state, bool deadlinePassed, string[] expected)
    {
        var view = View(viewer, state, deadlinePassed);

        var cut = Render<EscrowActionButtons>(p => p.Add(c => c.View, view));

        AllButtons.Where(id => cut.FindAll(id).Count == 1).ShouldBe(expected);
        cut.FindAll("#escrow-no-actions").Count.ShouldBe(expected.Length == 0 ? 1 : 0);
    }

    [Fact]
    public void Buttons_are_disabled_while_a_transaction_is_in_flight_and_call_back_when_enabled()
    {
        var confirmed = 0;
        var view = View("buyer", MirrorEscrowState.Funded, deadlinePassed: false);
        var cut = Render<EscrowActionButtons>(p => p.Add(c => c.View, view).Add(c => c.Disabled, true).Add(c => c.OnConfirm, () => confirmed++));
        cut.Find("#confirm-button").HasAttribute("disabled").ShouldBeTrue();

        cut.Render(p => p.Add(c => c.Disabled, false));
        cut.Find("#confirm-button").Click();

        confirmed.ShouldBe(1);
    }

    [Fact]
    public void A_milestone_escrow_confirms_the_next_milestone()
    {
        var view = View("buyer", MirrorEscrowState.Funded, deadlinePassed: false, tranches: 3, released: 1);
        var cut = Render<EscrowActionButtons>(p => p.Add(c => c.View, view));
        cut.Find("#confirm-button").TextContent.ShouldContain("next milestone");
    }

    private static EscrowView View(string viewer, MirrorEscrowState state, bool deadlinePassed, int tranches = 1, int released = 0)
    {
        var price = TokenAmount.FromTokens(1000);
        var split = EscrowService.Tranches(price, tranches, released, 25, state);
        var fee = split.Aggregate(TokenAmount.Zero, (s, t) => s + t.Fee);
        return new EscrowView(
            new ChainId(31337), 7, 3, "Weather 2025", Guid.NewGuid(),
            EthAddress.Parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"), EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
            viewer == "buyer", viewer == "seller", viewer == "arbitrator",
            price, 25, fee, price - fee, TokenAmount.Zero, Now, state, split, null, [],
            deadlinePassed ? Now.AddSeconds(1) : Now.AddSeconds(-1));
    }
}
