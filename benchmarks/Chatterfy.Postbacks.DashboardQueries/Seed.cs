using System.Globalization;
using System.Net;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.DashboardQueries;

/// <summary>
/// The benchmark's data, the same on every store and every run (a fixed random seed): 3 sets (two scoped to campaigns
/// <c>camp-a</c> and <c>camp-b</c>, one shared), 200,000 clicks, and 1,000,000 conversions received over 30 days with their
/// log entries, plus 60,000 rejected and 40,000 duplicate log entries. Written through the store contract as the real
/// path writes it: sets and clicks one by one, postbacks with <see cref="IngestStore.AppendAsync"/> in batches.
/// </summary>
internal static class Seed
{
    /// <summary>Changes whenever what is seeded changes, so cached data is seeded again.</summary>
    public const int Version = 1;

    public const int Conversions = 1_000_000;
    public const int ClickCount = 200_000;
    public const int BatchSize = 1_000;

    public static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Span = TimeSpan.FromDays(30);

    public static readonly string[] Currencies = ["USD", "EUR", "BRL", "INR"];
    public static readonly string[] Campaigns = ["camp-a", "camp-b"];

    // Rejections as networks send them: mostly unsubstituted macros and missing click ids.
    private static readonly string[] RejectionCodes =
    [
        PostbackRejectionCodes.MacroNotSubstituted, PostbackRejectionCodes.MacroNotSubstituted, PostbackRejectionCodes.ClickIdMissing,
        PostbackRejectionCodes.AmountInvalid, PostbackRejectionCodes.EventUnknown, PostbackRejectionCodes.AmountAmbiguous,
    ];

    /// <summary>Set 0 is scoped to camp-a, set 1 to camp-b, set 2 to no campaign.</summary>
    public static string SetId(int index) => "set-bench-" + index.ToString(CultureInfo.InvariantCulture);

    public static async Task WriteAsync(PostbackStorage storage, Action<string> progress)
    {
        for (var s = 0; s < 3; s++)
        {
            await storage.Sets.AddAsync(
                new PostbackSet
                {
                    Id = SetId(s),
                    Name = "Bench " + s.ToString(CultureInfo.InvariantCulture),
                    NetworkId = s == 1 ? "binomo" : "1win",
                    CampaignId = s < 2 ? Campaigns[s] : null,
                    Token = "tok-bench-" + s.ToString(CultureInfo.InvariantCulture) + "-0123456789abcdef",
                    CreatedAt = Start.AddDays(-1),
                },
                CancellationToken.None);
        }

        // Clicks one by one, as ClickService adds them (each with the credit of late attribution), 16 at a time.
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (int k; (k = Interlocked.Increment(ref next)) < ClickCount;)
            {
                var click = Click(k);
                await storage.Clicks.AddAsync(click, new ConversionCredit { CampaignIds = [null, click.CampaignId], NewCampaignId = click.CampaignId }, CancellationToken.None);
                if (k % 50_000 == 0)
                {
                    progress($"clicks {k:N0}");
                }
            }
        })));

        var random = new Random(42);
        var batch = new List<IngestRecord>(BatchSize + 200);
        var recent = new ConversionRecord[64];
        for (var i = 0; i < Conversions; i++)
        {
            var at = Start + (Span * ((i + 0.5) / Conversions));
            var conversion = Conversion(i, at, random);
            recent[i % recent.Length] = conversion;
            batch.Add(new IngestRecord
            {
                LogEntry = LogEntry(i, "c", at, conversion.Conversion.SetId, conversion.Attribution == ConversionAttribution.Credited ? PostbackOutcome.Accepted : PostbackOutcome.Unattributed, null) with
                {
                    ConversionId = conversion.Id,
                },
                Conversion = conversion,
                DuplicateRange = ReceivedRange.Always,
            });
            if (i % 25 == 7 && i > recent.Length)
            {
                // A network's retry of a recent postback: stored as a duplicate log entry only.
                var original = recent[random.Next(recent.Length)];
                var retry = original with { Id = Id("r", i), Conversion = original.Conversion with { ReceivedAt = at } };
                batch.Add(new IngestRecord
                {
                    LogEntry = LogEntry(i, "d", at, original.Conversion.SetId, PostbackOutcome.Accepted, null) with { ConversionId = retry.Id },
                    Conversion = retry,
                    DuplicateRange = ReceivedRange.Always,
                });
            }

            if (i % 50 < 3)
            {
                batch.Add(new IngestRecord { LogEntry = LogEntry(i, "x", at, SetId(random.Next(3)), PostbackOutcome.Rejected, RejectionCodes[random.Next(RejectionCodes.Length)]) });
            }

            if (batch.Count >= BatchSize || i == Conversions - 1)
            {
                await storage.Ingest.AppendAsync([.. batch], CancellationToken.None);
                batch.Clear();
                if ((i + 1) % 100_000 == 0)
                {
                    progress($"conversions {i + 1:N0}");
                }
            }
        }
    }

    private static Click Click(int k) => new()
    {
        Id = "k" + k.ToString("x9", CultureInfo.InvariantCulture),
        CampaignId = Campaigns[k % 2],
        SubjectId = "chat-" + k.ToString(CultureInfo.InvariantCulture),
        IpAddress = IPAddress.Parse("203.0.113.7"),
        UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)",
        CreatedAt = Start + (Span * ((k + 0.25) / ClickCount)),
        Fields = new Dictionary<string, string> { ["utm_source"] = "facebook" },
    };

    private static ConversionRecord Conversion(int i, DateTimeOffset at, Random random)
    {
        var set = i % 3;

        // 40 % registrations, 25 % first deposits, 35 % repeat deposits; 5 % unattributed (a click id no click has).
        var roll = random.Next(100);
        var kind = roll < 40 ? PostbackEvent.Registration : roll < 65 ? PostbackEvent.FirstDeposit : PostbackEvent.Deposit;
        var unattributed = random.Next(20) == 0;

        // A click created up to a few days before, of the set's campaign when the set is scoped.
        var k = Math.Clamp((int)((long)i * ClickCount / Conversions) - random.Next(3000), 0, ClickCount - 1);
        k = set switch { 0 => k & ~1, 1 => Math.Min(k | 1, ClickCount - 1), _ => k };
        var clickId = unattributed ? "u" + i.ToString("x9", CultureInfo.InvariantCulture) : "k" + k.ToString("x9", CultureInfo.InvariantCulture);
        decimal? amount = kind == PostbackEvent.Registration ? null : random.Next(500, 50_000) / 100m;
        var id = Id("v", i);
        return new ConversionRecord
        {
            Id = id,
            Attribution = unattributed ? ConversionAttribution.Unattributed : ConversionAttribution.Credited,
            CampaignId = unattributed ? null : Campaigns[k % 2],
            Conversion = new Conversion
            {
                SetId = SetId(set),
                Event = kind,
                ClickId = clickId,
                Amount = amount,
                Currency = amount is null ? null : Currencies[random.Next(Currencies.Length)],
                TransactionId = "tx" + i.ToString(CultureInfo.InvariantCulture),
                Attributes = new Dictionary<string, string> { ["country"] = "BR" },
                ReceivedAt = at,
                RemoteAddress = IPAddress.Parse("198.51.100.23"),
                IdempotencyKey = new IdempotencyKey($"{SetId(set)}:{kind.Name}:{clickId}:t:{i}", null),
            },
        };
    }

    private static PostbackLogEntry LogEntry(int i, string prefix, DateTimeOffset at, string setId, PostbackOutcome outcome, string? code) => new()
    {
        Id = Id(prefix, i),
        ReceivedAt = at,
        SetId = setId,
        Outcome = outcome,
        Code = code,
        Warnings = code == PostbackRejectionCodes.MacroNotSubstituted ? ["macro_not_substituted"] : [],
        Request = new PostbackRequest
        {
            Method = "GET",
            Path = "/api/postbacks/tok-bench-0123456789abcdef/deposit",
            EventSegment = "deposit",
            QueryString = "?clickid=k000012345&amount=25.50&tid=tx" + i.ToString(CultureInfo.InvariantCulture),
            RemoteAddress = IPAddress.Parse("198.51.100.23"),
        },
    };

    // Ids that sort by time, as the core's do (time first), unique per record.
    private static string Id(string prefix, int i) => i.ToString("d8", CultureInfo.InvariantCulture) + prefix + "0123456789abcdef01234";
}
