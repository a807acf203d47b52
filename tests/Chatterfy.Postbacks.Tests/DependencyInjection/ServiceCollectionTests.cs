using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Tests.Samples;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Tests.DependencyInjection;

public sealed class ServiceCollectionTests
{
    [Fact]
    public void AddChatterfyPostbacks_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();

        services.AddChatterfyPostbacks();
        services.AddChatterfyPostbacks().UseInMemoryStore().UseInMemoryStore();

        services.Count(d => d.ServiceType == typeof(PostbackParser)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(AffiliateNetwork)).Should().Be(3);
        services.Count(d => d.ServiceType == typeof(PostbackStorage)).Should().Be(1);
    }

    [Fact]
    public void UseStorage_AfterAnotherStore_ReplacesItAndEachRoleIsTheNewStoresOwn()
    {
        var first = InMemoryPostbackStorage.Create();
        var second = InMemoryPostbackStorage.Create();
        using var provider = Build(s => s.AddChatterfyPostbacks().UseStorage(_ => first).UseStorage(_ => second));

        provider.GetRequiredService<PostbackStorage>().Should().BeSameAs(second);
        provider.GetRequiredService<PostbackSetStore>().Should().BeSameAs(second.Sets);
        provider.GetRequiredService<CampaignStore>().Should().BeSameAs(second.Campaigns);
        provider.GetRequiredService<ClickStore>().Should().BeSameAs(second.Clicks);
        provider.GetRequiredService<IngestStore>().Should().BeSameAs(second.Ingest);
        provider.GetRequiredService<PostbackLogStore>().Should().BeSameAs(second.Log);
        provider.GetRequiredService<OutboxStore>().Should().BeSameAs(second.Outbox);
        provider.GetRequiredService<ForwardingRuleStore>().Should().BeSameAs(second.ForwardingRules);
        provider.GetRequiredService<ReconciliationStore>().Should().BeSameAs(second.Reconciliations);
        provider.GetServices<IngestStore>().Should().ContainSingle();
    }

    [Fact]
    public void AddChatterfyPostbacks_InMemoryStore_PassesContainerValidationAndResolvesEveryService()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks(o => o.PublicBaseUrl = "https://pb.example.com").UseInMemoryStore();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var serviceTypes = services.Select(d => d.ServiceType).Where(t => !t.ContainsGenericParameters).Distinct().ToList();
        serviceTypes.Should().Contain(
        [
            typeof(IAffiliateNetworkRegistry), typeof(IClickIdGenerator), typeof(ClickService), typeof(CampaignService), typeof(PostbackStatsService),
            typeof(PostbackLogService), typeof(PostbackParser), typeof(PostbackIngestor), typeof(PostbackSetService), typeof(PostbackStorage),
        ]);
        foreach (var type in serviceTypes)
        {
            provider.GetServices(type).Should().NotBeEmpty("{0} is registered", type).And.NotContainNulls();
        }

        provider.GetRequiredService<PostbackIngestor>().Should().BeSameAs(provider.GetRequiredService<PostbackIngestor>());
    }

    [Fact]
    public void AddChatterfyPostbacks_RegistersItsServicesByType_ButThePublicServicesWhoseConstructorsTakeInternalTypes()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseInMemoryStore();

        // The store and its roles come from the factory passed to UseStorage; every other service of the package is built by DI.
        var store = typeof(PostbackStorage).GetProperties().Select(p => p.PropertyType).Append(typeof(PostbackStorage)).ToHashSet();
        var byFactory = services
            .Where(d => d.ImplementationFactory is not null && d.ServiceType.Assembly == typeof(PostbackIngestor).Assembly && !store.Contains(d.ServiceType))
            .Select(d => d.ServiceType);

        byFactory.Should().BeEquivalentTo([typeof(CampaignService), typeof(ClickService), typeof(PostbackIngestor), typeof(PostbackSetService), typeof(PostbackStatsService), typeof(ConversionService)]);
    }

    [Fact]
    public void AddChatterfyPostbacks_HostRegisteredTheRegistryFirst_TheHostsRegistrationWins()
    {
        var registry = new AffiliateNetworkRegistry([new AcmeNetwork()]);
        var services = new ServiceCollection();
        services.AddSingleton<IAffiliateNetworkRegistry>(registry);
        services.AddChatterfyPostbacks().UseInMemoryStore();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        provider.GetRequiredService<IAffiliateNetworkRegistry>().Should().BeSameAs(registry);
    }

    [Fact]
    public void AddChatterfyPostbacks_WithoutTimeProvider_UsesSystemClock()
    {
        using var provider = Build(s => s.AddChatterfyPostbacks().UseInMemoryStore());

        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(TimeProvider.System);
    }

    [Fact]
    public void AddChatterfyPostbacks_ConfigurationSection_BindsOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postbacks:PublicBaseUrl"] = "https://pb.example.com",
            ["Postbacks:ReceiverPathPrefix"] = "/pb",
            ["Postbacks:ClickIdLength"] = "16",
            ["Postbacks:DeduplicationWindow"] = "06:00:00",
        }).Build();

        using var provider = Build(s => s.AddChatterfyPostbacks(configuration.GetSection("Postbacks")).UseInMemoryStore());
        var options = provider.GetRequiredService<IOptions<ChatterfyPostbacksOptions>>().Value;

        options.PublicBaseUrl.Should().Be("https://pb.example.com");
        options.ReceiverPathPrefix.Should().Be("/pb");
        options.DeduplicationWindow.Should().Be(TimeSpan.FromHours(6));
        provider.GetRequiredService<IClickIdGenerator>().NewClickId().Should().HaveLength(16);
    }

    [Theory]
    [InlineData("ClickIdLength", "ClickIdLength")]
    [InlineData("ReceiverPathPrefix", "Postbacks:ReceiverPathPrefix")]
    [InlineData("PublicBaseUrl", "Postbacks:PublicBaseUrl")]
    [InlineData("DeduplicationWindow", "DeduplicationWindow")]
    public void StartupValidation_InvalidOption_FailsNamingIt(string option, string expectedInMessage)
    {
        using var provider = Build(s => s.AddChatterfyPostbacks(o =>
        {
            switch (option)
            {
                case "ClickIdLength": o.ClickIdLength = 4; break;
                case "ReceiverPathPrefix": o.ReceiverPathPrefix = "api/postbacks?x"; break;
                case "PublicBaseUrl": o.PublicBaseUrl = "pb.example.com"; break;
                default: o.DeduplicationWindow = TimeSpan.Zero; break;
            }
        }).UseInMemoryStore());

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().WithMessage($"*{expectedInMessage}*");
    }

    [Theory]
    [InlineData("ClickIdLength", "Postbacks:ClickIdLength must be from 8 to 32 (got 4).")]
    [InlineData("DeduplicationWindow", "Postbacks:DeduplicationWindow must be from 00:01:00 to 30.00:00:00 (got 00:00:00).")]
    [InlineData("SetCacheDuration", "Postbacks:SetCacheDuration must be from 00:00:00 to 00:10:00 (got 00:10:01).")]
    public void StartupValidation_OutOfRangeOption_FailsWithItsConfigurationPathAndValue(string option, string expected)
    {
        using var provider = Build(s => s.AddChatterfyPostbacks(o =>
        {
            switch (option)
            {
                case "ClickIdLength": o.ClickIdLength = 4; break;
                case "DeduplicationWindow": o.DeduplicationWindow = TimeSpan.Zero; break;
                default: o.SetCacheDuration = TimeSpan.FromSeconds(601); break;
            }
        }).UseInMemoryStore());

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(expected);
    }

    [Fact]
    public void StartupValidation_NoStore_FailsNamingTheUseCalls()
    {
        using var provider = Build(s => s.AddChatterfyPostbacks());

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().WithMessage("*UseInMemoryStore()*");
    }

    [Fact]
    public void StartupValidation_TwoNetworksWithOneId_FailsWithClearMessage()
    {
        using var provider = Build(s =>
        {
            s.AddChatterfyPostbacks().UseInMemoryStore().AddNetwork<AcmeNetwork>();
            s.AddSingleton<AffiliateNetwork>(new AcmeNetwork());
        });

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().WithMessage("*Two affiliate networks are registered with the id 'acme'*");
    }

    [Fact]
    public void StartupValidation_ValidConfiguration_Passes()
    {
        using var provider = Build(s => s.AddChatterfyPostbacks(o => o.PublicBaseUrl = "https://pb.example.com").UseInMemoryStore());

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().NotThrow();
    }

    private static ServiceProvider Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        return services.BuildServiceProvider();
    }
}
