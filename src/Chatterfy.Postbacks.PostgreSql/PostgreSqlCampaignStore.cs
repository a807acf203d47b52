using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Storage;
using Npgsql;
using NpgsqlTypes;
using static Chatterfy.Postbacks.PostgreSql.PostgreSqlValues;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>Campaigns in PostgreSQL. A deleted campaign's row is gone, so its id may be used again.</summary>
internal sealed class PostgreSqlCampaignStore(PostgreSqlPostbackStore db) : CampaignStore
{
    private const string Columns = "id, name, destination_template, created_at, attribution_window_seconds";

    private readonly string _s = db.QuotedSchema;

    protected override async ValueTask AddCoreAsync(Campaign campaign, CancellationToken cancellationToken) =>
        await db.NonQueryAsync(
            $"INSERT INTO {_s}.campaigns ({Columns}) VALUES ($1, $2, $3, $4, $5)",
            [Text(campaign.Id), Text(campaign.Name), Text(campaign.DestinationTemplate), Time(campaign.CreatedAt), Param(NpgsqlDbType.Bigint, campaign.AttributionWindowSeconds)],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<Campaign?> GetCoreAsync(string campaignId, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync($"SELECT {Columns} FROM {_s}.campaigns WHERE id = $1", Read, [Text(campaignId)], cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<IReadOnlyList<Campaign>> ListCoreAsync(CancellationToken cancellationToken) =>
        await db.QueryListAsync($"SELECT {Columns} FROM {_s}.campaigns ORDER BY id", Read, [], cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<Campaign?> UpdateCoreAsync(Campaign campaign, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync(
            $"UPDATE {_s}.campaigns SET name = $2, destination_template = $3, attribution_window_seconds = $4 WHERE id = $1 RETURNING {Columns}",
            Read,
            [Text(campaign.Id), Text(campaign.Name), Text(campaign.DestinationTemplate), Param(NpgsqlDbType.Bigint, campaign.AttributionWindowSeconds)],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<bool> DeleteCoreAsync(string campaignId, CancellationToken cancellationToken) =>
        await db.NonQueryAsync($"DELETE FROM {_s}.campaigns WHERE id = $1", [Text(campaignId)], cancellationToken).ConfigureAwait(false) > 0;

    private static Campaign Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = NullableString(reader, 1),
        DestinationTemplate = reader.GetString(2),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(3),
        AttributionWindowSeconds = reader.IsDBNull(4) ? null : reader.GetInt64(4),
    };
}
