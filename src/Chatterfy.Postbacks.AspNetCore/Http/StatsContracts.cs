using System.Text.Json.Serialization;

namespace Chatterfy.Postbacks.AspNetCore.Http;

// Stats (/stats and /stats/daily, docs/http-api.md). Internal: the JSON is the contract, not these types.

internal sealed record StatsResponse(
    long Clicks,
    long Registrations,
    long FirstDeposits,
    long Deposits,
    long Unattributed,
    long Rejected,
    IReadOnlyList<AmountResponse> Amounts,
    ReportingStatsResponse? Reporting,
    RepeatDepositsResponse RepeatDeposits,
    StatusesResponse Statuses);

internal sealed record AmountResponse(string Currency, decimal FirstDeposits, decimal Deposits, decimal Chargebacks);

internal sealed record ReportingStatsResponse(string Currency, decimal FirstDeposits, decimal Deposits, decimal Chargebacks);

internal sealed record DailyStatsResponse(IReadOnlyList<DayStatsResponse> Days);

internal sealed record DayStatsResponse(DateOnly Day, long Clicks, long Registrations, long FirstDeposits, long Deposits, RepeatDepositsResponse RepeatDeposits, StatusesResponse Statuses);

// Credited conversions that are not approved, by status: {"pending": n, "rejected": n, "chargeback": n} (PostbackStats.Statuses).
internal sealed record StatusesResponse(long Pending, long Rejected, long Chargeback);

// Credited deposits by deposit number: {"2": n, "3": n, "4+": n} (PostbackStats.RepeatDeposits).
internal sealed record RepeatDepositsResponse(
    [property: JsonPropertyName("2")] long Second,
    [property: JsonPropertyName("3")] long Third,
    [property: JsonPropertyName("4+")] long FourthOrLater);
