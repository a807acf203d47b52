using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.HttpPostback;
using Chatterfy.Postbacks.Forwarding.Reactions;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Chatterfy.Postbacks.Tests.Repository;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding.Tests.Reactions;

/// <summary>The signed webhook destination through the outbox, to a receiver on Kestrel at 127.0.0.1.</summary>
public sealed class SignedWebhookTests
{
    private const string Secret = "whsec_0123456789abcdefXYZ";
    private const string OldSecret = "whsec_old_0123456789abcdef";

    [Fact]
    public async Task AConversionIsPostedAsJson_SignedSoThatTheDocumentedSnippetVerifiesIt()
    {
        await using var receiver = await FakeDestination.StartAsync();
        await using var scenario = AllowListed();
        var set = await scenario.CreateSetAsync();
        var rule = await WebhookRuleAsync(scenario, new { url = receiver.BaseUrl + "/bot/hook", secret = Secret });
        var click = await scenario.CreateClickAsync();
        var result = await scenario.FirstDepositAsync(set, click, amount: "50.00", transactionId: "88123");

        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(1);

        var message = await scenario.MessageAsync(result.ConversionId!);
        message.Status.Should().Be(OutboxMessageStatus.Delivered);
        message.RuleId.Should().Be(rule.Id);
        var request = receiver.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/bot/hook");
        request.ContentType.Should().Be("application/json; charset=utf-8");
        request.Headers[WebhookSignature.DeliveryHeaderName].Should().Be(message.Id);
        request.Body.Should().Be(
            $$"""{"deliveryId":"{{message.Id}}","attempt":1,"conversionId":"{{result.ConversionId}}","event":"first-deposit","depositNumber":1,"occurredAt":"2026-03-14T12:00:00Z","setId":"{{set.Id}}","campaignId":"spring","clickId":"{{click.Id}}","subjectId":"777000111","amount":50.00,"currency":"USD","transactionId":"88123","status":"approved","statusAt":"2026-03-14T12:00:00Z","change":null}""");
        var header = request.Headers[WebhookSignature.HeaderName];
        header.Should().MatchRegex("^t=1773489600,v1=[0-9a-f]{64}$");
        WebhookVerifier.IsValid(header, Encoding.UTF8.GetBytes(request.Body), Secret, ForwardingHost.Now).Should().BeTrue();
        WebhookVerifier.IsValid(header, Encoding.UTF8.GetBytes(request.Body.Replace("50.00", "5000.0", StringComparison.Ordinal)), Secret, ForwardingHost.Now)
            .Should().BeFalse("a changed body does not verify");
        WebhookVerifier.IsValid(header, Encoding.UTF8.GetBytes(request.Body), "whsec_another_secret_0123", ForwardingHost.Now).Should().BeFalse();
    }

    [Fact]
    public async Task AHeldDepositsApproval_IsPostedWithTheStatusItIsForAndItsChange()
    {
        await using var receiver = await FakeDestination.StartAsync();
        await using var scenario = AllowListed();
        var set = await scenario.CreateSetAsync();
        await WebhookRuleAsync(scenario, new { url = receiver.BaseUrl + "/hook", secret = Secret });
        var click = await scenario.CreateClickAsync();
        var held = await scenario.IngestAsync(set, $"?click_id={click.Id}&ftd=true&amount=50.00&transaction_id=88123&status=hold");
        scenario.Host.Time.Advance(TimeSpan.FromMinutes(90));
        await scenario.IngestAsync(set, $"?click_id={click.Id}&ftd=true&amount=50.00&transaction_id=88123&status=Confirmed");

        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(1);

        var body = JsonDocument.Parse(receiver.Requests.Should().ContainSingle().Subject.Body).RootElement;
        body.GetProperty("conversionId").GetString().Should().Be(held.ConversionId);
        body.GetProperty("occurredAt").GetString().Should().Be("2026-03-14T12:00:00Z");
        body.GetProperty("status").GetString().Should().Be("approved");
        body.GetProperty("statusAt").GetString().Should().Be("2026-03-14T13:30:00Z");
        var change = body.GetProperty("change");
        (change.GetProperty("from").GetString(), change.GetProperty("to").GetString(), change.GetProperty("word").GetString(), change.GetProperty("at").GetString())
            .Should().Be(("pending", "approved", "Confirmed", "2026-03-14T13:30:00Z"));
        change.GetProperty("id").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task WhileASecretRotates_EachRequestCarriesOneSignaturePerSecret_AndReceiversWithEitherVerifyIt()
    {
        await using var receiver = await FakeDestination.StartAsync();
        await using var scenario = AllowListed();
        var set = await scenario.CreateSetAsync();
        var rule = await WebhookRuleAsync(scenario, new { url = receiver.BaseUrl + "/hook", secret = Secret, previousSecret = OldSecret });
        await scenario.RegistrationAsync(set, await scenario.CreateClickAsync());

        await scenario.Dispatcher.DispatchOnceAsync();

        var request = receiver.Requests.Should().ContainSingle().Subject;
        var header = request.Headers[WebhookSignature.HeaderName];
        header.Should().MatchRegex("^t=1773489600,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$");
        var body = Encoding.UTF8.GetBytes(request.Body);
        WebhookVerifier.IsValid(header, body, Secret, ForwardingHost.Now).Should().BeTrue("a receiver with the new secret verifies it");
        WebhookVerifier.IsValid(header, body, OldSecret, ForwardingHost.Now).Should().BeTrue("a receiver still on the old secret verifies it");
        WebhookSignature.Verify(header, body, OldSecret, ForwardingHost.Now).Should().Be(WebhookSignatureCheck.Valid);
        WebhookSignature.Verify(header, body, "whsec_never_configured_00", ForwardingHost.Now).Should().Be(WebhookSignatureCheck.Mismatch);
        rule.Settings.GetRawText().Should().Contain(Secret, "the store keeps the secret; answers mask it");
        scenario.Host.Registry.TryGetDestination(SignedWebhookDestination.DestinationId, out var destination).Should().BeTrue();
        destination!.MaskSecrets(rule.Settings).GetRawText().Should().NotContain(Secret).And.NotContain(OldSecret).And.Contain("****");
    }

    [Theory]
    [InlineData(0, WebhookSignatureCheck.Valid)]
    [InlineData(300, WebhookSignatureCheck.Valid)]
    [InlineData(-300, WebhookSignatureCheck.Valid)]
    [InlineData(301, WebhookSignatureCheck.OutsideTolerance)]
    [InlineData(-301, WebhookSignatureCheck.OutsideTolerance)]
    public void Verify_TimestampAgainstTheReceiversClock_AllowsFiveMinutesEitherWay(int receiverClockOffsetSeconds, WebhookSignatureCheck expected)
    {
        var body = """{"event":"registration"}"""u8.ToArray();
        var header = WebhookSignature.Create(ForwardingHost.Now, body, [Secret]);
        var now = ForwardingHost.Now.AddSeconds(receiverClockOffsetSeconds);

        WebhookSignature.Verify(header, body, Secret, now).Should().Be(expected);
        WebhookVerifier.IsValid(header, body, Secret, now).Should().Be(expected == WebhookSignatureCheck.Valid, "the documented snippet keeps the same tolerance");
        WebhookSignature.DefaultTolerance.Should().Be(TimeSpan.FromMinutes(5));
    }

    [Theory]
    [InlineData(null, WebhookSignatureCheck.Missing)]
    [InlineData("", WebhookSignatureCheck.Missing)]
    [InlineData("v1=0000000000000000000000000000000000000000000000000000000000000000", WebhookSignatureCheck.Malformed)]
    [InlineData("t=abc,v1=0000000000000000000000000000000000000000000000000000000000000000", WebhookSignatureCheck.Malformed)]
    [InlineData("t=1773489600", WebhookSignatureCheck.Malformed)]
    [InlineData("t=1773489600,v1=zz00000000000000000000000000000000000000000000000000000000000000", WebhookSignatureCheck.Malformed)]
    [InlineData("t=1773489600,v1=0000000000000000000000000000000000000000000000000000000000000000", WebhookSignatureCheck.Mismatch)]
    public void Verify_BrokenHeader_SaysWhy(string? header, WebhookSignatureCheck expected) =>
        WebhookSignature.Verify(header, "{}"u8, Secret, ForwardingHost.Now).Should().Be(expected);

    [Fact]
    public async Task AWebhookToLoopbackIsRefused_UnlessItsHostIsInTheAllowList()
    {
        await using var scenario = OutboxScenario.Create(o =>
        {
            o.AllowPrivateNetworks = false;
            o.Webhook.AllowedHosts.Add("127.0.0.1");
        });

        var listed = () => scenario.Host.ProfileAsync(SignedWebhookDestination.DestinationId, new { url = "http://127.0.0.1:8080/hook", secret = Secret });
        var localhost = () => scenario.Host.ProfileAsync(SignedWebhookDestination.DestinationId, new { url = "http://localhost:8080/hook", secret = Secret });
        var privateAddress = () => scenario.Host.ProfileAsync(SignedWebhookDestination.DestinationId, new { url = "http://10.0.0.5/hook", secret = Secret });
        var postbackToListedHost = () => scenario.Host.ProfileAsync(HttpPostbackDestination.DestinationId, new { urlTemplate = "http://127.0.0.1:8080/pb?cid={{click.id}}" });

        await listed.Should().NotThrowAsync();
        (await localhost.Should().ThrowAsync<InvalidDestinationSettingsException>()).Which.Errors.Single().Field.Should().Be("settings.url");
        (await privateAddress.Should().ThrowAsync<InvalidDestinationSettingsException>()).Which.Errors.Single().Message.Should().Contain("10.0.0.5");
        (await postbackToListedHost.Should().ThrowAsync<InvalidDestinationSettingsException>("every other rule keeps the outbound policy"))
            .Which.Errors.Single().Field.Should().Be("settings.urlTemplate");
    }

    [Fact]
    public async Task WithoutAnAllowList_AWebhookToLoopbackIsRefused()
    {
        await using var scenario = OutboxScenario.Create(o => o.AllowPrivateNetworks = false);

        var act = () => scenario.Host.ProfileAsync(SignedWebhookDestination.DestinationId, new { url = "http://127.0.0.1:8080/hook", secret = Secret });

        (await act.Should().ThrowAsync<InvalidDestinationSettingsException>()).Which.Errors.Single().Message.Should().Contain("127.0.0.1");
    }

    [Fact]
    public async Task AStoredWebhookWhoseHostLeftTheAllowList_IsDeadLetteredWhenSent_WithoutACall()
    {
        await using var receiver = await FakeDestination.StartAsync();
        var allowed = new List<string> { "127.0.0.1" };
        await using var scenario = OutboxScenario.Create(o =>
        {
            o.AllowHttp = true;
            o.AllowPrivateNetworks = false;
            o.RuleCacheDuration = TimeSpan.Zero;
            foreach (var host in allowed)
            {
                o.Webhook.AllowedHosts.Add(host);
            }
        });
        var set = await scenario.CreateSetAsync();
        await WebhookRuleAsync(scenario, new { url = receiver.BaseUrl + "/hook", secret = Secret });
        var result = await scenario.RegistrationAsync(set, await scenario.CreateClickAsync());

        // The operator removes the host; the options are read per request (IOptionsMonitor), so the change applies at once.
        allowed.Clear();
        scenario.Host.Provider.GetRequiredService<IOptionsMonitorCache<ForwardingOptions>>().Clear();
        await scenario.Dispatcher.DispatchOnceAsync();

        var message = await scenario.MessageAsync(result.ConversionId!);
        message.Status.Should().Be(OutboxMessageStatus.DeadLettered);
        message.LastErrorCode.Should().Be(DeliveryErrorCodes.AddressForbidden);
        receiver.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("http://127.0.0.1")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("bot host")]
    [InlineData("")]
    public void AnAllowListEntryThatIsNotAHost_FailsAtStartup_NamingTheOption(string entry)
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseInMemoryStore().AddForwarding(o => o.Webhook.AllowedHosts.Add(entry));
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<ForwardingOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("Postbacks:Forwarding:Webhook:AllowedHosts:0");
    }

    [Fact]
    public async Task ATemporaryFailureIsRetriedOnTheOutboxSchedule_WithTheSameDeliveryId_AndAFreshTimestamp()
    {
        await using var receiver = await FakeDestination.StartAsync();
        receiver.Answer(new FakeAnswer(503, "busy"));
        await using var scenario = AllowListed();
        var set = await scenario.CreateSetAsync();
        await WebhookRuleAsync(scenario, new { url = receiver.BaseUrl + "/hook", secret = Secret });
        var result = await scenario.RegistrationAsync(set, await scenario.CreateClickAsync());

        await scenario.Dispatcher.DispatchOnceAsync();
        var pending = await scenario.MessageAsync(result.ConversionId!);
        pending.Status.Should().Be(OutboxMessageStatus.Pending);
        pending.LastErrorCode.Should().Be(DeliveryErrorCodes.HttpStatus);
        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(0, "the next attempt waits for the retry schedule");
        scenario.Host.Time.Advance(pending.NextAttemptAt - ForwardingHost.Now);
        await scenario.Dispatcher.DispatchOnceAsync();

        (await scenario.ReloadAsync(pending)).Status.Should().Be(OutboxMessageStatus.Delivered);
        receiver.Requests.Should().HaveCount(2);
        receiver.Requests.Select(r => r.Headers[WebhookSignature.DeliveryHeaderName]).Distinct().Should().Equal(pending.Id);
        receiver.Requests[1].Body.Should().Contain("\"attempt\":2");
        var second = receiver.Requests[1];
        WebhookVerifier.IsValid(second.Headers[WebhookSignature.HeaderName], Encoding.UTF8.GetBytes(second.Body), Secret, scenario.Host.Time.GetUtcNow())
            .Should().BeTrue("a retry is signed at its own time, so it passes the receiver's tolerance");
    }

    [Fact]
    public async Task APermanentRefusalIsDeadLettered_AndAReplayDeliversItWithTheSameDeliveryId()
    {
        await using var receiver = await FakeDestination.StartAsync();
        receiver.Answer(new FakeAnswer(400, "bad signature"));
        await using var scenario = AllowListed();
        var set = await scenario.CreateSetAsync();
        await WebhookRuleAsync(scenario, new { url = receiver.BaseUrl + "/hook", secret = Secret });
        var result = await scenario.RegistrationAsync(set, await scenario.CreateClickAsync());

        await scenario.Dispatcher.DispatchOnceAsync();
        var dead = await scenario.MessageAsync(result.ConversionId!);
        dead.Status.Should().Be(OutboxMessageStatus.DeadLettered);
        dead.LastErrorCode.Should().Be(DeliveryErrorCodes.HttpStatus);

        await scenario.Dispatcher.RetryAsync(dead.Id);
        await scenario.Dispatcher.DispatchOnceAsync();

        (await scenario.ReloadAsync(dead)).Status.Should().Be(OutboxMessageStatus.Delivered);
        receiver.Requests.Select(r => r.Headers[WebhookSignature.DeliveryHeaderName]).Should().Equal(dead.Id, dead.Id);
    }

    [Fact]
    public async Task SettingsAreChecked_WithTheFieldNamed()
    {
        await using var scenario = AllowListed();

        var noSecret = () => scenario.Host.ProfileAsync(SignedWebhookDestination.DestinationId, new { url = "http://127.0.0.1/hook" });
        var shortSecret = () => scenario.Host.ProfileAsync(SignedWebhookDestination.DestinationId, new { url = "http://127.0.0.1/hook", secret = "short" });
        var badUrl = () => scenario.Host.ProfileAsync(SignedWebhookDestination.DestinationId, new { url = "ftp://127.0.0.1/hook", secret = Secret });

        (await noSecret.Should().ThrowAsync<InvalidDestinationSettingsException>()).Which.Errors.Single().Field.Should().Be("settings.secret");
        (await shortSecret.Should().ThrowAsync<InvalidDestinationSettingsException>()).Which.Errors.Single().Field.Should().Be("settings.secret");
        (await badUrl.Should().ThrowAsync<InvalidDestinationSettingsException>()).Which.Errors.Single().Field.Should().Be("settings.url");
    }

    [Fact]
    public void TheTelegramGuide_ShowsTheCompiledVerifierVerbatim()
    {
        var sample = Checkout.ReadText("tests/Chatterfy.Postbacks.Forwarding.Tests/Reactions/WebhookVerifier.cs");

        Checkout.ReadText("docs/telegram.md").Should().Contain("```csharp\n" + sample + "```\n", "docs/telegram.md shows the verifier as it is compiled and tested here");
    }

    private static OutboxScenario AllowListed() => OutboxScenario.Create(o =>
    {
        o.AllowHttp = true;
        o.AllowPrivateNetworks = false;
        o.Webhook.AllowedHosts.Add("127.0.0.1");
    });

    private static async Task<ForwardingRule> WebhookRuleAsync(OutboxScenario scenario, object settings) =>
        await scenario.Rules.CreateAsync(new NewForwardingRule
        {
            CampaignId = OutboxScenario.Campaign,
            DestinationId = SignedWebhookDestination.DestinationId,
            Settings = JsonSerializer.SerializeToElement(settings),
        });
}
