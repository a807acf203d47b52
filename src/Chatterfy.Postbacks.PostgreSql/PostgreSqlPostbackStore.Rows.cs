using System.Net;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Chatterfy.Postbacks.PostgreSql;

// Parameters, row mapping and WHERE clauses.
public sealed partial class PostgreSqlPostbackStore
{
    private const string ConversionColumns =
        "id, set_id, event_kind, event_name, click_id, amount, currency, transaction_id, attributes, received_at, remote_address, idempotency_key, idempotency_window, attribution, campaign_id";

    private const int ConversionParameterCount = 15;

    // The idempotency key's position among the conversion's parameters.
    private const int KeyParameter = 12;

    private const string LogColumns =
        "l.id, l.received_at, l.set_id, l.outcome, l.code, l.warnings, l.conversion_id, l.request_method, l.request_path, l.request_event_segment, l.request_query_string, l.request_body, l.request_content_type, l.request_remote_address";

    private const string LogInsertColumns =
        "id, received_at, set_id, code, warnings, request_method, request_path, request_event_segment, request_query_string, request_body, request_content_type, request_remote_address";

    private const int LogParameterCount = 12;

    private static List<NpgsqlParameter> ConversionParameters(ConversionRecord record)
    {
        var conversion = record.Conversion;
        return
        [
            Text(record.Id),
            Text(conversion.SetId),
            Text(KindText(conversion.Event.Kind)),
            Text(conversion.Event.Name),
            Text(conversion.ClickId),
            Param(NpgsqlDbType.Numeric, conversion.Amount),
            Text(conversion.Currency),
            Text(conversion.TransactionId),
            Jsonb(JsonText.FromDictionary(conversion.Attributes)),
            Time(conversion.ReceivedAt),
            Inet(conversion.RemoteAddress),
            Text(conversion.IdempotencyKey.Value),
            Param(NpgsqlDbType.Interval, conversion.IdempotencyKey.Window),
            Text(record.Attribution == ConversionAttribution.Credited ? "credited" : "unattributed"),
            Text(record.CampaignId),
        ];
    }

    private static List<NpgsqlParameter> LogParameters(PostbackLogEntry entry)
    {
        var request = entry.Request;
        var warnings = new string[entry.Warnings.Count];
        for (var i = 0; i < warnings.Length; i++)
        {
            warnings[i] = Clean(entry.Warnings[i]);
        }

        return
        [
            Text(entry.Id),
            Time(entry.ReceivedAt),
            Text(entry.SetId),
            Text(entry.Code),
            Param(NpgsqlDbType.Array | NpgsqlDbType.Text, warnings),
            Text(request.Method),
            Text(request.Path),
            Text(request.EventSegment),
            Text(request.QueryString),
            Text(request.Body),
            Text(request.ContentType),
            Inet(request.RemoteAddress),
        ];
    }

    private static PostbackSet ReadSet(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetString(1),
        NetworkId = reader.GetString(2),
        CampaignId = NullableString(reader, 3),
        Token = reader.GetString(4),
        Settings = reader.IsDBNull(5) ? null : JsonText.ToElement(reader.GetString(5)),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(6),
        Enabled = reader.GetBoolean(7),
    };

    private static Click ReadClick(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        CampaignId = NullableString(reader, 1),
        SubjectId = NullableString(reader, 2),
        Fbclid = NullableString(reader, 3),
        Fbc = NullableString(reader, 4),
        Fbp = NullableString(reader, 5),
        IpAddress = reader.IsDBNull(6) ? null : reader.GetFieldValue<IPAddress>(6),
        UserAgent = NullableString(reader, 7),
        EventSourceUrl = NullableString(reader, 8),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(9),
        Fields = JsonText.ToDictionary(reader.GetString(10)),
    };

    private static ConversionRecord ReadConversion(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Conversion = new Conversion
        {
            SetId = reader.GetString(1),
            Event = ParseEvent(reader.GetString(2), reader.GetString(3)),
            ClickId = reader.GetString(4),
            Amount = reader.IsDBNull(5) ? null : reader.GetDecimal(5),
            Currency = NullableString(reader, 6),
            TransactionId = NullableString(reader, 7),
            Attributes = JsonText.ToDictionary(reader.GetString(8)),
            ReceivedAt = reader.GetFieldValue<DateTimeOffset>(9),
            RemoteAddress = reader.IsDBNull(10) ? null : reader.GetFieldValue<IPAddress>(10),
            IdempotencyKey = new IdempotencyKey(reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetFieldValue<TimeSpan>(12)),
        },
        Attribution = reader.GetString(13) == "credited" ? ConversionAttribution.Credited : ConversionAttribution.Unattributed,
        CampaignId = NullableString(reader, 14),
    };

    private static PostbackLogEntry ReadLogEntry(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        ReceivedAt = reader.GetFieldValue<DateTimeOffset>(1),
        SetId = reader.GetString(2),
        Outcome = ParseOutcome(reader.GetString(3)),
        Code = NullableString(reader, 4),
        Warnings = Array.AsReadOnly(reader.GetFieldValue<string[]>(5)),
        ConversionId = NullableString(reader, 6),
        Request = new PostbackRequest
        {
            Method = reader.GetString(7),
            Path = reader.GetString(8),
            EventSegment = NullableString(reader, 9),
            QueryString = reader.GetString(10),
            Body = NullableString(reader, 11),
            ContentType = NullableString(reader, 12),
            RemoteAddress = reader.IsDBNull(13) ? null : reader.GetFieldValue<IPAddress>(13),
        },
    };

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string KindText(PostbackEventKind kind) => kind switch
    {
        PostbackEventKind.Registration => "registration",
        PostbackEventKind.FirstDeposit => "first_deposit",
        PostbackEventKind.Deposit => "deposit",
        PostbackEventKind.Custom => "custom",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown event kind."),
    };

    private static PostbackEvent ParseEvent(string kind, string name) => kind switch
    {
        "registration" => PostbackEvent.Registration,
        "first_deposit" => PostbackEvent.FirstDeposit,
        "deposit" => PostbackEvent.Deposit,
        _ when PostbackEvent.TryParse(name, out var custom) && custom.Kind == PostbackEventKind.Custom => custom,
        _ => throw new InvalidOperationException($"The stored event '{kind}' / '{name}' is not a valid event."),
    };

    private static string OutcomeText(PostbackOutcome outcome) => outcome switch
    {
        PostbackOutcome.Accepted => "accepted",
        PostbackOutcome.Duplicate => "duplicate",
        PostbackOutcome.Unattributed => "unattributed",
        PostbackOutcome.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown outcome."),
    };

    private static PostbackOutcome ParseOutcome(string outcome) => outcome switch
    {
        "accepted" => PostbackOutcome.Accepted,
        "duplicate" => PostbackOutcome.Duplicate,
        "unattributed" => PostbackOutcome.Unattributed,
        "rejected" => PostbackOutcome.Rejected,
        _ => throw new InvalidOperationException($"The stored outcome '{outcome}' is not valid."),
    };

    // ------------------------------------------------------------- filters

    private static Filter TimeFilter(PostbackStatsQuery query, string column)
    {
        var filter = new Filter();
        if (query.From is { } from)
        {
            filter.Add(column + " >= {0}", Time(from));
        }

        if (query.To is { } to)
        {
            filter.Add(column + " < {0}", Time(to));
        }

        return filter;
    }

    private static Filter ConversionFilter(PostbackStatsQuery query)
    {
        var filter = TimeFilter(query, "c.received_at");
        if (query.SetId is not null)
        {
            filter.Add("c.set_id = {0}", Text(query.SetId));
        }

        if (query.CampaignId is not null)
        {
            filter.Add("c.campaign_id = {0}", Text(query.CampaignId));
        }

        return filter;
    }

    /// <summary>A WHERE clause with positional parameters, built from optional conditions.</summary>
    private sealed class Filter
    {
        private readonly List<string> _conditions = [];

        public List<NpgsqlParameter> Parameters { get; } = [];

        public string Where => _conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", _conditions);

        /// <summary>Adds a condition; <c>{0}</c> in it stands for the parameter's placeholder.</summary>
        public void Add(string condition, NpgsqlParameter parameter) =>
            _conditions.Add(condition.Replace("{0}", Next(parameter), StringComparison.Ordinal));

        public void Add(string condition) => _conditions.Add(condition);

        /// <summary>Adds a parameter and returns its placeholder.</summary>
        public string Next(NpgsqlParameter parameter)
        {
            Parameters.Add(parameter);
            return "$" + Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
