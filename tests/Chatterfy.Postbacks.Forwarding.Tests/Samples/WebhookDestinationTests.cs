using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Forwarding.Tests.Samples;

/// <summary>The plugin path end to end: a destination written outside the SDK, registered, validated and sent through its client.</summary>
public sealed class WebhookDestinationTests
{
    private const string Key = "0123456789abcdef-signing-key";

    [Fact]
    public async Task APluginDestinationIsRegisteredValidatedAndSentThroughItsClient()
    {
        await using var receiver = await FakeDestination.StartAsync();
        await using var host = ForwardingHost.Create(services: s => s.AddChatterfyPostbacks().AddForwardingDestination<WebhookDestination>("webhook"));
        var profile = await host.ProfileAsync("webhook", new { url = receiver.BaseUrl + "/hooks/conversions", signingKey = Key });

        var outcome = (await host.SendAsync(profile, "webhook", ForwardingHost.Message("conv-9", amount: 25.5m))).Single();

        outcome.Status.Should().Be(DeliveryStatus.Delivered);
        var request = receiver.Requests.Single();
        request.Body.Should().Be("""{"id":"conv-9","event":"first-deposit","clickId":"67wgwWkaR0","amount":"25.5","currency":"USD"}""");
        request.Headers["X-Signature"].Should().Be("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.UTF8.GetBytes(request.Body))));
        request.Headers["User-Agent"].Should().StartWith("Chatterfy.Postbacks/");
    }

    [Fact]
    public async Task APluginDestinationsSettingsAndSecretsFollowTheSameRules()
    {
        await using var host = ForwardingHost.Create(services: s => s.AddChatterfyPostbacks().AddForwardingDestination<WebhookDestination>("webhook"));
        host.Registry.TryGetDestination("webhook", out var webhook).Should().BeTrue();

        var act = () => host.ProfileAsync("webhook", new { url = "https://hooks.example/c", signingKey = "short", extra = 1 });

        (await act.Should().ThrowAsync<InvalidDestinationSettingsException>()).Which.Errors.Single().Field.Should().Be("settings.extra");
        webhook!.MaskSecrets(JsonSerializer.SerializeToElement(new { url = "https://hooks.example/c", signingKey = Key })).GetRawText()
            .Should().Be("""{"url":"https://hooks.example/c","signingKey":"****-key"}""");
    }
}
