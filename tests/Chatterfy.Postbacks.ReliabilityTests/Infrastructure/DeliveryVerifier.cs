using System.Globalization;

namespace Chatterfy.Postbacks.ReliabilityTests.Infrastructure;

/// <summary>
/// Checks what the store holds against what was sent: every key exactly once with its amount, every 200 answer's
/// conversion present (so nothing acknowledged was lost), all answers for one key naming the same conversion, and the
/// stats equal to the expected totals. Collects every mismatch rather than stopping at the first.
/// </summary>
internal static class DeliveryVerifier
{
    public static async Task<VerificationResult> VerifyAsync(
        TrackerApi api,
        PostbackPlan plan,
        PostbackDelivery delivery,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var stored = await api.GetConversionsAsync(plan.ClickIds, cancellationToken);
        var all = stored.Values.SelectMany(c => c).ToList();
        var byId = all.GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var byKey = all.GroupBy(KeyOf, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        // Each idempotency key stored exactly once, with the amount that was sent, credited.
        foreach (var (key, original) in plan.Originals)
        {
            if (!byKey.TryGetValue(key, out var conversions))
            {
                problems.Add($"key {key} is not stored (sent: {original})");
                continue;
            }

            if (conversions.Count != 1)
            {
                problems.Add($"key {key} is stored {conversions.Count} times: {string.Join("; ", conversions)}");
            }

            var conversion = conversions[0];
            if (conversion.Amount != original.Amount)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"key {key} is stored with amount {conversion.Amount}, sent {original.Amount}: {conversion}"));
            }

            if (conversion.Attribution != "credited")
            {
                problems.Add($"key {key} is stored {conversion.Attribution}: {conversion}");
            }
        }

        foreach (var key in byKey.Keys.Where(k => !plan.Originals.ContainsKey(k)))
        {
            problems.Add($"stored key {key} was never sent: {string.Join("; ", byKey[key])}");
        }

        // Every 200 is a promise: the conversion it named must be stored, under the same key; one key, one conversion id.
        for (var i = 0; i < plan.Items.Count; i++)
        {
            var postback = plan.Items[i];
            foreach (var conversionId in delivery.Outcomes[i].ConversionIds)
            {
                if (!byId.TryGetValue(conversionId, out var conversion))
                {
                    problems.Add($"acknowledged postback {postback} named conversion {conversionId}, which is not stored");
                }
                else if (KeyOf(conversion) != postback.Key)
                {
                    problems.Add($"acknowledged postback {postback} named conversion {conversion} of another key");
                }
            }
        }

        foreach (var group in plan.Items.Select((p, i) => (p.Key, Ids: delivery.Outcomes[i].ConversionIds)).GroupBy(p => p.Key, StringComparer.Ordinal))
        {
            var ids = group.SelectMany(g => g.Ids).Distinct(StringComparer.Ordinal).ToList();
            if (ids.Count > 1)
            {
                problems.Add($"key {group.Key} was answered with {ids.Count} different conversion ids: {string.Join(", ", ids)}");
            }
        }

        // Atomicity: every stored conversion has exactly one 'accepted' log entry, and no such entry lacks its conversion.
        var logged = await api.GetLoggedConversionIdsAsync("accepted", cancellationToken);
        foreach (var id in logged.GroupBy(i => i ?? "(none)", StringComparer.Ordinal).Where(g => g.Count() > 1 || !byId.ContainsKey(g.Key)))
        {
            problems.Add($"the postback log has {id.Count()} 'accepted' entries for conversion {id.Key}, which is {(byId.ContainsKey(id.Key) ? "stored" : "not stored")}");
        }

        var loggedIds = logged.OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var conversion in all.Where(c => !loggedIds.Contains(c.Id)))
        {
            problems.Add($"stored conversion {conversion} has no 'accepted' entry in the postback log");
        }

        var unacknowledged = delivery.Outcomes.Select((o, i) => (o, i)).Where(p => !p.o.Acknowledged).ToList();
        foreach (var (outcome, index) in unacknowledged)
        {
            problems.Add($"postback {plan.Items[index]} was never acknowledged after {outcome.Attempts} attempts; last: {outcome.LastFailure}");
        }

        var expected = plan.ExpectedStats();
        var actual = await api.GetStatsAsync(cancellationToken);
        if (!actual.SameAs(expected))
        {
            problems.Insert(0, $"stats differ:{Environment.NewLine}  expected {expected}{Environment.NewLine}  actual   {actual}");
        }

        return new VerificationResult(problems, all.Count, actual);
    }

    /// <summary>The idempotency key of a stored conversion, in the plan's notation.</summary>
    public static string KeyOf(StoredConversion conversion) => conversion.Event switch
    {
        "registration" => PlannedPostback.KeyOf(PostbackKind.Registration, conversion.ClickId, null),
        "first-deposit" => PlannedPostback.KeyOf(PostbackKind.FirstDeposit, conversion.ClickId, null),
        "deposit" => PlannedPostback.KeyOf(PostbackKind.Deposit, conversion.ClickId, conversion.Tid),
        _ => $"{conversion.Event}|{conversion.ClickId}|{conversion.Tid}",
    };
}

internal sealed record VerificationResult(IReadOnlyList<string> Problems, int StoredConversions, TrackerStats Stats)
{
    public string Describe(int max = 15) =>
        Problems.Count == 0
            ? "no mismatches"
            : $"{Problems.Count} mismatch(es), the first {Math.Min(max, Problems.Count)}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", Problems.Take(max))}";
}
