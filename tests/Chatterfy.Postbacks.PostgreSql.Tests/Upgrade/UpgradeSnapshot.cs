using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Upgrade;

/// <summary>
/// Writes what a store holds as lines of text, one per object, through the SDK's own types: every value of every member,
/// in an invariant spelling (times in UTC round-trip form, amounts with their scale, dictionaries sorted by key). The store
/// of commit 62809e0 wrote <c>upgrade-62809e0.expected.txt</c> with this same code when it made the dump; the upgrade test
/// writes the new store's view of the restored dump with it and compares the two.
/// </summary>
internal static class UpgradeSnapshot
{
    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Of(PostbackSet? set) => set is null
        ? "set (none)"
        : $"set id={Q(set.Id)} name={Q(set.Name)} network={Q(set.NetworkId)} campaign={Q(set.CampaignId)} token={Q(set.Token)} settings={J(set.Settings)} createdAt={T(set.CreatedAt)} enabled={B(set.Enabled)}";

    public static string Of(Campaign campaign) =>
        $"campaign id={Q(campaign.Id)} name={Q(campaign.Name)} destination={Q(campaign.DestinationTemplate)} createdAt={T(campaign.CreatedAt)}";

    public static string Of(Click? click) => click is null
        ? "click (none)"
        : $"click id={Q(click.Id)} campaign={Q(click.CampaignId)} subject={Q(click.SubjectId)} fbclid={Q(click.Fbclid)} fbc={Q(click.Fbc)} fbp={Q(click.Fbp)} ip={A(click.IpAddress)} userAgent={Q(click.UserAgent)} url={Q(click.EventSourceUrl)} createdAt={T(click.CreatedAt)} fields={D(click.Fields)}";

    public static string Of(ConversionRecord? record)
    {
        if (record is null)
        {
            return "conversion (none)";
        }

        var c = record.Conversion;
        return $"conversion id={Q(record.Id)} attribution={record.Attribution} campaign={Q(record.CampaignId)} set={Q(c.SetId)} event={c.Event.Kind}/{Q(c.Event.Name)} click={Q(c.ClickId)} amount={M(c.Amount)} currency={Q(c.Currency)} tid={Q(c.TransactionId)} attributes={D(c.Attributes)} receivedAt={T(c.ReceivedAt)} remote={A(c.RemoteAddress)} key={Q(c.IdempotencyKey.Value)} window={S(c.IdempotencyKey.Window)}";
    }

    public static string Of(PostbackLogEntry? entry)
    {
        if (entry is null)
        {
            return "log (none)";
        }

        var r = entry.Request;
        return $"log id={Q(entry.Id)} receivedAt={T(entry.ReceivedAt)} set={Q(entry.SetId)} outcome={entry.Outcome} code={Q(entry.Code)} warnings=[{string.Join(",", entry.Warnings.Select(Q))}] conversion={Q(entry.ConversionId)} method={Q(r.Method)} path={Q(r.Path)} segment={Q(r.EventSegment)} query={Q(r.QueryString)} body={Q(r.Body)} contentType={Q(r.ContentType)} remote={A(r.RemoteAddress)}";
    }

    public static string Of(ForwardingRule rule) =>
        $"rule id={Q(rule.Id)} name={Q(rule.Name)} set={Q(rule.SetId)} campaign={Q(rule.CampaignId)} destination={Q(rule.DestinationId)} settings={rule.Settings.GetRawText()} createdAt={T(rule.CreatedAt)}";

    public static string Of(OutboxMessage? message) => message is null
        ? "message (none)"
        : $"message id={Q(message.Id)} conversion={Q(message.ConversionId)} rule={Q(message.RuleId)} destination={Q(message.DestinationId)} createdAt={T(message.CreatedAt)} status={message.Status} next={T(message.NextAttemptAt)} retryFrom={T(message.RetryFrom)} attempts={message.AttemptCount} lastErrorCode={Q(message.LastErrorCode)} lastError={Q(message.LastError)} completedAt={T(message.CompletedAt)} lease={Q(message.LeaseId)} leaseExpiresAt={T(message.LeaseExpiresAt)}";

    public static string Of(OutboxAttempt attempt)
    {
        var e = attempt.DestinationError;
        var error = e is null ? "null" : $"{{code={Q(e.Code)} subcode={Q(e.Subcode)} type={Q(e.Type)} message={Q(e.Message)} trace={Q(e.TraceId)} transient={B(e.IsTransient)}}}";
        return $"attempt message={Q(attempt.MessageId)} number={attempt.Number.ToString(CultureInfo.InvariantCulture)} startedAt={T(attempt.StartedAt)} duration={S(attempt.Duration)} status={attempt.Status} http={attempt.HttpStatusCode?.ToString(CultureInfo.InvariantCulture) ?? "null"} errorCode={Q(attempt.ErrorCode)} reason={Q(attempt.Reason)} excerpt={Q(attempt.ResponseExcerpt)} destinationError={error}";
    }

    public static string Of(string name, PostbackStats? stats)
    {
        if (stats is null)
        {
            return $"stats {name} (none)";
        }

        var amounts = string.Join(",", stats.Amounts.Select(a => $"{Q(a.Currency)}:{M(a.FirstDeposits)}/{M(a.Deposits)}"));
        return $"stats {name} clicks={N(stats.Clicks)} registrations={N(stats.Registrations)} firstDeposits={N(stats.FirstDeposits)} deposits={N(stats.Deposits)} unattributed={N(stats.Unattributed)} rejected={N(stats.Rejected)} amounts=[{amounts}]";
    }

    private static string Q(string? value) => value is null ? "null" : JsonSerializer.Serialize(value, Quoting);

    private static string B(bool value) => value ? "true" : "false";

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string T(DateTimeOffset? value) =>
        value is { } time ? time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture) : "null";

    private static string S(TimeSpan? value) => value is { } span ? span.ToString("c", CultureInfo.InvariantCulture) : "null";

    private static string M(decimal? value) => value is { } amount ? amount.ToString(CultureInfo.InvariantCulture) : "null";

    private static string A(IPAddress? address) => address?.ToString() ?? "null";

    private static string J(JsonElement? element) => element is { } json ? json.GetRawText() : "null";

    private static string D(IReadOnlyDictionary<string, string> values)
    {
        var text = new StringBuilder("{");
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(text.Length > 1 ? "," : "").Append(Q(key)).Append(':').Append(Q(value));
        }

        return text.Append('}').ToString();
    }
}
