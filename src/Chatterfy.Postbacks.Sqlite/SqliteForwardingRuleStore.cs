using System.Text.Json;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// Forwarding rules in <c>forwarding_rules</c>, settings (secrets included) as the exact JSON text given. A deleted rule's
/// row is removed; its outbox messages stay.
/// </summary>
/// <param name="database">The store whose connection and writer it uses.</param>
internal sealed class SqliteForwardingRuleStore(SqlitePostbackStore database) : ForwardingRuleStore
{
    private const string RuleColumns = "id, name, set_id, campaign_id, destination_id, settings, created_at, filter_events, filter_deposit_number_min, filter_deposit_number_max, filter_statuses";

    /// <inheritdoc />
    protected override async ValueTask AddCoreAsync(ForwardingRule rule, CancellationToken cancellationToken)
    {
        var id = rule.Id;
        var name = rule.Name;
        var setId = rule.SetId;
        var campaignId = rule.CampaignId;
        var destinationId = rule.DestinationId;
        var settings = rule.Settings.GetRawText();
        var createdAt = SqliteValues.ToDb(rule.CreatedAt);
        var events = rule.Filter.Events is { } names ? SqliteValues.ToJson(names) : null;
        var depositNumberMin = rule.Filter.DepositNumber?.Min;
        var depositNumberMax = rule.Filter.DepositNumber?.Max;
        var statuses = rule.Filter.Statuses is { } statusNames ? SqliteValues.ToJson(statusNames) : null;

        await database.WriteAsync(
            session =>
            {
                if (SqliteSetStore.Exists(session, "SELECT 1 FROM forwarding_rules WHERE id = $value", id))
                {
                    throw new InvalidOperationException($"A forwarding rule with id '{id}' exists.");
                }

                var insert = session.Command($"""
                    INSERT INTO forwarding_rules ({RuleColumns})
                    VALUES ($id, $name, $set_id, $campaign_id, $destination_id, $settings, $created_at, $filter_events, $filter_deposit_number_min, $filter_deposit_number_max, $filter_statuses)
                    """);
                insert.Parameters.AddValue("$id", id);
                insert.Parameters.AddValue("$name", name);
                insert.Parameters.AddValue("$set_id", setId);
                insert.Parameters.AddValue("$campaign_id", campaignId);
                insert.Parameters.AddValue("$destination_id", destinationId);
                insert.Parameters.AddValue("$settings", settings);
                insert.Parameters.AddValue("$created_at", createdAt);
                insert.Parameters.AddValue("$filter_events", events);
                insert.Parameters.AddValue("$filter_deposit_number_min", depositNumberMin);
                insert.Parameters.AddValue("$filter_deposit_number_max", depositNumberMax);
                insert.Parameters.AddValue("$filter_statuses", statuses);
                insert.ExecuteNonQuery();
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override ValueTask<ForwardingRule?> GetCoreAsync(string ruleId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, _) =>
            {
                using var command = SqlitePostbackStore.Command(connection, $"SELECT {RuleColumns} FROM forwarding_rules WHERE id = $id");
                command.Parameters.AddValue("$id", ruleId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadRule(reader) : null;
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<ForwardingRule>> ListCoreAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ForwardingRule>>(
            (connection, cancellationToken) =>
            {
                using var command = SqlitePostbackStore.Command(connection, $"SELECT {RuleColumns} FROM forwarding_rules ORDER BY created_at, id");
                using var reader = command.ExecuteReader();
                var rules = new List<ForwardingRule>();
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    rules.Add(ReadRule(reader));
                }

                return rules.AsReadOnly();
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<bool> UpdateSettingsCoreAsync(string ruleId, JsonElement settings, CancellationToken cancellationToken)
    {
        var text = settings.GetRawText();
        return database.WriteAsync(
            session =>
            {
                var command = session.Command("UPDATE forwarding_rules SET settings = $settings WHERE id = $id");
                command.Parameters.AddValue("$id", ruleId);
                command.Parameters.AddValue("$settings", text);
                return command.ExecuteNonQuery() > 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<bool> DeleteCoreAsync(string ruleId, CancellationToken cancellationToken) =>
        database.WriteAsync(
            session =>
            {
                // Its outbox messages stay; the dispatcher dead-letters the pending ones when it meets them.
                var command = session.Command("DELETE FROM forwarding_rules WHERE id = $id");
                command.Parameters.AddValue("$id", ruleId);
                return command.ExecuteNonQuery() > 0;
            },
            cancellationToken);

    private static ForwardingRule ReadRule(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetNullableString(1),
        SetId = reader.GetNullableString(2),
        CampaignId = reader.GetNullableString(3),
        DestinationId = reader.GetString(4),
        Settings = SqliteValues.ToJsonElement(reader.GetString(5))!.Value,
        CreatedAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(6)),
        Filter = new ForwardingRuleFilter
        {
            Events = reader.GetNullableString(7) is { } events ? SqliteValues.ToList(events) : null,
            DepositNumber = reader.IsDBNull(8) && reader.IsDBNull(9) ? null : new DepositNumberRange
            {
                Min = (int?)reader.GetNullableInt64(8),
                Max = (int?)reader.GetNullableInt64(9),
            },
            Statuses = reader.GetNullableString(10) is { } statuses ? SqliteValues.ToList(statuses) : null,
        },
    };
}
