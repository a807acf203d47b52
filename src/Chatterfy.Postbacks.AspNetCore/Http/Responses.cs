using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.AspNetCore.Http;

/// <summary>Maps the core's records to the HTTP contract's bodies.</summary>
internal static class Responses
{
    public static string Outcome(PostbackOutcome outcome) => StoredWords.Of(outcome);

    public static bool TryParseOutcome(string value, out PostbackOutcome outcome)
    {
        foreach (var candidate in Enum.GetValues<PostbackOutcome>())
        {
            if (string.Equals(Outcome(candidate), value, StringComparison.OrdinalIgnoreCase))
            {
                outcome = candidate;
                return true;
            }
        }

        outcome = default;
        return false;
    }

    public static IReadOnlyList<WarningResponse> Warnings(IReadOnlyList<PostbackWarning> warnings)
    {
        // Most postbacks have none: the shared empty array, not one per response.
        if (warnings.Count == 0)
        {
            return [];
        }

        var result = new WarningResponse[warnings.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new WarningResponse(warnings[i].Code, warnings[i].Message, warnings[i].Field);
        }

        return result;
    }

    public static PostbackResultResponse Result(PostbackIngestionResult result) =>
        new(Outcome(result.Outcome), result.ConversionId, Warnings(result.Warnings), result.DepositNumber)
        {
            ConversionStatus = result.ConversionStatus is { } status ? ConversionStatusNames.Name(status) : null,
        };

    public static PostbackSetResponse Set(PostbackSet set, PostbackUrls urls) => new(
        set.Id,
        set.Name,
        set.NetworkId,
        set.CampaignId,
        set.Enabled,
        set.CreatedAt.UtcDateTime,
        set.Settings,
        new PostbackUrlsResponse(urls.Registration, urls.FirstDeposit, urls.Deposit, urls.Base),
        set.AttributionWindowSeconds,
        set.StatusMap?.Words.ToDictionary(w => ConversionStatusNames.Name(w.Key), w => w.Value));

    public static ClickResponse Click(Click click, IReadOnlyList<ConversionRecord>? conversions = null) => new(
        click.Id,
        click.CampaignId,
        click.SubjectId,
        click.Fbclid,
        click.Fbc,
        click.Fbp,
        click.IpAddress?.ToString(),
        click.UserAgent,
        click.EventSourceUrl,
        click.Fields,
        click.CreatedAt.UtcDateTime,
        conversions?.Select(Conversion).ToArray());

    public static ConversionResponse Conversion(ConversionRecord record) => new(
        record.Id,
        record.Conversion.Event.Name,
        record.Conversion.Amount,
        record.Conversion.Currency,
        record.Conversion.TransactionId,
        record.Conversion.ReceivedAt.UtcDateTime,
        record.Conversion.SetId,
        StoredWords.Of(record.Attribution),
        record.Conversion.ClickId,
        record.CampaignId,
        record.ReportingAmount is { } reporting ? new ReportingAmountResponse(reporting.Amount, reporting.Currency, reporting.Rate, reporting.RateDate) : null,
        record.DepositNumber)
    {
        Status = ConversionStatusNames.Name(record.Status),
        StatusWord = record.StatusWordUnknown ? record.StatusWord : null,
        History = [.. record.History.Select(h => new StatusChangeResponse(h.At.UtcDateTime, ConversionStatusNames.Name(h.From), ConversionStatusNames.Name(h.To), h.Word, h.LogEntryId))],
    };

    public static StatsResponse Stats(PostbackStats stats) => new(
        stats.Clicks,
        stats.Registrations,
        stats.FirstDeposits,
        stats.Deposits,
        stats.Unattributed,
        stats.Rejected,
        [.. stats.Amounts.Select(a => new AmountResponse(a.Currency, a.FirstDeposits, a.Deposits, a.Chargebacks))],
        stats.Reporting is { } reporting ? new ReportingStatsResponse(reporting.Currency, reporting.FirstDeposits, reporting.Deposits, reporting.Chargebacks) : null,
        RepeatDeposits(stats.RepeatDeposits),
        Statuses(stats.Statuses));

    public static DailyStatsResponse DailyStats(IReadOnlyList<PostbackDayStats> days) =>
        new([.. days.Select(d => new DayStatsResponse(d.Day, d.Clicks, d.Registrations, d.FirstDeposits, d.Deposits, RepeatDeposits(d.RepeatDeposits), Statuses(d.Statuses)))]);

    private static RepeatDepositsResponse RepeatDeposits(RepeatDepositCounts counts) => new(counts.Second, counts.Third, counts.FourthOrLater);

    private static StatusesResponse Statuses(StatusCounts counts) => new(counts.Pending, counts.Rejected, counts.Chargeback);

    public static PostbackLogItemResponse LogItem(PostbackLogEntry entry) => new(
        entry.Id,
        entry.ReceivedAt.UtcDateTime,
        entry.SetId,
        entry.Request.Method,
        entry.Request.Path,
        entry.Request.QueryString,
        entry.Request.Body,
        entry.Request.ContentType,
        entry.Request.RemoteAddress?.ToString(),
        Outcome(entry.Outcome),
        entry.Code,
        entry.Warnings,
        entry.ConversionId,
        entry.DepositNumber);
}
