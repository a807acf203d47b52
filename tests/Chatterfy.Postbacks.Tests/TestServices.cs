using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Tests;

/// <summary>A real service provider with the in-memory store and a fake clock, as a host would build it.</summary>
internal sealed class TestServices : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    public TestServices(Action<ChatterfyPostbacksOptions>? configure = null, Action<IChatterfyPostbacksBuilder>? build = null, PostbackStorage? sharedStore = null, FakeTimeProvider? sharedTime = null)
    {
        Time = sharedTime ?? new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        var builder = services.AddChatterfyPostbacks(o =>
        {
            o.PublicBaseUrl = "https://pb.example.com";
            configure?.Invoke(o);
        }).UseInMemoryStore();
        if (sharedStore is not null)
        {
            builder.UseStorage(_ => sharedStore);
        }

        build?.Invoke(builder);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Time { get; }

    public PostbackSetService Sets => _provider.GetRequiredService<PostbackSetService>();

    public ClickService Clicks => _provider.GetRequiredService<ClickService>();

    public PostbackParser Parser => _provider.GetRequiredService<PostbackParser>();

    public PostbackIngestor Ingestor => _provider.GetRequiredService<PostbackIngestor>();

    public PostbackStorage Store => _provider.GetRequiredService<PostbackStorage>();

    public IAffiliateNetworkRegistry Networks => _provider.GetRequiredService<IAffiliateNetworkRegistry>();

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public void Dispose() => _provider.Dispose();
}
