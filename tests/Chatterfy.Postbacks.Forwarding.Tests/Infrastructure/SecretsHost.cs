using System.Text.Json;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;

/// <summary>
/// A generic host with forwarding on a store that outlives it (so a second host is a restart on the same data) and Data
/// Protection keys in a folder of the test's choosing. The dispatcher is driven by hand; the host's start runs the
/// start-up checks and the hosted services, as a real host's does.
/// </summary>
public sealed class SecretsHost : IAsyncDisposable
{
    private SecretsHost(IHost host) => Host = host;

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public PostbackStorage Store => Services.GetRequiredService<PostbackStorage>();

    public ForwardingRuleService Rules => Services.GetRequiredService<ForwardingRuleService>();

    public OutboxDispatcher Dispatcher => Services.GetRequiredService<OutboxDispatcher>();

    /// <summary>Builds and starts a host; <paramref name="protectSecrets"/> is set through configuration, as a host's appsettings would.</summary>
    public static async Task<SecretsHost> StartAsync(
        PostbackStorage store,
        bool protectSecrets,
        Action<IServiceCollection>? dataProtection = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postbacks:Forwarding:AllowHttp"] = "true",
            ["Postbacks:Forwarding:AllowPrivateNetworks"] = "true",
            ["Postbacks:Forwarding:Dispatcher:Enabled"] = "false",
            ["Postbacks:Forwarding:ProtectSecrets"] = protectSecrets ? "true" : "false",
        });
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(ForwardingHost.Now));
        builder.Services.AddChatterfyPostbacks().UseStorage(_ => store).AddForwarding(builder.Configuration.GetSection("Postbacks:Forwarding"));
        dataProtection?.Invoke(builder.Services);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new SecretsHost(host);
    }

    /// <summary>Data Protection with its key ring in <paramref name="keyFolder"/>, as the sample host configures it.</summary>
    public static Action<IServiceCollection> KeysIn(string keyFolder) => services =>
        services.AddDataProtection().SetApplicationName("chatterfy-secrets-tests").PersistKeysToFileSystem(new DirectoryInfo(keyFolder));

    public async Task<PostbackSet> CreateSetAsync() =>
        await Services.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = "Binomo", NetworkId = "binomo" });

    public async Task<ForwardingRule> FacebookRuleAsync(FakeDestination graph, string setId, string accessToken = Graph.AccessToken) =>
        await Rules.CreateAsync(new NewForwardingRule
        {
            SetId = setId,
            DestinationId = FacebookConversionsDestination.DestinationId,
            Settings = JsonSerializer.SerializeToElement(new { pixelId = Graph.PixelId, accessToken, graphBaseUrl = graph.BaseUrl }),
        });

    /// <summary>A first deposit on a new click with the data Meta matches on; returns the conversion id.</summary>
    public async Task<string> FirstDepositAsync(PostbackSet set)
    {
        var click = await Services.GetRequiredService<ClickService>().CreateAsync(new NewClick
        {
            CampaignId = "spring",
            SubjectId = "777000111",
            IpAddress = System.Net.IPAddress.Parse("203.0.113.7"),
            UserAgent = "Mozilla/5.0 (iPhone)",
        });
        var result = await Services.GetRequiredService<PostbackIngestor>().IngestAsync(
            set.Token, new PostbackRequest { QueryString = $"?click_id={click.Id}&ftd=true&amount=30&transaction_id={click.Id}" });
        result.Outcome.Should().Be(PostbackOutcome.Accepted);
        return result.ConversionId!;
    }

    public async Task<OutboxMessage> MessageAsync(string conversionId) =>
        (await Store.Outbox.ListAsync(new OutboxQuery { ConversionId = conversionId }, default)).Should().ContainSingle().Subject;

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
