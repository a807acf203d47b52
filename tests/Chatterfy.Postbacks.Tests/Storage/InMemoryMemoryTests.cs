using System.Net;
using System.Text;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Xunit.Abstractions;

namespace Chatterfy.Postbacks.Tests.Storage;

/// <summary>Runs alone: it measures the process's heap, which tests running beside it would change.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurement
{
    public const string Name = "memory measurement";
}

/// <summary>The in-memory store's documented bound on memory per stored postback (<see cref="InMemoryPostbackStorage.BytesPerConversion"/>).</summary>
[Collection(MemoryMeasurement.Name)]
public sealed class InMemoryMemoryTests(ITestOutputHelper output)
{
    private const int Warmup = 2_000;
    private const int Measured = 40_000;

    [Fact]
    public async Task StoredPostbacks_EachTakeAtMostTheDocumentedBytesBeyondTheirTexts()
    {
        var store = InMemoryPostbackStorage.Create();
        var setId = Guid.CreateVersion7().ToString("N");
        for (var i = 0; i < Warmup; i++)
        {
            await store.Ingest.AppendAsync([Postback(setId, i)], CancellationToken.None);
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        long texts = 0;
        for (var i = Warmup; i < Warmup + Measured; i++)
        {
            var record = Postback(setId, i);
            texts += TextBytes(record);
            await store.Ingest.AppendAsync([record], CancellationToken.None);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(store);

        var perPostback = (double)(after - before) / Measured;
        var beyondTexts = perPostback - ((double)texts / Measured);
        output.WriteLine($"{perPostback:F0} bytes per stored postback, {(double)texts / Measured:F0} of them texts, {beyondTexts:F0} beyond them");
        beyondTexts.Should().BeLessThanOrEqualTo(InMemoryPostbackStorage.BytesPerConversion);
    }

    /// <summary>A first deposit as the ingestor makes it for a Binomo postback: SDK ids, a permanent key, one attribute.</summary>
    private static IngestRecord Postback(string setId, int n)
    {
        var clickId = "c" + n.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
        var conversionId = Guid.CreateVersion7().ToString("N");
        var receivedAt = StoreData.Epoch.AddMilliseconds(n);
        return new IngestRecord
        {
            Conversion = new ConversionRecord
            {
                Id = conversionId,
                Attribution = ConversionAttribution.Credited,
                CampaignId = "spring",
                Conversion = new Conversion
                {
                    SetId = setId,
                    Event = PostbackEvent.FirstDeposit,
                    ClickId = clickId,
                    Amount = 30m,
                    Currency = "USD",
                    TransactionId = "77" + n,
                    Attributes = new Dictionary<string, string> { ["user_id"] = "1234567" },
                    ReceivedAt = receivedAt,
                    RemoteAddress = IPAddress.Parse("203.0.113.7"),
                    IdempotencyKey = new IdempotencyKey($"{setId}:first-deposit:{clickId}", null),
                },
            },
            LogEntry = new PostbackLogEntry
            {
                Id = Guid.CreateVersion7().ToString("N"),
                ReceivedAt = receivedAt,
                SetId = setId,
                Outcome = PostbackOutcome.Accepted,
                ConversionId = conversionId,
                Request = new PostbackRequest
                {
                    Method = "GET",
                    Path = "/api/postbacks/Zz9Zz9Zz9Zz9Zz9Zz9Zz9A/first-deposit",
                    EventSegment = "first-deposit",
                    QueryString = $"?click_id={clickId}&ftd=true&amount=30&transaction_id=77{n}&user_id=1234567",
                    RemoteAddress = IPAddress.Parse("203.0.113.7"),
                },
            },
        };
    }

    /// <summary>The UTF-8 length of the texts <see cref="InMemoryPostbackStorage.BytesPerConversion"/> does not include.</summary>
    private static long TextBytes(IngestRecord record)
    {
        var conversion = record.Conversion!.Conversion;
        var request = record.LogEntry.Request;
        string?[] texts =
        [
            conversion.IdempotencyKey.Value, conversion.ClickId, conversion.TransactionId,
            .. conversion.Attributes.SelectMany(a => new[] { a.Key, a.Value }),
            request.Method, request.Path, request.EventSegment, request.QueryString, request.Body, request.ContentType,
            record.LogEntry.Code, .. record.LogEntry.Warnings,
        ];
        return texts.Sum(t => t is null ? 0 : Encoding.UTF8.GetByteCount(t));
    }
}
