using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.AspNetCore.Diagnostics;

/// <summary>The receiver's meter instruments and activity source. One instance per service provider.</summary>
internal sealed class PostbackTelemetry
{
    public const string OutcomeNotFound = "not_found";
    public const string OutcomeTooLarge = "too_large";
    public const string OutcomeUnavailable = "unavailable";
    public const string NetworkUnknown = "unknown";
    public const string EventNone = "none";

    private static readonly string? Version = typeof(PostbackTelemetry).Assembly.GetName().Version?.ToString();

    // Mapping twice (two prefixes, or the tests' hosts) must not create the instruments twice for one provider.
    private static readonly ConditionalWeakTable<IServiceProvider, PostbackTelemetry> PerProvider = [];

    private static readonly Lazy<Meter> FallbackMeter = new(() => new Meter(ChatterfyPostbacksTelemetry.MeterName, Version));

    private readonly Counter<long> _received;
    private readonly Histogram<double> _duration;

    private PostbackTelemetry(Meter meter)
    {
        _received = meter.CreateCounter<long>(
            ChatterfyPostbacksTelemetry.ReceivedCounterName,
            unit: "{postback}",
            description: "Postbacks answered by the receiver, by outcome, network and event kind.");
        _duration = meter.CreateHistogram(
            ChatterfyPostbacksTelemetry.IngestDurationHistogramName,
            unit: "s",
            description: "Time ingestion took for a postback: token lookup, parsing, attribution and the store's commit.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    public static ActivitySource ActivitySource { get; } = new(ChatterfyPostbacksTelemetry.ActivitySourceName, Version);

    public static PostbackTelemetry For(IServiceProvider services) =>
        PerProvider.GetValue(services, static sp =>
        {
            var factory = sp.GetService<IMeterFactory>();
            var meter = factory?.Create(new MeterOptions(ChatterfyPostbacksTelemetry.MeterName) { Version = Version }) ?? FallbackMeter.Value;
            return new PostbackTelemetry(meter);
        });

    public void Record(string outcome, string network, string eventTag, TimeSpan? elapsed)
    {
        _received.Add(
            1,
            new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("network", network),
            new KeyValuePair<string, object?>("event", eventTag));
        if (elapsed is { } duration)
        {
            _duration.Record(
                duration.TotalSeconds,
                new KeyValuePair<string, object?>("outcome", outcome),
                new KeyValuePair<string, object?>("network", network));
        }
    }

    public static string OutcomeTag(PostbackOutcome outcome) => StoredWords.Of(outcome);

    /// <summary>The bounded event tag: the parsed event's kind, else the kind named by the path, else <c>none</c>.</summary>
    public static string EventTag(PostbackIngestionResult? result, string? eventSegment)
    {
        if (result?.Conversion is { } conversion)
        {
            return KindTag(conversion.Event.Kind);
        }

        if (eventSegment is not null
            && !eventSegment.Equals(PostbackParser.TrackerPostbackSegment, StringComparison.OrdinalIgnoreCase)
            && PostbackEvent.TryParse(eventSegment, out var pathEvent))
        {
            return KindTag(pathEvent.Kind);
        }

        return EventNone;
    }

    private static string KindTag(PostbackEventKind kind) => StoredWords.Of(kind);
}
