using System.Text.Json;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Tests.Approvals;

namespace Chatterfy.Postbacks.Tests.Networks;

public sealed class PostbackUrlTests
{
    public static TheoryData<string, string, string?> Sets => new()
    {
        { "binomo-default", "binomo", null },
        { "binomo-renamed-flags", "binomo", """{"eventFlags":{"registration":"registration","first_dep":"first-deposit"}}""" },
        { "1win-default", "1win", null },
        { "1win-sub4", "1win", """{"clickIdSub":"sub4"}""" },
        { "1win-macro-overrides", "1win", """{"clickIdSub":"sub2","macros":{"amount":"{deposit_sum}","transactionId":"{event_id}","country":"{geo}"}}""" },
        { "custom-full", "custom", """{"clickIdMacro":"{subid}","amountMacro":"{payout}","currencyMacro":"{currency}","transactionIdMacro":"{txid}","fields":{"country":"{geo}","offer":"[offer_id]"}}""" },
        { "custom-fixed-currency", "custom", """{"clickIdMacro":"#clickid#","amountMacro":"#sum#","currency":"eur"}""" },
        { "custom-single-url-with-event-macro", "custom", """{"clickIdMacro":"{subid}","amountMacro":"{payout}","eventMacro":"{status}"}""" },
    };

    [Theory]
    [MemberData(nameof(Sets))]
    public async Task GetUrls_EachNetwork_MatchesApprovedUrls(string name, string network, string? settings)
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet
        {
            Name = name,
            NetworkId = network,
            Settings = settings is null ? null : JsonDocument.Parse(settings).RootElement,
        });

        var urls = services.Sets.GetUrls(set);
        var text = string.Join(
            '\n',
            "network: " + network,
            "settings: " + (settings ?? "(defaults)"),
            "registration:  " + urls.Registration,
            "first-deposit: " + urls.FirstDeposit,
            "deposit:       " + urls.Deposit,
            "base:          " + urls.Base).Replace(set.Token, "{token}", StringComparison.Ordinal);
        Approver.Verify(text, "urls." + name);
    }

    [Fact]
    public async Task GetUrls_Binomo_HasNoQueryStringAtAll()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "Binomo", NetworkId = "binomo" });

        var urls = services.Sets.GetUrls(set);

        new[] { urls.Registration, urls.FirstDeposit, urls.Deposit, urls.Base }.Should().AllSatisfy(u => u.Should().NotContain("?"));
        urls.FirstDeposit.Should().Be($"https://pb.example.com/api/postbacks/{set.Token}/first-deposit");
    }

    [Fact]
    public async Task GetUrls_OneWin_KeepsMacrosLiteral()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });

        var urls = services.Sets.GetUrls(set);

        urls.Registration.Should().EndWith("/registration?clickid={sub1}&fields.user_id={user_id}&fields.country={country}");
        urls.Deposit.Should().EndWith("/deposit?clickid={sub1}&fields.user_id={user_id}&fields.country={country}&amount={amount}&tid={transaction_id}");
        urls.Deposit.Should().NotContain("%7B");
    }

    [Theory]
    [InlineData("https://pb.example.com/", "/api/postbacks", "https://pb.example.com/api/postbacks/")]
    [InlineData("https://example.com/tracker", "/pb", "https://example.com/tracker/pb/")]
    [InlineData("http://127.0.0.1:5080", "/api/postbacks/", "http://127.0.0.1:5080/api/postbacks/")]
    public async Task GetUrls_BaseAndPrefix_AreJoinedWithSingleSlashes(string baseUrl, string prefix, string expectedRoot)
    {
        using var services = new TestServices(o => o.ReceiverPathPrefix = prefix);
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "Binomo", NetworkId = "binomo" });

        var urls = services.Sets.GetUrls(set, baseUrl);

        urls.Base.Should().Be(expectedRoot + set.Token);
    }

    [Theory]
    [InlineData("pb.example.com")]
    [InlineData("ftp://pb.example.com")]
    [InlineData("https://pb.example.com/?x=1")]
    public async Task GetUrls_InvalidBaseUrl_Throws(string baseUrl)
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "Binomo", NetworkId = "binomo" });

        var act = () => services.Sets.GetUrls(set, baseUrl);

        act.Should().Throw<ArgumentException>().WithMessage("*public base URL*");
    }

    [Fact]
    public async Task GetUrls_NoBaseUrlAnywhere_ThrowsNamingTheOption()
    {
        using var services = new TestServices(o => o.PublicBaseUrl = null);
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "Binomo", NetworkId = "binomo" });

        var act = () => services.Sets.GetUrls(set);

        act.Should().Throw<InvalidOperationException>().WithMessage("*PublicBaseUrl*");
    }
}
