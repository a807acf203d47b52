using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Forwarding.HttpPostback;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Chatterfy.Postbacks.Ingestion;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task AddForwarding_RegistersTheBuiltInDestinationsOnceEvenWhenCalledTwice()
    {
        var services = new ServiceCollection();
        var builder = services.AddChatterfyPostbacks().UseInMemoryStore();
        builder.AddForwarding();
        builder.AddForwarding();
        builder.AddFacebookConversions();
        await using var provider = services.BuildServiceProvider();

        var registry = provider.GetRequiredService<IForwardingDestinationRegistry>();

        registry.Destinations.Select(d => d.Id).Should().Equal(
            FacebookConversionsDestination.DestinationId, HttpPostbackDestination.DestinationId, Chatterfy.Postbacks.Forwarding.Reactions.SignedWebhookDestination.DestinationId);
        registry.TryGetDestination("FACEBOOK-CAPI", out var facebook).Should().BeTrue();
        facebook.Should().BeOfType<FacebookConversionsDestination>();
        registry.CreateHttpClient(HttpPostbackDestination.DestinationId).Should().NotBeNull();
        provider.GetRequiredService<IOptionsMonitor<ForwardingOptions>>().CurrentValue.AllowHttp.Should().BeFalse();
    }

    [Fact]
    public async Task AddForwarding_InMemoryStore_PassesContainerValidationAndResolvesEveryService()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks(o => o.PublicBaseUrl = "https://pb.example.com").UseInMemoryStore().AddForwarding();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var registrations = services.Where(d => !d.ServiceType.ContainsGenericParameters).Select(d => (d.ServiceType, d.ServiceKey)).Distinct().ToList();
        registrations.Select(r => r.ServiceType).Should().Contain(
        [
            typeof(OutboundUrlPolicy), typeof(IForwardingDestinationRegistry), typeof(RetrySchedule), typeof(ForwardingRuleService),
            typeof(OutboxService), typeof(OutboxDispatcher), typeof(ForwardingDestination), typeof(IngestionHook), typeof(IHostedService),
        ]);
        foreach (var (type, key) in registrations)
        {
            var resolved = key is null ? provider.GetServices(type) : provider.GetKeyedServices(type, key);
            resolved.Should().NotBeEmpty("{0} is registered", type).And.NotContainNulls();
        }

        provider.GetServices<IngestionHook>().Should().ContainSingle(h => h is ForwardingIngestionHook);
        provider.GetRequiredService<IForwardingDestinationRegistry>().CreateHttpClient(HttpPostbackDestination.DestinationId).Should().NotBeNull();
    }

    [Fact]
    public void AddForwarding_RegistersItsServicesByType_ButThePublicServicesWhoseConstructorsTakeInternalTypes()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseInMemoryStore().AddForwarding();

        var byFactory = services
            .Where(d => d.ImplementationFactory is not null && d.ServiceType.Assembly == typeof(ForwardingRuleService).Assembly)
            .Select(d => d.ServiceType);

        byFactory.Should().BeEquivalentTo([typeof(ForwardingRuleService), typeof(OutboxDispatcher)]);
    }

    [Fact]
    public async Task AddFacebookConversions_ReturnsTheClientBuilderToConfigureFurther()
    {
        var services = new ServiceCollection();
        var clientBuilder = services.AddChatterfyPostbacks().UseInMemoryStore().AddFacebookConversions();
        clientBuilder.ConfigureHttpClient(c => c.DefaultRequestHeaders.Add("X-Host", "configured"));
        await using var provider = services.BuildServiceProvider();

        clientBuilder.Name.Should().Be("Chatterfy.Postbacks.Forwarding.facebook-capi");
        provider.GetRequiredService<IForwardingDestinationRegistry>().CreateHttpClient("facebook-capi").DefaultRequestHeaders.GetValues("X-Host").Should().Equal("configured");
    }

    [Fact]
    public async Task ReplacingThePrimaryHandlerWithOneThatSkipsTheChecks_IsRefused()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseInMemoryStore().AddHttpPostbackForwarding()
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IForwardingDestinationRegistry>().CreateHttpClient(HttpPostbackDestination.DestinationId);

        act.Should().Throw<InvalidOperationException>().WithMessage("*OutboundUrlPolicy.CreateHandler()*");
    }

    [Fact]
    public async Task TwoDestinationsWithOneId_FailAtStartupWithAClearMessage()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseInMemoryStore().AddForwarding().AddForwardingDestination<ImpostorDestination>("facebook-capi");
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<ForwardingOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*Two forwarding destinations are registered with the id 'facebook-capi'*ImpostorDestination*");
        var registry = () => provider.GetRequiredService<IForwardingDestinationRegistry>();
        registry.Should().Throw<InvalidOperationException>().WithMessage("*'facebook-capi'*unique*");
    }

    [Fact]
    public async Task ADestinationRegisteredUnderAnotherId_FailsAtStartup()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseInMemoryStore().AddForwardingDestination<ImpostorDestination>("impostor");
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<ForwardingOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*reports the id 'facebook-capi' but was registered as 'impostor'*");
    }

    [Fact]
    public async Task InvalidOptions_FailAtStartupNamingTheOptionPath()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseInMemoryStore().AddForwarding(o =>
        {
            o.AttemptTimeout = TimeSpan.Zero;
            o.CircuitBreakerFailureRatio = 2;
            o.Retry.MaxDelay = TimeSpan.FromSeconds(1);
            o.AllowedPorts.Add(0);
        });
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<ForwardingOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Contain(f => f.StartsWith("Postbacks:Forwarding:AttemptTimeout", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Postbacks:Forwarding:CircuitBreakerFailureRatio", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Postbacks:Forwarding:Retry:MaxDelay", StringComparison.Ordinal))
            .And.Contain("Postbacks:Forwarding:AllowedPorts must list ports between 1 and 65535 (got 0).");
    }

    [Fact]
    public async Task AddForwarding_BindsOptionsFromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postbacks:Forwarding:AllowHttp"] = "true",
            ["Postbacks:Forwarding:Retry:Horizon"] = "12:00:00",
            ["Postbacks:Forwarding:AllowedPorts:0"] = "8443",
            ["Postbacks:Forwarding:AllowedPorts:1"] = "9443",
        }).Build();
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseInMemoryStore().AddForwarding(configuration.GetSection("Postbacks:Forwarding"));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ForwardingOptions>>().Value;

        options.AllowHttp.Should().BeTrue();
        options.Retry.Horizon.Should().Be(TimeSpan.FromHours(12));
        options.AllowedPorts.Should().Equal(8443, 9443);
        provider.GetRequiredService<RetrySchedule>().NextAttemptAt(ForwardingHost.Now, 1, ForwardingHost.Now.AddHours(12)).Should().BeNull();
    }

    [Fact]
    public async Task CreateProfileAsync_UnknownDestination_NamesTheRegisteredOnes()
    {
        await using var host = ForwardingHost.Create();

        var act = () => host.ProfileAsync("google-ads", new { });

        (await act.Should().ThrowAsync<InvalidDestinationSettingsException>()).Which.Errors.Single().Should().Be(
            new DestinationSettingsError("destination", "'google-ads' is not a registered forwarding destination; registered: facebook-capi, http-postback, signed-webhook."));
    }

    private sealed class ImpostorDestination : ForwardingDestination
    {
        public override string Id => "facebook-capi";

        public override string DisplayName => "Impostor";

        public override DestinationProfile CreateProfile(System.Text.Json.JsonElement settings) => throw new NotSupportedException();
    }
}
