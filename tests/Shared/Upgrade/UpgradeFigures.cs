using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Tests.Upgrade;

/// <summary>
/// A conversion an upgrade test writes as an earlier version stored it (received <see cref="Hours"/> after
/// <see cref="UpgradeFigures.T0"/>), for the stats upgrade tests of every store.
/// </summary>
internal sealed record StoredConversion(
    string Id, string SetId, string Event, string ClickId, int Hours, decimal? Amount, string? Currency, string Attribution, string? CampaignId, int? Number, decimal? ReportingAmount, string Status = "approved")
{
    public DateTimeOffset ReceivedAt => UpgradeFigures.T0.AddHours(Hours);

    public bool Credited => Attribution == "credited";

    public bool Matches(PostbackStatsQuery query) =>
        (query.From is null || ReceivedAt >= query.From) && (query.To is null || ReceivedAt < query.To)
        && (query.SetId is null || SetId == query.SetId) && (query.CampaignId is null || CampaignId == query.CampaignId);
}

/// <summary>The queries the stats upgrade tests ask, and the figures a brute-force count over the stored conversions gives.</summary>
internal static class UpgradeFigures
{
    /// <summary>The day the stored conversions start on (UTC midnight).</summary>
    public static readonly DateTimeOffset T0 = new(2026, 10, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Whole days, partial days and both, with and without a campaign filter.</summary>
    public static IEnumerable<PostbackStatsQuery> Queries()
    {
        (DateTimeOffset? From, DateTimeOffset? To)[] ranges =
        [
            (null, null),
            (T0, T0.AddDays(1)),
            (T0.AddDays(1), T0.AddDays(3)),
            (T0.AddHours(3), T0.AddHours(27)),
            (T0.AddHours(4), null),
            (null, T0.AddHours(29)),
        ];
        foreach (var (from, to) in ranges)
        {
            yield return new PostbackStatsQuery { From = from, To = to };
            yield return new PostbackStatsQuery { From = from, To = to, CampaignId = "spring" };
            yield return new PostbackStatsQuery { From = from, To = to, CampaignId = "autumn" };
        }
    }

    /// <summary>The figures of a query counted one by one: approved conversions counted and summed, the others by status.</summary>
    public static PostbackStats BruteForce(IReadOnlyList<StoredConversion> conversions, PostbackStatsQuery query)
    {
        var all = conversions.Where(c => c.Matches(query) && c.Credited).ToList();
        var credited = all.Where(c => c.Status == "approved").ToList();
        return new PostbackStats
        {
            Statuses = new StatusCounts(all.Count(c => c.Status == "pending"), all.Count(c => c.Status == "rejected"), all.Count(c => c.Status == "chargeback")),
            Registrations = credited.Count(c => c.Event == "registration"),
            FirstDeposits = credited.Count(c => c.Event == "first-deposit"),
            Deposits = credited.Count(c => c.Event == "deposit"),
            Unattributed = conversions.Count(c => c.Matches(query) && !c.Credited),
            Amounts =
            [
                .. all.Where(c => c.Currency is not null).GroupBy(c => c.Currency!).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new CurrencyAmounts(
                        g.Key,
                        g.Where(c => c.Status == "approved" && c.Event == "first-deposit").Sum(c => c.Amount ?? 0m),
                        g.Where(c => c.Status == "approved" && c.Event == "deposit").Sum(c => c.Amount ?? 0m))
                    {
                        Chargebacks = g.Where(c => c.Status == "chargeback").Sum(c => c.Amount ?? 0m),
                    }),
            ],
            RepeatDeposits = new RepeatDepositCounts(
                credited.Count(c => c.Number == 2),
                credited.Count(c => c.Number == 3),
                credited.Count(c => c.Number >= 4)),
        };
    }
}
