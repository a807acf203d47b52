using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;

/// <summary>The SDK with forwarding on a service provider, a fake clock, and helpers to make conversions and clicks.</summary>
public sealed class ForwardingHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    private ForwardingHost(ServiceProvider provider, FakeTimeProvider time)
    {
        Provider = provider;
        Time = time;
    }

    public ServiceProvider Provider { get; }

    public FakeTimeProvider Time { get; }

    public IForwardingDestinationRegistry Registry => Provider.GetRequiredService<IForwardingDestinationRegistry>();

    /// <summary>Creates a host; by default http and loopback are allowed, because the fakes listen on http://127.0.0.1.</summary>
    public static ForwardingHost Create(Action<ForwardingOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var time = new FakeTimeProvider(Now);
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(time);
        collection.AddChatterfyPostbacks().UseInMemoryStore().AddForwarding(o =>
        {
            o.AllowHttp = true;
            o.AllowPrivateNetworks = true;
            configure?.Invoke(o);
        });
        services?.Invoke(collection);
        return new ForwardingHost(collection.BuildServiceProvider(), time);
    }

    public async Task<DestinationProfile> ProfileAsync(string destinationId, object settings) =>
        await Registry.CreateProfileAsync(destinationId, JsonSerializer.SerializeToElement(settings));

    public async Task<IReadOnlyList<DeliveryOutcome>> SendAsync(DestinationProfile profile, string destinationId, params ForwardedConversion[] batch) =>
        await profile.SendAsync(batch, Registry.CreateHttpClient(destinationId), CancellationToken.None);

    public static ForwardedConversion Message(
        string conversionId,
        PostbackEvent? conversionEvent = null,
        decimal? amount = null,
        string? currency = null,
        DateTimeOffset? receivedAt = null,
        Click? click = null,
        string clickId = "67wgwWkaR0",
        string? transactionId = null,
        IReadOnlyDictionary<string, string>? attributes = null,
        int attempt = 1) => new()
        {
            MessageId = "msg-" + conversionId,
            Attempt = attempt,
            Click = click,
            Conversion = new ConversionRecord
            {
                Id = conversionId,
                Attribution = click is null ? ConversionAttribution.Unattributed : ConversionAttribution.Credited,
                CampaignId = click?.CampaignId,
                Conversion = new Conversion
                {
                    SetId = "set-1",
                    Event = conversionEvent ?? PostbackEvent.FirstDeposit,
                    ClickId = click?.Id ?? clickId,
                    Amount = amount,
                    Currency = currency ?? (amount is null ? null : "USD"),
                    TransactionId = transactionId,
                    Attributes = attributes ?? new Dictionary<string, string>(),
                    ReceivedAt = receivedAt ?? Now.AddMinutes(-5),
                    IdempotencyKey = new IdempotencyKey("key-" + conversionId, null),
                },
            },
        };

    public static Click BrowserClick(string id = "67wgwWkaR0") => new()
    {
        Id = id,
        CampaignId = "spring",
        SubjectId = "  777000111  ",
        Fbclid = "IwAR2xYz_fbclid-value",
        Fbp = "fb.1.1741953600000.1234567890",
        IpAddress = IPAddress.Parse("203.0.113.7"),
        UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        EventSourceUrl = "https://prelander.example/offer?utm_source=fb&ad=spring+sale",
        CreatedAt = Now.AddHours(-2),
        Fields = new Dictionary<string, string> { ["utm_source"] = "fb", ["ad_name"] = "Spring Sale #1" },
    };

    /// <summary>A loopback port with nothing listening: connections are refused at once.</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync() => await Provider.DisposeAsync();
}
