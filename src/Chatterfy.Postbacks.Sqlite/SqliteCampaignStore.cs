using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>Campaigns in <c>campaigns</c>. A deleted campaign's row is removed, so its id may be used again.</summary>
/// <param name="database">The store whose connection and writer it uses.</param>
internal sealed class SqliteCampaignStore(SqlitePostbackStore database) : CampaignStore
{
    private const string CampaignColumns = "id, name, destination_template, created_at, attribution_window_seconds";

    /// <inheritdoc />
    protected override async ValueTask AddCoreAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        var id = campaign.Id;
        ArgumentNullException.ThrowIfNull(id, nameof(campaign));
        var name = campaign.Name;
        var destinationTemplate = campaign.DestinationTemplate;
        var createdAt = SqliteValues.ToDb(campaign.CreatedAt);
        var attributionWindow = campaign.AttributionWindowSeconds;

        await database.WriteAsync(
            session =>
            {
                if (SqliteSetStore.Exists(session, "SELECT 1 FROM campaigns WHERE id = $value", id))
                {
                    throw new InvalidOperationException($"A campaign with id '{id}' exists.");
                }

                var insert = session.Command($"""
                    INSERT INTO campaigns ({CampaignColumns})
                    VALUES ($id, $name, $destination_template, $created_at, $attribution_window_seconds)
                    """);
                insert.Parameters.AddValue("$id", id);
                insert.Parameters.AddValue("$name", name);
                insert.Parameters.AddValue("$destination_template", destinationTemplate);
                insert.Parameters.AddValue("$created_at", createdAt);
                insert.Parameters.AddValue("$attribution_window_seconds", attributionWindow);
                insert.ExecuteNonQuery();
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override ValueTask<Campaign?> GetCoreAsync(string campaignId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, _) =>
            {
                using var command = SqlitePostbackStore.Command(connection, $"SELECT {CampaignColumns} FROM campaigns WHERE id = $id");
                command.Parameters.AddValue("$id", campaignId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadCampaign(reader) : null;
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<Campaign>> ListCoreAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Campaign>>(
            (connection, cancellationToken) =>
            {
                using var command = SqlitePostbackStore.Command(connection, $"SELECT {CampaignColumns} FROM campaigns ORDER BY id");
                using var reader = command.ExecuteReader();
                var campaigns = new List<Campaign>();
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    campaigns.Add(ReadCampaign(reader));
                }

                return campaigns.AsReadOnly();
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<Campaign?> UpdateCoreAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        var id = campaign.Id;
        ArgumentNullException.ThrowIfNull(id, nameof(campaign));
        var name = campaign.Name;
        var destinationTemplate = campaign.DestinationTemplate;
        var attributionWindow = campaign.AttributionWindowSeconds;

        return database.WriteAsync(
            session =>
            {
                var command = session.Command($"""
                    UPDATE campaigns SET name = $name, destination_template = $destination_template, attribution_window_seconds = $attribution_window_seconds
                    WHERE id = $id
                    RETURNING {CampaignColumns}
                    """);
                command.Parameters.AddValue("$id", id);
                command.Parameters.AddValue("$name", name);
                command.Parameters.AddValue("$destination_template", destinationTemplate);
                command.Parameters.AddValue("$attribution_window_seconds", attributionWindow);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadCampaign(reader) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<bool> DeleteCoreAsync(string campaignId, CancellationToken cancellationToken) =>
        database.WriteAsync(
            session =>
            {
                // The row goes, so the id may be used again; clicks and rules that name it are kept.
                var command = session.Command("DELETE FROM campaigns WHERE id = $id");
                command.Parameters.AddValue("$id", campaignId);
                return command.ExecuteNonQuery() > 0;
            },
            cancellationToken);

    private static Campaign ReadCampaign(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetNullableString(1),
        DestinationTemplate = reader.GetString(2),
        CreatedAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(3)),
        AttributionWindowSeconds = reader.GetNullableInt64(4),
    };
}
