using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Npgsql;
using NpgsqlTypes;
using static Chatterfy.Postbacks.PostgreSql.PostgreSqlPostbackStore;
using static Chatterfy.Postbacks.PostgreSql.PostgreSqlValues;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>Postback sets and their tokens in PostgreSQL. A deleted set keeps its row (<c>deleted = true</c>); every token any set had stays in <c>postback_set_tokens</c>.</summary>
internal sealed class PostgreSqlSetStore(PostgreSqlPostbackStore db) : PostbackSetStore
{
    private const string Columns = "s.id, s.name, s.network_id, s.campaign_id, s.token, s.settings, s.created_at, s.enabled, s.attribution_window_seconds, s.status_map";

    private readonly string _s = db.QuotedSchema;

    protected override async ValueTask AddCoreAsync(PostbackSet postbackSet, CancellationToken cancellationToken)
    {
        await db.RunAsync(
            async (connection, ct) =>
            {
                // One batch is one implicit transaction: the set with its token, or neither.
                var batch = db.NewBatch(connection, null);
                await using (batch.ConfigureAwait(false))
                {
                    batch.BatchCommands.Add(Command(
                        $"INSERT INTO {_s}.postback_sets (id, name, network_id, campaign_id, token, settings, created_at, enabled, attribution_window_seconds, status_map) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                        Text(postbackSet.Id),
                        Text(postbackSet.Name),
                        Text(postbackSet.NetworkId),
                        Text(postbackSet.CampaignId),
                        Text(postbackSet.Token),
                        Jsonb(postbackSet.Settings is { } settings ? PostgreSqlJsonText.FromElement(settings) : null),
                        Time(postbackSet.CreatedAt),
                        Param(NpgsqlDbType.Boolean, postbackSet.Enabled),
                        Param(NpgsqlDbType.Bigint, postbackSet.AttributionWindowSeconds),
                        Jsonb(postbackSet.StatusMap?.ToJson())));
                    batch.BatchCommands.Add(Command(
                        $"INSERT INTO {_s}.postback_set_tokens (token, set_id) VALUES ($1, $2)",
                        Text(postbackSet.Token),
                        Text(postbackSet.Id)));
                    await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    return true;
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask<PostbackSet?> GetCoreAsync(string setId, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync(
            $"SELECT {Columns} FROM {_s}.postback_sets s WHERE s.id = $1 AND NOT s.deleted",
            Read,
            [Text(setId)],
            cancellationToken).ConfigureAwait(false);

    // A deleted set keeps its row (deleted = true), as it was last stored.
    protected override async ValueTask<PostbackSet?> GetIncludingDeletedCoreAsync(string setId, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync(
            $"SELECT {Columns} FROM {_s}.postback_sets s WHERE s.id = $1",
            Read,
            [Text(setId)],
            cancellationToken).ConfigureAwait(false);

    // A deleted set keeps its row (deleted = true).
    protected override async ValueTask<bool> IsIdUsedCoreAsync(string setId, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync(
            $"SELECT s.id FROM {_s}.postback_sets s WHERE s.id = $1",
            reader => reader.GetString(0),
            [Text(setId)],
            cancellationToken).ConfigureAwait(false) is not null;

    protected override async ValueTask<PostbackSet?> FindByTokenCoreAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync(
            $"""
            SELECT {Columns}
            FROM {_s}.postback_set_tokens t
            JOIN {_s}.postback_sets s ON s.id = t.set_id
            WHERE t.token = $1
              AND NOT s.deleted
              AND (s.token = $1 OR (s.previous_token = $1 AND s.previous_token_valid_until > $2))
            """,
            Read,
            [Text(token), Time(now)],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<IReadOnlyList<PostbackSet>> ListCoreAsync(CancellationToken cancellationToken) =>
        await db.QueryListAsync(
            $"SELECT {Columns} FROM {_s}.postback_sets s WHERE NOT s.deleted ORDER BY s.created_at, s.id",
            Read,
            [],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<PostbackSet?> UpdateCoreAsync(PostbackSet postbackSet, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync(
            $"""
            UPDATE {_s}.postback_sets s
            SET name = $2, campaign_id = $3, settings = $4, enabled = $5, attribution_window_seconds = $6, status_map = $7
            WHERE s.id = $1 AND NOT s.deleted
            RETURNING {Columns}
            """,
            Read,
            [
                Text(postbackSet.Id),
                Text(postbackSet.Name),
                Text(postbackSet.CampaignId),
                Jsonb(postbackSet.Settings is { } settings ? PostgreSqlJsonText.FromElement(settings) : null),
                Param(NpgsqlDbType.Boolean, postbackSet.Enabled),
                Param(NpgsqlDbType.Bigint, postbackSet.AttributionWindowSeconds),
                Jsonb(postbackSet.StatusMap?.ToJson()),
            ],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<PostbackSet?> RotateTokenCoreAsync(string setId, string newToken, DateTimeOffset? previousTokenValidUntil, CancellationToken cancellationToken)
    {
        return await db.RunAsync(
            async (connection, ct) =>
            {
                // One implicit transaction: the new token is reserved only if the set is live and the update happens.
                var batch = db.NewBatch(connection, null);
                await using (batch.ConfigureAwait(false))
                {
                    batch.BatchCommands.Add(Command(
                        $"INSERT INTO {_s}.postback_set_tokens (token, set_id) SELECT $2, s.id FROM {_s}.postback_sets s WHERE s.id = $1 AND NOT s.deleted",
                        Text(setId),
                        Text(newToken)));
                    batch.BatchCommands.Add(Command(
                        $"""
                        UPDATE {_s}.postback_sets s
                        SET previous_token = s.token, previous_token_valid_until = $3, token = $2
                        WHERE s.id = $1 AND NOT s.deleted
                        RETURNING {Columns}
                        """,
                        Text(setId),
                        Text(newToken),
                        Time(previousTokenValidUntil)));
                    var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        // The INSERT returns no rows; the reader starts at the UPDATE's result.
                        return await reader.ReadAsync(ct).ConfigureAwait(false) ? Read(reader) : null;
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask<bool> DeleteCoreAsync(string setId, CancellationToken cancellationToken) =>
        await db.NonQueryAsync(
            $"UPDATE {_s}.postback_sets SET deleted = true WHERE id = $1 AND NOT deleted",
            [Text(setId)],
            cancellationToken).ConfigureAwait(false) > 0;

    private static PostbackSet Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetString(1),
        NetworkId = reader.GetString(2),
        CampaignId = NullableString(reader, 3),
        Token = reader.GetString(4),
        Settings = reader.IsDBNull(5) ? null : PostgreSqlJsonText.ToElement(reader.GetString(5)),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(6),
        Enabled = reader.GetBoolean(7),
        AttributionWindowSeconds = reader.IsDBNull(8) ? null : reader.GetInt64(8),
        StatusMap = reader.IsDBNull(9) ? null : ConversionStatusMap.Parse(reader.GetString(9)),
    };
}
