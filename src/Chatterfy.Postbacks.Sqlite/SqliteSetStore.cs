using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// Postback sets and their tokens in <c>postback_sets</c> and <c>postback_set_tokens</c>. Every token a set ever had stays
/// in <c>postback_set_tokens</c>, and a deleted set keeps its row (<c>deleted = 1</c>), so ids and tokens are never reused.
/// </summary>
/// <param name="database">The store whose connection and writer it uses.</param>
internal sealed class SqliteSetStore(SqlitePostbackStore database) : PostbackSetStore
{
    private const string SetColumns = "id, name, network_id, campaign_id, token, settings, created_at, enabled, attribution_window_seconds, status_map";
    private const string QualifiedSetColumns = "s.id, s.name, s.network_id, s.campaign_id, s.token, s.settings, s.created_at, s.enabled, s.attribution_window_seconds, s.status_map";

    /// <inheritdoc />
    protected override async ValueTask AddCoreAsync(PostbackSet postbackSet, CancellationToken cancellationToken)
    {
        var id = postbackSet.Id;
        var token = postbackSet.Token;
        ArgumentNullException.ThrowIfNull(id, nameof(postbackSet));
        ArgumentNullException.ThrowIfNull(token, nameof(postbackSet));
        var name = postbackSet.Name;
        var networkId = postbackSet.NetworkId;
        var campaignId = postbackSet.CampaignId;
        var settings = SqliteValues.ToDb(postbackSet.Settings);
        var createdAt = SqliteValues.ToDb(postbackSet.CreatedAt);
        var enabled = postbackSet.Enabled;
        var attributionWindow = postbackSet.AttributionWindowSeconds;
        var statusMap = postbackSet.StatusMap?.ToJson();

        await database.WriteAsync(
            session =>
            {
                if (Exists(session, "SELECT 1 FROM postback_sets WHERE id = $value", id))
                {
                    throw new InvalidOperationException($"A postback set with id '{id}' exists or existed.");
                }

                ThrowIfTokenUsed(session, token);
                var insert = session.Command("""
                    INSERT INTO postback_sets (id, name, network_id, campaign_id, token, settings, created_at, enabled, attribution_window_seconds, status_map)
                    VALUES ($id, $name, $network_id, $campaign_id, $token, $settings, $created_at, $enabled, $attribution_window_seconds, $status_map)
                    """);
                insert.Parameters.AddValue("$id", id);
                insert.Parameters.AddValue("$name", name);
                insert.Parameters.AddValue("$network_id", networkId);
                insert.Parameters.AddValue("$campaign_id", campaignId);
                insert.Parameters.AddValue("$token", token);
                insert.Parameters.AddValue("$settings", settings);
                insert.Parameters.AddValue("$created_at", createdAt);
                insert.Parameters.AddValue("$enabled", enabled ? 1 : 0);
                insert.Parameters.AddValue("$attribution_window_seconds", attributionWindow);
                insert.Parameters.AddValue("$status_map", statusMap);
                insert.ExecuteNonQuery();

                InsertToken(session, token, id);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override ValueTask<PostbackSet?> GetCoreAsync(string setId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, _) =>
            {
                using var command = SqlitePostbackStore.Command(connection, $"SELECT {SetColumns} FROM postback_sets WHERE id = $id AND deleted = 0");
                command.Parameters.AddValue("$id", setId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadSet(reader) : null;
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<PostbackSet?> GetIncludingDeletedCoreAsync(string setId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, _) =>
            {
                // A deleted set keeps its row (deleted = 1), as it was last stored.
                using var command = SqlitePostbackStore.Command(connection, $"SELECT {SetColumns} FROM postback_sets WHERE id = $id");
                command.Parameters.AddValue("$id", setId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadSet(reader) : null;
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<bool> IsIdUsedCoreAsync(string setId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, _) =>
            {
                // A deleted set keeps its row (deleted = 1).
                using var command = SqlitePostbackStore.Command(connection, "SELECT 1 FROM postback_sets WHERE id = $id");
                command.Parameters.AddValue("$id", setId);
                return command.ExecuteScalar() is not null;
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<PostbackSet?> FindByTokenCoreAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowValue = SqliteValues.ToDb(now);
        return database.ReadAsync(
            (connection, _) =>
            {
                using var command = SqlitePostbackStore.Command(connection, $"""
                    SELECT {QualifiedSetColumns}, s.previous_token, s.previous_token_valid_until
                    FROM postback_set_tokens t JOIN postback_sets s ON s.id = t.set_id
                    WHERE t.token = $token AND s.deleted = 0
                    """);
                command.Parameters.AddValue("$token", token);
                using var reader = command.ExecuteReader();
                if (!reader.Read())
                {
                    return null;
                }

                var set = ReadSet(reader);
                if (string.Equals(set.Token, token, StringComparison.Ordinal))
                {
                    return set;
                }

                // The grace end is exclusive: the previous token works while now is before it.
                var inGrace = string.Equals(reader.GetNullableString(10), token, StringComparison.Ordinal)
                    && reader.GetNullableInt64(11) is { } until
                    && nowValue < until;
                return inGrace ? set : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<PostbackSet>> ListCoreAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<PostbackSet>>(
            (connection, cancellationToken) =>
            {
                using var command = SqlitePostbackStore.Command(connection, $"SELECT {SetColumns} FROM postback_sets WHERE deleted = 0 ORDER BY created_at, id");
                using var reader = command.ExecuteReader();
                var sets = new List<PostbackSet>();
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    sets.Add(ReadSet(reader));
                }

                return sets.AsReadOnly();
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<PostbackSet?> UpdateCoreAsync(PostbackSet postbackSet, CancellationToken cancellationToken)
    {
        var id = postbackSet.Id;
        ArgumentNullException.ThrowIfNull(id, nameof(postbackSet));
        var name = postbackSet.Name;
        var campaignId = postbackSet.CampaignId;
        var settings = SqliteValues.ToDb(postbackSet.Settings);
        var enabled = postbackSet.Enabled;
        var attributionWindow = postbackSet.AttributionWindowSeconds;
        var statusMap = postbackSet.StatusMap?.ToJson();

        return database.WriteAsync(
            session =>
            {
                var command = session.Command($"""
                    UPDATE postback_sets SET name = $name, campaign_id = $campaign_id, settings = $settings, enabled = $enabled,
                        attribution_window_seconds = $attribution_window_seconds, status_map = $status_map
                    WHERE id = $id AND deleted = 0
                    RETURNING {SetColumns}
                    """);
                command.Parameters.AddValue("$id", id);
                command.Parameters.AddValue("$name", name);
                command.Parameters.AddValue("$campaign_id", campaignId);
                command.Parameters.AddValue("$settings", settings);
                command.Parameters.AddValue("$enabled", enabled ? 1 : 0);
                command.Parameters.AddValue("$attribution_window_seconds", attributionWindow);
                command.Parameters.AddValue("$status_map", statusMap);
                return ReadSingleSet(command);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<PostbackSet?> RotateTokenCoreAsync(string setId, string newToken, DateTimeOffset? previousTokenValidUntil, CancellationToken cancellationToken)
    {
        long? until = previousTokenValidUntil is { } value ? SqliteValues.ToDb(value) : null;
        return database.WriteAsync(
            session =>
            {
                if (!Exists(session, "SELECT 1 FROM postback_sets WHERE id = $value AND deleted = 0", setId))
                {
                    return null;
                }

                ThrowIfTokenUsed(session, newToken);

                // A set has one previous token: the current one. Any older one is retired at once (it stays reserved).
                var command = session.Command($"""
                    UPDATE postback_sets SET previous_token = token, previous_token_valid_until = $until, token = $token
                    WHERE id = $id
                    RETURNING {SetColumns}
                    """);
                command.Parameters.AddValue("$id", setId);
                command.Parameters.AddValue("$token", newToken);
                command.Parameters.AddValue("$until", until);
                var set = ReadSingleSet(command);
                InsertToken(session, newToken, setId);
                return set;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<bool> DeleteCoreAsync(string setId, CancellationToken cancellationToken) =>
        database.WriteAsync(
            session =>
            {
                // The row stays (deleted = 1): its id and tokens remain used, its conversions and log entries remain.
                var command = session.Command("UPDATE postback_sets SET deleted = 1 WHERE id = $id AND deleted = 0");
                command.Parameters.AddValue("$id", setId);
                return command.ExecuteNonQuery() > 0;
            },
            cancellationToken);

    /// <summary>Runs a query with one parameter, <c>$value</c>, in the writer's transaction, and tells whether it returned a row.</summary>
    /// <param name="session">The writer's session.</param>
    /// <param name="sql">The query.</param>
    /// <param name="value">The parameter's value.</param>
    /// <returns><see langword="true"/> when it returned a row.</returns>
    internal static bool Exists(SqliteWriteSession session, string sql, string value)
    {
        var command = session.Command(sql);
        command.Parameters.AddValue("$value", value);
        return command.ExecuteScalar() is not null;
    }

    private static PostbackSet? ReadSingleSet(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadSet(reader) : null;
    }

    private static PostbackSet ReadSet(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetString(1),
        NetworkId = reader.GetString(2),
        CampaignId = reader.GetNullableString(3),
        Token = reader.GetString(4),
        Settings = SqliteValues.ToJsonElement(reader.GetNullableString(5)),
        CreatedAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(6)),
        Enabled = reader.GetInt64(7) != 0,
        AttributionWindowSeconds = reader.GetNullableInt64(8),
        StatusMap = reader.GetNullableString(9) is { } statusMap ? ConversionStatusMap.Parse(statusMap) : null,
    };

    private static void ThrowIfTokenUsed(SqliteWriteSession session, string token)
    {
        if (Exists(session, "SELECT 1 FROM postback_set_tokens WHERE token = $value", token))
        {
            throw new InvalidOperationException("The token is or was used by a postback set.");
        }
    }

    private static void InsertToken(SqliteWriteSession session, string token, string setId)
    {
        var command = session.Command("INSERT INTO postback_set_tokens (token, set_id) VALUES ($token, $set_id)");
        command.Parameters.AddValue("$token", token);
        command.Parameters.AddValue("$set_id", setId);
        command.ExecuteNonQuery();
    }
}
