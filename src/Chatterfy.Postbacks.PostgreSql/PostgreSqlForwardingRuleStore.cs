using System.Text.Json;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;
using Npgsql;
using NpgsqlTypes;
using static Chatterfy.Postbacks.PostgreSql.PostgreSqlValues;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>
/// Forwarding rules in PostgreSQL. Settings are <c>text</c>, not <c>jsonb</c>: they come back exactly as given (they may
/// hold secrets and are handed to the destination byte for byte).
/// </summary>
internal sealed class PostgreSqlForwardingRuleStore(PostgreSqlPostbackStore db) : ForwardingRuleStore
{
    private const string Columns = "id, name, set_id, campaign_id, destination_id, settings, created_at, filter_events, filter_deposit_number_min, filter_deposit_number_max, filter_statuses";

    private readonly string _s = db.QuotedSchema;

    protected override async ValueTask AddCoreAsync(ForwardingRule rule, CancellationToken cancellationToken)
    {
        // The exact text given (GetRawText throws for an undefined element).
        var settings = rule.Settings.GetRawText();
        await db.NonQueryAsync(
            $"INSERT INTO {_s}.forwarding_rules ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            [Text(rule.Id), Text(rule.Name), Text(rule.SetId), Text(rule.CampaignId), Text(rule.DestinationId), Text(settings), Time(rule.CreatedAt),
             rule.Filter.Events is { } events ? TextArray(events) : Param(NpgsqlDbType.Array | NpgsqlDbType.Text, null),
             Param(NpgsqlDbType.Integer, rule.Filter.DepositNumber?.Min), Param(NpgsqlDbType.Integer, rule.Filter.DepositNumber?.Max),
             rule.Filter.Statuses is { } statuses ? TextArray(statuses) : Param(NpgsqlDbType.Array | NpgsqlDbType.Text, null)],
            cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask<ForwardingRule?> GetCoreAsync(string ruleId, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync($"SELECT {Columns} FROM {_s}.forwarding_rules WHERE id = $1", Read, [Text(ruleId)], cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<IReadOnlyList<ForwardingRule>> ListCoreAsync(CancellationToken cancellationToken) =>
        await db.QueryListAsync($"SELECT {Columns} FROM {_s}.forwarding_rules ORDER BY created_at, id", Read, [], cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<bool> UpdateSettingsCoreAsync(string ruleId, JsonElement settings, CancellationToken cancellationToken) =>
        await db.NonQueryAsync(
            $"UPDATE {_s}.forwarding_rules SET settings = $2 WHERE id = $1",
            [Text(ruleId), Text(settings.GetRawText())],
            cancellationToken).ConfigureAwait(false) > 0;

    protected override async ValueTask<bool> DeleteCoreAsync(string ruleId, CancellationToken cancellationToken) =>
        await db.NonQueryAsync($"DELETE FROM {_s}.forwarding_rules WHERE id = $1", [Text(ruleId)], cancellationToken).ConfigureAwait(false) > 0;

    private static ForwardingRule Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = NullableString(reader, 1),
        SetId = NullableString(reader, 2),
        CampaignId = NullableString(reader, 3),
        DestinationId = reader.GetString(4),
        Settings = PostgreSqlJsonText.ToElement(reader.GetString(5)),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(6),
        Filter = new ForwardingRuleFilter
        {
            Events = reader.IsDBNull(7) ? null : reader.GetFieldValue<string[]>(7).AsReadOnly(),
            DepositNumber = reader.IsDBNull(8) && reader.IsDBNull(9) ? null : new DepositNumberRange
            {
                Min = reader.IsDBNull(8) ? null : reader.GetInt32(8),
                Max = reader.IsDBNull(9) ? null : reader.GetInt32(9),
            },
            Statuses = reader.IsDBNull(10) ? null : reader.GetFieldValue<string[]>(10).AsReadOnly(),
        },
    };
}
