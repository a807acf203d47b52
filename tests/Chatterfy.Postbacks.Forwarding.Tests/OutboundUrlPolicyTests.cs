using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Forwarding.HttpPostback;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>SSRF protection: at rule creation (URL shape, resolved addresses) and at connect time (DNS rebinding).</summary>
public sealed class OutboundUrlPolicyTests
{
    private const string S2S = HttpPostbackDestination.DestinationId;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.10.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fd00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fc00::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("64:ff9b:1::7f00:1")]
    [InlineData("64:ff9b:1::808:808")]
    [InlineData("2002:7f00:1::")]
    [InlineData("2002:a9fe:a9fe::")]
    [InlineData("2002:808:808::")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("2001::1")]
    [InlineData("::ffff:0:127.0.0.1")]
    [InlineData("::ffff:0:8.8.8.8")]
    public void IsPrivateOrReserved_ForbiddenRanges_AreRefused(string address) =>
        OutboundUrlPolicy.IsPrivateOrReserved(IPAddress.Parse(address)).Should().BeTrue();

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("31.13.72.36")]
    [InlineData("2a03:2880:f10c:83:face:b00c:0:25de")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2003::1")]
    public void IsPrivateOrReserved_PublicAddresses_AreAllowed(string address) =>
        OutboundUrlPolicy.IsPrivateOrReserved(IPAddress.Parse(address)).Should().BeFalse();

    [Theory]
    [InlineData("http://tracker.example/pb", "https")]
    [InlineData("https://127.0.0.1/pb", "127.0.0.1")]
    [InlineData("https://169.254.169.254/latest/meta-data", "169.254.169.254")]
    [InlineData("https://[::1]/pb", "::1")]
    [InlineData("https://[fd00::5]/pb", "fd00::5")]
    [InlineData("https://localhost/pb", "localhost")]
    [InlineData("https://api.localhost/pb", "localhost")]
    [InlineData("https://[64:ff9b:1::7f00:1]/pb", "64:ff9b:1::7f00:1")]
    [InlineData("https://[2002:7f00:1::]/pb", "2002:7f00:1::")]
    [InlineData("https://[2002:a9fe:a9fe::]/pb", "2002:a9fe:a9fe::")]
    [InlineData("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/pb", "2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("https://[::ffff:0:127.0.0.1]/pb", "::ffff:0:127.0.0.1")]
    [InlineData("https://tracker.example:0/pb", "port 0")]
    [InlineData("https://tracker.example:8443/pb", "port 8443")]
    [InlineData("https://tracker.example:25/pb", "port 25")]
    public async Task RefusesUnsafeUrlsWhenARuleIsCreated(string url, string named)
    {
        await using var host = ForwardingHost.Create(o => (o.AllowHttp, o.AllowPrivateNetworks) = (false, false));

        var act = () => host.ProfileAsync(S2S, new { urlTemplate = url });

        var error = (await act.Should().ThrowAsync<InvalidDestinationSettingsException>()).Which.Errors.Single();
        error.Field.Should().Be("settings.urlTemplate");
        error.Message.Should().Contain(named);
    }

    [Fact]
    public async Task RefusesAGraphBaseUrlThatResolvesToLoopbackNamingTheSetting()
    {
        await using var host = ForwardingHost.Create(o => (o.AllowHttp, o.AllowPrivateNetworks) = (false, false));

        var act = () => host.ProfileAsync(FacebookConversionsDestination.DestinationId, new { pixelId = "1", accessToken = "token", graphBaseUrl = "https://localhost:8443" });

        (await act.Should().ThrowAsync<InvalidDestinationSettingsException>()).Which.Errors.Single().Field.Should().Be("settings.graphBaseUrl");
    }

    [Fact]
    public async Task RefusesAHostWhoseDnsAnswerIsPrivate()
    {
        var policy = Policy(allowPrivate: false, resolve: _ => [IPAddress.Parse("203.0.113.9"), IPAddress.Parse("10.0.0.8")]);

        var check = await policy.CheckUrlAsync(new Uri("https://tracker.example/pb"));

        check.IsAllowed.Should().BeFalse();
        check.Problem.Should().Contain("tracker.example").And.Contain("10.0.0.8");
    }

    [Fact]
    public async Task AllowsAHostWhoseDnsAnswerIsPublic()
    {
        var policy = Policy(allowPrivate: false, resolve: _ => [IPAddress.Parse("203.0.113.9")]);

        (await policy.CheckUrlAsync(new Uri("https://tracker.example/pb"))).Should().Be(OutboundUrlCheck.Allowed);
    }

    [Fact]
    public async Task AllowsLoopbackAndHttpWhenTheOptionsSaySo()
    {
        await using var host = ForwardingHost.Create(o => (o.AllowHttp, o.AllowPrivateNetworks) = (true, true));

        var profile = await host.ProfileAsync(S2S, new { urlTemplate = "http://127.0.0.1:9/pb" });

        profile.Endpoints.Single().Url.Should().Be(new Uri("http://127.0.0.1:9/"));
    }

    [Fact]
    public async Task RefusesAtConnectTimeAHostThatResolvesToLoopback()
    {
        await using var fake = await FakeDestination.StartAsync();
        await using var host = ForwardingHost.Create(
            o =>
            {
                (o.AllowHttp, o.AllowPrivateNetworks) = (true, false);
                o.AllowedPorts.Add(new Uri(fake.BaseUrl).Port);
            },
            services => services.AddSingleton(sp => new OutboundUrlPolicy(
                sp.GetRequiredService<IOptionsMonitor<ForwardingOptions>>(), (_, _) => Task.FromResult(new[] { IPAddress.Loopback }))));

        // Created directly from the destination, as a dispatcher does for a stored rule: no creation-time DNS check.
        var profile = Unchecked(host, $"http://tracker.test:{new Uri(fake.BaseUrl).Port}/pb");
        var outcome = (await host.SendAsync(profile, S2S, ForwardingHost.Message("c1"))).Single();

        outcome.Status.Should().Be(DeliveryStatus.DeadLetter);
        outcome.ErrorCode.Should().Be(DeliveryErrorCodes.AddressForbidden);
        outcome.Reason.Should().Contain("tracker.test").And.Contain("127.0.0.1");
        fake.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task RefusesAtSendTimeALoopbackHostBeforeConnecting(string hostName)
    {
        await using var fake = await FakeDestination.StartAsync();
        await using var host = ForwardingHost.Create(o =>
        {
            (o.AllowHttp, o.AllowPrivateNetworks) = (true, false);
            o.AllowedPorts.Add(new Uri(fake.BaseUrl).Port);
        });

        var profile = Unchecked(host, $"http://{hostName}:{new Uri(fake.BaseUrl).Port}/pb");
        var outcome = (await host.SendAsync(profile, S2S, ForwardingHost.Message("c1"))).Single();

        outcome.Status.Should().Be(DeliveryStatus.DeadLetter);
        outcome.ErrorCode.Should().Be(DeliveryErrorCodes.AddressForbidden);
        outcome.Reason.Should().Contain("loopback");
        fake.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task RefusesAtSendTimeHttpWhenOnlyHttpsIsAllowed()
    {
        await using var fake = await FakeDestination.StartAsync();
        await using var host = ForwardingHost.Create(o => (o.AllowHttp, o.AllowPrivateNetworks) = (false, true));

        var profile = Unchecked(host, fake.BaseUrl + "/pb");
        var outcome = (await host.SendAsync(profile, S2S, ForwardingHost.Message("c1"))).Single();

        outcome.ErrorCode.Should().Be(DeliveryErrorCodes.UrlForbidden);
        outcome.Reason.Should().Contain("https");
        fake.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task RefusesAHostRepointedToLoopbackAfterTheRuleWasCreated()
    {
        // DNS rebinding: public when the rule is checked, loopback when the request connects.
        var answers = new Queue<IPAddress[]>([[IPAddress.Parse("203.0.113.9")], [IPAddress.Loopback]]);
        await using var fake = await FakeDestination.StartAsync();
        var policy = Policy(allowPrivate: false, resolve: _ => answers.Dequeue(), allowHttp: true, ports: [new Uri(fake.BaseUrl).Port]);
        (await policy.CheckUrlAsync(new Uri("http://rebind.example/pb"))).IsAllowed.Should().BeTrue();
        using var client = new HttpClient(policy.CreateHandler());

        var send = () => client.GetAsync(new Uri($"http://rebind.example:{new Uri(fake.BaseUrl).Port}/pb"));

        var refused = (await send.Should().ThrowAsync<HttpRequestException>()).Which.InnerException.Should().BeOfType<OutboundRequestRefusedException>().Subject;
        refused.ErrorCode.Should().Be(DeliveryErrorCodes.AddressForbidden);
        refused.Message.Should().Contain("127.0.0.1");
        fake.Requests.Should().BeEmpty();
    }

    public static TheoryData<string> TransitionAddresses => new()
    {
        "64:ff9b:1::7f00:1",
        "2002:7f00:1::",
        "2002:a9fe:a9fe::",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "::ffff:0:127.0.0.1",
    };

    // Called as the connect callback calls it, so that no test (nor a run before the fix) sends a packet off this host.
    [Theory]
    [MemberData(nameof(TransitionAddresses))]
    public async Task RefusesAtConnectTimeAHostThatResolvesToATransitionAddress(string address)
    {
        var policy = Policy(allowPrivate: false, resolve: _ => [IPAddress.Parse(address)]);

        var connect = () => policy.ResolveForConnectAsync("tracker.example", 443, CancellationToken.None).AsTask();

        var refused = (await connect.Should().ThrowAsync<OutboundRequestRefusedException>()).Which;
        refused.ErrorCode.Should().Be(DeliveryErrorCodes.AddressForbidden);
        refused.Message.Should().Contain(IPAddress.Parse(address).ToString());
    }

    [Theory]
    [MemberData(nameof(TransitionAddresses))]
    public async Task RefusesAtConnectTimeALiteralTransitionAddress(string address)
    {
        var policy = Policy(allowPrivate: false, resolve: _ => throw new InvalidOperationException("A literal address is not resolved."));

        var connect = () => policy.ResolveForConnectAsync($"[{address}]", 443, CancellationToken.None).AsTask();

        (await connect.Should().ThrowAsync<OutboundRequestRefusedException>()).Which.ErrorCode.Should().Be(DeliveryErrorCodes.AddressForbidden);
    }

    [Theory]
    [MemberData(nameof(TransitionAddresses))]
    public async Task AllowsTransitionAddressesWhenPrivateNetworksAreAllowed(string address)
    {
        var policy = Policy(allowPrivate: true, resolve: _ => [IPAddress.Parse(address)]);

        (await policy.ResolveForConnectAsync("tracker.example", 443, CancellationToken.None)).Should().Equal(IPAddress.Parse(address));
        (await policy.CheckUrlAsync(new Uri($"https://[{address}]/pb"))).Should().Be(OutboundUrlCheck.Allowed);
    }

    [Theory]
    [InlineData("https://tracker.example/pb", false, false, null, true)]
    [InlineData("https://tracker.example:443/pb", false, false, null, true)]
    [InlineData("http://tracker.example/pb", true, false, null, true)]
    [InlineData("https://tracker.example:80/pb", false, false, null, false)]
    [InlineData("https://tracker.example:8443/pb", false, false, null, false)]
    [InlineData("https://tracker.example:8443/pb", false, false, 8443, true)]
    [InlineData("http://tracker.example:8080/pb", true, false, 8443, false)]
    [InlineData("https://tracker.example:0/pb", false, false, null, false)]
    [InlineData("http://127.0.0.1:5090/pb", true, true, null, true)]
    [InlineData("http://127.0.0.1:0/pb", true, true, null, false)]
    public async Task CheckUrlAsync_Port_IsAllowedWhenHttpsHttpListedOrPrivate(string url, bool allowHttp, bool allowPrivate, int? listed, bool allowed)
    {
        var policy = Policy(allowPrivate, resolve: _ => [IPAddress.Parse("203.0.113.9")], allowHttp, listed is { } port ? [port] : []);

        var check = await policy.CheckUrlAsync(new Uri(url));

        check.IsAllowed.Should().Be(allowed, check.Problem);
        if (!allowed)
        {
            check.Problem.Should().Contain("port " + new Uri(url).Port);
            check.ErrorCode.Should().Be(DeliveryErrorCodes.AddressForbidden);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RefusesPortZeroAtConnectTimeEvenWhenPrivateNetworksAreAllowed(bool allowPrivate)
    {
        var policy = Policy(allowPrivate, resolve: _ => [IPAddress.Parse("203.0.113.9")]);

        var connect = () => policy.ResolveForConnectAsync("tracker.example", 0, CancellationToken.None).AsTask();

        var refused = (await connect.Should().ThrowAsync<OutboundRequestRefusedException>()).Which;
        refused.ErrorCode.Should().Be(DeliveryErrorCodes.AddressForbidden);
        refused.Message.Should().Contain("port 0");
    }

    [Fact]
    public async Task RefusesAtConnectTimeAPortThatIsNotListed()
    {
        var policy = Policy(allowPrivate: false, resolve: _ => [IPAddress.Parse("203.0.113.9")], ports: [8443]);

        (await policy.ResolveForConnectAsync("tracker.example", 8443, CancellationToken.None)).Should().ContainSingle();
        var connect = () => policy.ResolveForConnectAsync("tracker.example", 6379, CancellationToken.None).AsTask();

        (await connect.Should().ThrowAsync<OutboundRequestRefusedException>()).Which.Message.Should().Contain("port 6379");
    }

    [Fact]
    public async Task PortZeroIsDeadLetteredAsAForbiddenAddressWithoutConnecting()
    {
        await using var host = ForwardingHost.Create(o => (o.AllowHttp, o.AllowPrivateNetworks) = (true, true));

        var outcome = (await host.SendAsync(Unchecked(host, "http://127.0.0.1:0/pb"), S2S, ForwardingHost.Message("c1"))).Single();

        outcome.Status.Should().Be(DeliveryStatus.DeadLetter);
        outcome.ErrorCode.Should().Be(DeliveryErrorCodes.AddressForbidden);
        outcome.Reason.Should().Contain("port 0");
    }

    [Fact]
    public async Task ConnectsToTheAddressItCheckedWhenPrivateNetworksAreAllowed()
    {
        var policy = Policy(allowPrivate: true, resolve: _ => [IPAddress.Loopback], allowHttp: true);
        await using var fake = await FakeDestination.StartAsync();
        using var client = new HttpClient(policy.CreateHandler());

        using var response = await client.GetAsync(new Uri($"http://tracker.test:{new Uri(fake.BaseUrl).Port}/pb"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        fake.Requests.Single().Headers["Host"].Should().StartWith("tracker.test:");
    }

    [Theory]
    [InlineData("http://127.0.0.1:0/pb?cid={{click.id}}", true)]
    [InlineData("https://[2002:7f00:1::]/pb?cid={{click.id}}", false)]
    [InlineData("https://[::ffff:0:127.0.0.1]/pb", false)]
    [InlineData("https://tracker.example:8443/pb", false)]
    public async Task AStoredRuleTheNewPolicyRefuses_IsDeadLetteredAtSendTimeAsAForbiddenAddress(string url, bool allowPrivate)
    {
        await using var scenario = OutboxScenario.Create(o => (o.AllowHttp, o.AllowPrivateNetworks) = (true, allowPrivate));
        var set = await scenario.CreateSetAsync();
        await StoreRuleAsync(scenario.Store.ForwardingRules, "stored-before-upgrade", HttpPostbackDestination.DestinationId, new { urlTemplate = url }, set.Id);
        var result = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());

        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(1);

        var message = await scenario.MessageAsync(result.ConversionId!);
        message.Status.Should().Be(OutboxMessageStatus.DeadLettered, message.LastError);
        message.LastErrorCode.Should().Be(DeliveryErrorCodes.AddressForbidden);
    }

    [Fact]
    public async Task StoredRulesTheNewPolicyRefuses_AreNamedInOneWarningAtStartup()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
        builder.Logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging();
        builder.Services.AddChatterfyPostbacks().UseInMemoryStore().AddForwarding(o => o.Dispatcher.Enabled = false);
        using var host = builder.Build();
        var store = host.Services.GetRequiredService<ForwardingRuleStore>();
        await StoreRuleAsync(store, "rule-6to4", S2S, new { urlTemplate = "https://[2002:7f00:1::]/pb" });
        await StoreRuleAsync(store, "rule-port-zero", S2S, new { urlTemplate = "https://tracker.example:0/pb" });
        await StoreRuleAsync(store, "rule-fine", S2S, new { urlTemplate = "https://tracker.example/pb" });
        await StoreRuleAsync(store, "rule-nat64-local", FacebookConversionsDestination.DestinationId, new { pixelId = "1", accessToken = "token", graphBaseUrl = "https://[64:ff9b:1::7f00:1]" });
        var logs = host.Services.GetFakeLogCollector();

        await host.StartAsync();
        await OutboxScenario.EventuallyAsync(
            () => Task.FromResult(logs.GetSnapshot().Any(r => r.Level == LogLevel.Warning && r.Message.Contains("rule-6to4", StringComparison.Ordinal))),
            "the stored rules are checked at startup");
        await host.StopAsync();

        var warning = logs.GetSnapshot().Where(r => r.Message.Contains("rule-", StringComparison.Ordinal)).Should().ContainSingle().Subject;
        warning.Level.Should().Be(LogLevel.Warning);
        warning.Message.Should().Contain("rule-6to4").And.Contain("rule-port-zero").And.Contain("rule-nat64-local").And.NotContain("rule-fine");
    }

    [Fact]
    public void CreateHandler_NeverBypassesCertificateValidationNorFollowsRedirects()
    {
        using var handler = Policy(allowPrivate: false, resolve: _ => []).CreateHandler();

        handler.SslOptions.RemoteCertificateValidationCallback.Should().BeNull();
        handler.AllowAutoRedirect.Should().BeFalse();
        handler.UseProxy.Should().BeFalse();
        handler.ConnectCallback.Should().NotBeNull();
    }

    private static async Task StoreRuleAsync(ForwardingRuleStore store, string id, string destinationId, object settings, string setId = "set-1") =>
        await store.AddAsync(
            new ForwardingRule { Id = id, SetId = setId, DestinationId = destinationId, Settings = JsonSerializer.SerializeToElement(settings), CreatedAt = ForwardingHost.Now },
            CancellationToken.None);

    private static DestinationProfile Unchecked(ForwardingHost host, string url) =>
        host.Registry.Destinations.OfType<HttpPostbackDestination>().Single().CreateProfile(JsonSerializer.SerializeToElement(new { urlTemplate = url }));

    private static OutboundUrlPolicy Policy(bool allowPrivate, Func<string, IPAddress[]> resolve, bool allowHttp = false, int[]? ports = null)
    {
        var services = new ServiceCollection();
        services.AddOptions<ForwardingOptions>().Configure(o =>
        {
            (o.AllowHttp, o.AllowPrivateNetworks) = (allowHttp, allowPrivate);
            foreach (var port in ports ?? [])
            {
                o.AllowedPorts.Add(port);
            }
        });
        var monitor = services.BuildServiceProvider().GetRequiredService<IOptionsMonitor<ForwardingOptions>>();
        return new OutboundUrlPolicy(monitor, (host, _) => Task.FromResult(resolve(host)));
    }
}
