using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Forwarding.HttpPostback;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
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
    public void IsPrivateOrReserved_ForbiddenRanges_AreRefused(string address) =>
        OutboundUrlPolicy.IsPrivateOrReserved(IPAddress.Parse(address)).Should().BeTrue();

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("31.13.72.36")]
    [InlineData("2a03:2880:f10c:83:face:b00c:0:25de")]
    [InlineData("::ffff:8.8.8.8")]
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
            o => (o.AllowHttp, o.AllowPrivateNetworks) = (true, false),
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
        await using var host = ForwardingHost.Create(o => (o.AllowHttp, o.AllowPrivateNetworks) = (true, false));

        var profile = Unchecked(host, $"http://{hostName}:{new Uri(fake.BaseUrl).Port}/pb");
        var outcome = (await host.SendAsync(profile, S2S, ForwardingHost.Message("c1"))).Single();

        outcome.Status.Should().Be(DeliveryStatus.DeadLetter);
        outcome.ErrorCode.Should().Be(DeliveryErrorCodes.UrlForbidden);
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
        var policy = Policy(allowPrivate: false, resolve: _ => answers.Dequeue(), allowHttp: true);
        (await policy.CheckUrlAsync(new Uri("http://rebind.example/pb"))).IsAllowed.Should().BeTrue();
        await using var fake = await FakeDestination.StartAsync();
        using var client = new HttpClient(policy.CreateHandler());

        var send = () => client.GetAsync(new Uri($"http://rebind.example:{new Uri(fake.BaseUrl).Port}/pb"));

        var refused = (await send.Should().ThrowAsync<HttpRequestException>()).Which.InnerException.Should().BeOfType<OutboundRequestRefusedException>().Subject;
        refused.ErrorCode.Should().Be(DeliveryErrorCodes.AddressForbidden);
        refused.Message.Should().Contain("127.0.0.1");
        fake.Requests.Should().BeEmpty();
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

    [Fact]
    public void CreateHandler_NeverBypassesCertificateValidationNorFollowsRedirects()
    {
        using var handler = Policy(allowPrivate: false, resolve: _ => []).CreateHandler();

        handler.SslOptions.RemoteCertificateValidationCallback.Should().BeNull();
        handler.AllowAutoRedirect.Should().BeFalse();
        handler.UseProxy.Should().BeFalse();
        handler.ConnectCallback.Should().NotBeNull();
    }

    private static DestinationProfile Unchecked(ForwardingHost host, string url) =>
        host.Registry.Destinations.OfType<HttpPostbackDestination>().Single().CreateProfile(JsonSerializer.SerializeToElement(new { urlTemplate = url }));

    private static OutboundUrlPolicy Policy(bool allowPrivate, Func<string, IPAddress[]> resolve, bool allowHttp = false)
    {
        var services = new ServiceCollection();
        services.AddOptions<ForwardingOptions>().Configure(o => (o.AllowHttp, o.AllowPrivateNetworks) = (allowHttp, allowPrivate));
        var monitor = services.BuildServiceProvider().GetRequiredService<IOptionsMonitor<ForwardingOptions>>();
        return new OutboundUrlPolicy(monitor, (host, _) => Task.FromResult(resolve(host)));
    }
}
