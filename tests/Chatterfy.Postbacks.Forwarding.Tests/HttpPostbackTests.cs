using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.HttpPostback;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>Server-to-server postbacks: template rules at creation, rendering, and the answers that retry or dead-letter.</summary>
public sealed class HttpPostbackTests
{
    private const string S2S = HttpPostbackDestination.DestinationId;

    private static ForwardedConversion Deposit(string id = "conv-7") => ForwardingHost.Message(
        id,
        PostbackEvent.FirstDeposit,
        amount: 1234.50m,
        currency: "USD",
        click: ForwardingHost.BrowserClick(),
        transactionId: "tx 1&2",
        attributes: new Dictionary<string, string> { ["user_id"] = "u/42", ["Country"] = "BR" });

    [Theory]
    [InlineData("https://t.example/pb?amount={{conversion.amout}}", "{{conversion.amout}}")]
    [InlineData("https://t.example/pb?c={{chatId}}&x={{conversion.payout}}", "{{chatid}}, {{conversion.payout}}")]
    [InlineData("https://t.example/pb?f={{fields.}}", "{{fields.}}")]
    public async Task RefusesUnknownMacrosAtCreationNamingThem(string template, string named)
    {
        await using var host = ForwardingHost.Create();

        var act = () => host.ProfileAsync(S2S, new { urlTemplate = template });

        var error = (await act.Should().ThrowAsync<InvalidDestinationSettingsException>()).Which.Errors.Should().ContainSingle().Subject;
        error.Field.Should().Be("settings.urlTemplate");
        error.Message.Should().Contain(named).And.Contain("{{conversion.amount}}");
    }

    [Theory]
    [InlineData("https://{{tracker.host}}/pb", "literal")]
    [InlineData("https://t.example:{{tracker.port}}/pb", "literal")]
    [InlineData("{{tracker.url}}", "absolute")]
    [InlineData("ftp://t.example/pb", "absolute")]
    [InlineData("https://t.example/pb?x={{ conversion amount }}", "'{{'")]
    [InlineData("https://user:pw@t.example/pb", "user info")]
    public async Task RefusesTemplatesThatCouldNotBeCheckedOrWouldLeakLiteralBraces(string template, string hint)
    {
        await using var host = ForwardingHost.Create();

        var act = () => host.ProfileAsync(S2S, new { urlTemplate = template });

        (await act.Should().ThrowAsync<InvalidDestinationSettingsException>()).Which.Errors.Single().Message.Should().Contain(hint);
    }

    [Fact]
    public async Task NamesEachBadSetting()
    {
        await using var host = ForwardingHost.Create();

        var act = () => host.ProfileAsync(S2S, new { urlTemplate = "https://t.example/pb", method = "PUT", events = new[] { "registration", "no such!" } });

        (await act.Should().ThrowAsync<InvalidDestinationSettingsException>()).Which.Errors.Select(e => e.Field)
            .Should().Equal("settings.method", "settings.events[1]");
    }

    [Fact]
    public async Task RendersAGetPostbackWithEveryMacroEncoded()
    {
        await using var tracker = await FakeDestination.StartAsync();
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(S2S, new
        {
            urlTemplate = tracker.BaseUrl + "/postback?cid={{click.id}}&e={{conversion.event}}&sum={{conversion.amount}}&cur={{conversion.currency}}" +
                "&tid={{conversion.tid}}&id={{conversion.id}}&uid={{fields.user_id}}&geo={{fields.country}}&ad={{tracker.ad_name}}&missing={{fields.nope}}",
        });

        var outcome = (await host.SendAsync(profile, S2S, Deposit())).Single();

        outcome.Status.Should().Be(DeliveryStatus.Delivered);
        outcome.HttpStatusCode.Should().Be(200);
        var request = tracker.Requests.Single();
        request.Method.Should().Be("GET");
        request.Path.Should().Be("/postback");
        request.Query.Should().Be("?cid=67wgwWkaR0&e=first-deposit&sum=1234.50&cur=USD&tid=tx%201%262&id=conv-7&uid=u%2F42&geo=BR&ad=Spring%20Sale%20%231&missing=");
    }

    [Fact]
    public async Task RendersTheDepositNumber_EmptyForAConversionWithoutOne()
    {
        await using var tracker = await FakeDestination.StartAsync();
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(S2S, new { urlTemplate = tracker.BaseUrl + "/pb?cid={{click.id}}&n={{conversion.deposit_number}}" });
        var repeat = Deposit("conv-repeat");
        repeat = repeat with { Conversion = repeat.Conversion with { DepositNumber = 3 } };
        var registration = ForwardingHost.Message("conv-reg", PostbackEvent.Registration, click: ForwardingHost.BrowserClick());

        await host.SendAsync(profile, S2S, repeat);
        await host.SendAsync(profile, S2S, registration);

        tracker.Requests.Select(r => r.Query).Should().Equal("?cid=67wgwWkaR0&n=3", "?cid=67wgwWkaR0&n=");
    }

    [Fact]
    public async Task PostsTheQueryParametersAsAForm()
    {
        await using var tracker = await FakeDestination.StartAsync();
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(S2S, new
        {
            urlTemplate = tracker.BaseUrl + "/pb?cid={{click.id}}&sum={{conversion.amount}}&tid={{conversion.tid}}&ad={{tracker.ad_name}}",
            method = "POST",
        });

        await host.SendAsync(profile, S2S, Deposit());

        var request = tracker.Requests.Single();
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/pb");
        request.Query.Should().BeEmpty();
        request.ContentType.Should().Be("application/x-www-form-urlencoded");
        request.Body.Should().Be("cid=67wgwWkaR0&sum=1234.50&tid=tx+1%262&ad=Spring+Sale+%231");
    }

    [Fact]
    public async Task PostsTheQueryParametersAsJson()
    {
        await using var tracker = await FakeDestination.StartAsync();
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(S2S, new
        {
            urlTemplate = tracker.BaseUrl + "/pb?cid={{click.id}}&sum={{conversion.amount}}&tid={{conversion.tid}}&tag=a&tag={{fields.country}}",
            method = "post",
            bodyFormat = "json",
        });

        await host.SendAsync(profile, S2S, Deposit());

        var request = tracker.Requests.Single();
        request.ContentType.Should().Be("application/json; charset=utf-8");
        JsonDocument.Parse(request.Body).RootElement.GetRawText().Should().Be("""{"cid":"67wgwWkaR0","sum":"1234.50","tid":"tx 1&2","tag":["a","BR"]}""");
    }

    [Fact]
    public async Task ForwardsOnlyTheConfiguredEvents()
    {
        await using var host = ForwardingHost.Create();

        var all = await host.ProfileAsync(S2S, new { urlTemplate = "https://t.example/pb" });
        var deposits = await host.ProfileAsync(S2S, new { urlTemplate = "https://t.example/pb", events = new[] { "sale", "resale" } });

        all.Forwards(PostbackEvent.Registration).Should().BeTrue();
        deposits.Forwards(PostbackEvent.FirstDeposit).Should().BeTrue();
        deposits.Forwards(PostbackEvent.Deposit).Should().BeTrue();
        deposits.Forwards(PostbackEvent.Registration).Should().BeFalse();
        all.BatchKey.Should().NotBe(deposits.BatchKey, "profiles that would send differently never share a batch key");
    }

    [Fact]
    public async Task RetriesA429AfterTheRetryAfterDelay()
    {
        await using var tracker = await FakeDestination.StartAsync(_ => new FakeAnswer(429, "slow down", new Dictionary<string, string> { ["Retry-After"] = "120" }));
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(S2S, new { urlTemplate = tracker.BaseUrl + "/pb?cid={{click.id}}" });

        var outcome = (await host.SendAsync(profile, S2S, Deposit())).Single();

        outcome.Status.Should().Be(DeliveryStatus.Retry);
        outcome.ErrorCode.Should().Be(DeliveryErrorCodes.Throttled);
        outcome.RetryAfter.Should().Be(TimeSpan.FromSeconds(120));
        outcome.ResponseExcerpt.Should().Be("slow down");
    }

    [Fact]
    public async Task ReadsARetryAfterDateAgainstTheClock()
    {
        var at = ForwardingHost.Now.AddMinutes(10).ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        await using var tracker = await FakeDestination.StartAsync(_ => new FakeAnswer(503, "", new Dictionary<string, string> { ["Retry-After"] = at }));
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(S2S, new { urlTemplate = tracker.BaseUrl + "/pb" });

        var outcome = (await host.SendAsync(profile, S2S, Deposit())).Single();

        outcome.Status.Should().Be(DeliveryStatus.Retry);
        outcome.RetryAfter.Should().Be(TimeSpan.FromMinutes(10));
    }

    [Theory]
    [InlineData(500, DeliveryStatus.Retry)]
    [InlineData(502, DeliveryStatus.Retry)]
    [InlineData(408, DeliveryStatus.Retry)]
    [InlineData(404, DeliveryStatus.DeadLetter)]
    [InlineData(400, DeliveryStatus.DeadLetter)]
    [InlineData(302, DeliveryStatus.DeadLetter)]
    [InlineData(204, DeliveryStatus.Delivered)]
    public async Task JudgesTheAnswerByItsStatus(int status, DeliveryStatus expected)
    {
        await using var tracker = await FakeDestination.StartAsync(_ => new FakeAnswer(status, "", status == 302 ? new Dictionary<string, string> { ["Location"] = "http://127.0.0.1:1/elsewhere" } : null));
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(S2S, new { urlTemplate = tracker.BaseUrl + "/pb" });

        var outcome = (await host.SendAsync(profile, S2S, Deposit())).Single();

        outcome.Status.Should().Be(expected);
        outcome.HttpStatusCode.Should().Be(status);
        tracker.Requests.Should().ContainSingle("a redirect is not followed and nothing is retried in process");
    }

    [Fact]
    public async Task CapsTheResponseExcerptAtOneKibibyte()
    {
        await using var tracker = await FakeDestination.StartAsync(_ => new FakeAnswer(404, new string('x', 10_000)));
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(S2S, new { urlTemplate = tracker.BaseUrl + "/pb" });

        var outcome = (await host.SendAsync(profile, S2S, Deposit())).Single();

        outcome.ResponseExcerpt.Should().HaveLength(DeliveryOutcome.MaxResponseExcerptLength);
    }

    [Fact]
    public async Task RetriesWhenTheConnectionIsRefused()
    {
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(S2S, new { urlTemplate = $"http://127.0.0.1:{ForwardingHost.ClosedPort()}/pb?cid={{{{click.id}}}}" });

        var outcome = (await host.SendAsync(profile, S2S, Deposit())).Single();

        outcome.Status.Should().Be(DeliveryStatus.Retry);
        outcome.ErrorCode.Should().Be(DeliveryErrorCodes.NetworkError);
        outcome.HttpStatusCode.Should().BeNull();
    }

    [Fact]
    public async Task AnswersForEveryMessageOfABatchInOrder()
    {
        await using var tracker = await FakeDestination.StartAsync(r => r.Query.Contains("id=bad", StringComparison.Ordinal) ? new FakeAnswer(404) : FakeAnswer.Ok());
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(S2S, new { urlTemplate = tracker.BaseUrl + "/pb?id={{conversion.id}}" });

        var outcomes = await host.SendAsync(profile, S2S, Deposit("a"), Deposit("bad"), Deposit("c"));

        outcomes.Select(o => o.Status).Should().Equal(DeliveryStatus.Delivered, DeliveryStatus.DeadLetter, DeliveryStatus.Delivered);
    }
}
