using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>Clicks in <c>clicks</c>; a new click credits its waiting conversions in its own transaction.</summary>
/// <param name="database">The store whose connection and writer it uses.</param>
internal sealed class SqliteClickStore(SqlitePostbackStore database) : ClickStore
{
    private const string ClickColumns =
        "id, campaign_id, subject_id, fbclid, fbc, fbp, ip_address, user_agent, event_source_url, created_at, fields";

    private const string PrefixedClickColumns =
        "c.id, c.campaign_id, c.subject_id, c.fbclid, c.fbc, c.fbp, c.ip_address, c.user_agent, c.event_source_url, c.created_at, c.fields";

    // Late attribution, as the core decided it (ConversionCredit): the unattributed conversions of the click id whose
    // campaign is one of the list ($campaign_ids, a JSON array; $no_campaign = 1 when the list holds "no campaign"), and
    // that did not arrive after their attribution window.
    private static readonly string Credited = StoredWords.Of(ConversionAttribution.Credited);

    private static readonly string CreditedCondition = $"""
        click_id = $click_id AND attribution = '{StoredWords.Of(ConversionAttribution.Unattributed)}' AND attribution_window_passed = 0
            AND (campaign_id IN (SELECT value FROM json_each($campaign_ids)) OR ($no_campaign AND campaign_id IS NULL))
        """;

    private static readonly string CreditSql =
        $"UPDATE conversions SET attribution = '{Credited}', campaign_id = $new_campaign_id WHERE {CreditedCondition}";

    // The roll-up rows of the conversions the credit moves (read before it, in its transaction).
    private static readonly string CreditedRowsSql =
        $"SELECT received_at, set_id, campaign_id, event, attribution, currency, amount, reporting_currency, reporting_amount, id, status FROM conversions WHERE {CreditedCondition} ORDER BY received_at, id";

    private const string NumberSql = "UPDATE conversions SET deposit_number = $number WHERE id = $id";

    /// <inheritdoc />
    protected override ValueTask<int> AddCoreAsync(Click click, ConversionCredit credit, CancellationToken cancellationToken) =>
        database.WriteAsync(session => Insert(session, click, credit), cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<SubjectBinding?> BindSubjectCoreAsync(SubjectBindingRequest request, CancellationToken cancellationToken) =>
        database.WriteAsync(
            session =>
            {
                // The writer's BEGIN IMMEDIATE transaction holds the database's write lock: no other instance sharing the
                // file binds in between, and the unique key of subject_bindings backs the rule up.
                var existing = session.Command($"""
                    SELECT b.bound_at, {PrefixedClickColumns} FROM subject_bindings b JOIN clicks c ON c.id = b.click_id
                    WHERE b.subject_id = $subject_id AND b.campaign_id = $campaign_id
                    """);
                existing.Parameters.AddValue("$subject_id", request.SubjectId);
                existing.Parameters.AddValue("$campaign_id", request.CampaignId);
                using (var reader = existing.ExecuteReader())
                {
                    if (reader.Read())
                    {
                        return new SubjectBinding
                        {
                            SubjectId = request.SubjectId,
                            CampaignId = request.CampaignId,
                            BoundAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(0)),
                            Click = ReadClick(reader, 1),
                        };
                    }
                }

                var find = request.ClickId is null
                    ? session.Command($"""
                        SELECT {ClickColumns} FROM clicks WHERE subject_id = $subject_id AND campaign_id = $campaign_id
                        ORDER BY created_at, id LIMIT 1
                        """)
                    : session.Command($"SELECT {ClickColumns} FROM clicks WHERE id = $id");
                find.Parameters.AddValue("$subject_id", request.SubjectId);
                find.Parameters.AddValue("$campaign_id", request.CampaignId);
                find.Parameters.AddValue("$id", (object?)request.ClickId ?? DBNull.Value);
                Click? click;
                using (var reader = find.ExecuteReader())
                {
                    click = reader.Read() ? ReadClick(reader) : null;
                }

                var created = false;
                if (click is null && request.ClickId is null && request.NewClick is { } newClick)
                {
                    Insert(session, newClick, request.NewClickCredit!);
                    click = newClick;
                    created = true;
                }

                if (click is null)
                {
                    return null;
                }

                if (click.SubjectId is null)
                {
                    var subject = session.Command("UPDATE clicks SET subject_id = $subject_id WHERE id = $id AND subject_id IS NULL");
                    subject.Parameters.AddValue("$subject_id", request.SubjectId);
                    subject.Parameters.AddValue("$id", click.Id);
                    subject.ExecuteNonQuery();
                    click = click with { SubjectId = request.SubjectId };
                }

                var bind = session.Command("""
                    INSERT INTO subject_bindings (subject_id, campaign_id, click_id, bound_at) VALUES ($subject_id, $campaign_id, $click_id, $bound_at)
                    """);
                bind.Parameters.AddValue("$subject_id", request.SubjectId);
                bind.Parameters.AddValue("$campaign_id", request.CampaignId);
                bind.Parameters.AddValue("$click_id", click.Id);
                bind.Parameters.AddValue("$bound_at", SqliteValues.ToDb(request.BoundAt));
                bind.ExecuteNonQuery();
                return (SubjectBinding?)new SubjectBinding
                {
                    SubjectId = request.SubjectId,
                    CampaignId = request.CampaignId,
                    Click = click,
                    BoundAt = request.BoundAt,
                    IsNew = true,
                    ClickCreated = created,
                };
            },
            cancellationToken);

    // Adds a click and credits the conversions that waited for it, in the session's transaction.
    private static int Insert(SqliteWriteSession session, Click click, ConversionCredit credit)
    {
        var id = click.Id;
        var campaignId = click.CampaignId;
        var subjectId = click.SubjectId;
        var fbclid = click.Fbclid;
        var fbc = click.Fbc;
        var fbp = click.Fbp;
        var ipAddress = SqliteValues.ToDb(click.IpAddress);
        var userAgent = click.UserAgent;
        var eventSourceUrl = click.EventSourceUrl;
        var createdAt = SqliteValues.ToDb(click.CreatedAt);
        var fields = SqliteValues.ToJson(click.Fields);
        var creditedCampaigns = SqliteValues.ToJson([.. credit.CampaignIds.OfType<string>()]);
        var creditsNoCampaign = credit.CampaignIds.Contains(null);
        var newCampaignId = credit.NewCampaignId;

        void AddCreditParameters(SqliteParameterCollection parameters)
        {
            parameters.AddValue("$click_id", id);
            parameters.AddValue("$campaign_ids", creditedCampaigns);
            parameters.AddValue("$no_campaign", creditsNoCampaign ? 1 : 0);
        }

        if (SqliteSetStore.Exists(session, "SELECT 1 FROM clicks WHERE id = $value", id))
        {
            throw new InvalidOperationException($"A click with id '{id}' exists.");
        }

        var insert = session.Command($"""
            INSERT INTO clicks ({ClickColumns})
            VALUES ($id, $campaign_id, $subject_id, $fbclid, $fbc, $fbp, $ip_address, $user_agent, $event_source_url, $created_at, $fields)
            """);
        insert.Parameters.AddValue("$id", id);
        insert.Parameters.AddValue("$campaign_id", campaignId);
        insert.Parameters.AddValue("$subject_id", subjectId);
        insert.Parameters.AddValue("$fbclid", fbclid);
        insert.Parameters.AddValue("$fbc", fbc);
        insert.Parameters.AddValue("$fbp", fbp);
        insert.Parameters.AddValue("$ip_address", ipAddress);
        insert.Parameters.AddValue("$user_agent", userAgent);
        insert.Parameters.AddValue("$event_source_url", eventSourceUrl);
        insert.Parameters.AddValue("$created_at", createdAt);
        insert.Parameters.AddValue("$fields", fields);
        insert.ExecuteNonQuery();

        // Conversions that arrived before their click was known are credited now, in the same transaction; their
        // counts move from their unattributed roll-up rows to the credited rows of the campaign they now belong to.
        var moved = new List<(SqliteConversionRollups.Key Before, SqliteConversionRollups.Key After, decimal Amount, decimal ReportingAmount)>();
        var credits = new List<(string Id, Ingestion.PostbackEventKind Kind)>();
        var select = session.Command(CreditedRowsSql);
        AddCreditParameters(select.Parameters);
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                var before = new SqliteConversionRollups.Key(
                    SqliteValues.DayOf(reader.GetInt64(0)), reader.GetString(1), reader.GetNullableString(2), reader.GetString(3), reader.GetString(4), reader.GetNullableString(5), reader.GetNullableString(7))
                {
                    Status = reader.GetString(10),
                };
                var amount = reader.GetNullableString(6) is { } text ? SqliteValues.ToDecimal(text) : 0m;
                var reportingAmount = reader.GetNullableString(8) is { } reportingText ? SqliteValues.ToDecimal(reportingText) : 0m;
                moved.Add((before, before with { CampaignId = newCampaignId, Attribution = Credited }, amount, reportingAmount));
                credits.Add((reader.GetString(9), SqliteValues.ToEvent(before.Event).Kind));
            }
        }

        var update = session.Command(CreditSql);
        AddCreditParameters(update.Parameters);
        update.Parameters.AddValue("$new_campaign_id", newCampaignId);
        var credited = update.ExecuteNonQuery();
        if (credited != moved.Count)
        {
            throw new InvalidOperationException($"Crediting the conversions of click '{id}' changed {credited} rows, not the {moved.Count} it read.");
        }

        // The credited deposits are numbered in receive-time-then-id order, each after the ones before it; a numbered
        // one's count lands in the roll-up row of its number's bucket.
        for (var i = 0; i < credits.Count; i++)
        {
            var (conversionId, kind) = credits[i];
            if (SqliteIngestStore.NextDepositNumber(session, id, kind) is { } number)
            {
                var numbered = session.Command(NumberSql);
                numbered.Parameters.AddValue("$number", number);
                numbered.Parameters.AddValue("$id", conversionId);
                numbered.ExecuteNonQuery();
                moved[i] = moved[i] with { After = moved[i].After with { DepositBucket = DepositNumbering.StatsBucket(number) } };
            }
        }

        foreach (var (before, after, amount, reportingAmount) in moved)
        {
            session.Rollups.Add(before, -1, -amount, -reportingAmount);
            session.Rollups.Add(after, 1, amount, reportingAmount);
        }

        return credited;
    }

    /// <inheritdoc />
    protected override ValueTask<SubjectClicks> ListSubjectClicksCoreAsync(string subjectId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, _) =>
            {
                var bindings = new List<SubjectBinding>();
                using (var command = SqlitePostbackStore.Command(connection, $"""
                    SELECT b.campaign_id, b.bound_at, {PrefixedClickColumns} FROM subject_bindings b JOIN clicks c ON c.id = b.click_id
                    WHERE b.subject_id = $subject_id ORDER BY b.campaign_id
                    """))
                {
                    command.Parameters.AddValue("$subject_id", subjectId);
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        bindings.Add(new SubjectBinding
                        {
                            SubjectId = subjectId,
                            CampaignId = reader.GetString(0),
                            BoundAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(1)),
                            Click = ReadClick(reader, 2),
                        });
                    }
                }

                var clicks = new List<Click>();
                using (var command = SqlitePostbackStore.Command(connection, $"SELECT {ClickColumns} FROM clicks WHERE subject_id = $subject_id ORDER BY created_at DESC, id DESC LIMIT $limit"))
                {
                    command.Parameters.AddValue("$subject_id", subjectId);
                    command.Parameters.AddValue("$limit", SubjectClicks.MaxClicks);
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        clicks.Add(ReadClick(reader));
                    }
                }

                return new SubjectClicks { Bindings = bindings, Clicks = clicks };
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<Click?> FindCoreAsync(string clickId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, _) =>
            {
                using var command = SqlitePostbackStore.Command(connection, $"SELECT {ClickColumns} FROM clicks WHERE id = $id");
                command.Parameters.AddValue("$id", clickId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadClick(reader) : null;
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<bool> ForgetPersonalDataCoreAsync(string clickId, CancellationToken cancellationToken) =>
        database.WriteAsync(
            session =>
            {
                var command = session.Command("UPDATE clicks SET ip_address = NULL, user_agent = NULL WHERE id = $id");
                command.Parameters.AddValue("$id", clickId);
                return command.ExecuteNonQuery() > 0;
            },
            cancellationToken);

    private static Click ReadClick(SqliteDataReader reader, int first = 0) => new()
    {
        Id = reader.GetString(first),
        CampaignId = reader.GetNullableString(first + 1),
        SubjectId = reader.GetNullableString(first + 2),
        Fbclid = reader.GetNullableString(first + 3),
        Fbc = reader.GetNullableString(first + 4),
        Fbp = reader.GetNullableString(first + 5),
        IpAddress = SqliteValues.ToIpAddress(reader.GetNullableString(first + 6)),
        UserAgent = reader.GetNullableString(first + 7),
        EventSourceUrl = reader.GetNullableString(first + 8),
        CreatedAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(first + 9)),
        Fields = SqliteValues.ToDictionary(reader.GetString(first + 10)),
    };
}
