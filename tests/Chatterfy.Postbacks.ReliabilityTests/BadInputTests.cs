using System.Globalization;
using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace Chatterfy.Postbacks.ReliabilityTests;

/// <summary>
/// Hundreds of hostile requests against a running receiver: each is answered 4xx (or 200 where it is in fact a valid
/// postback), never 5xx; the host stays up; and the stats move only by what was valid, plus the <c>rejected</c> counter
/// by exactly the number of rejections (400 with a rejection code) that reached the valid token. Requests that are not
/// postbacks (broken chunk framing, tracker API bodies with a member given twice) must get their own refusal code.
/// </summary>
public sealed class BadInputTests(ITestOutputHelper output)
{
    private const int GeneratedRequests = 1_000;
    private const int Concurrency = 8;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    private static readonly HashSet<string> RejectionCodes = new(StringComparer.Ordinal)
    {
        "click_id_missing", "click_id_invalid", "macro_not_substituted", "event_unknown", "amount_missing", "amount_invalid",
        "amount_ambiguous", "currency_invalid", "transaction_id_invalid", "body_invalid",
    };

    [Fact]
    public async Task HostileRequests_AreRefusedWithoutServerErrors_AndChangeNothingButTheRejectedCount()
    {
        using var scenario = new Scenario("bad-input", output, TimeSpan.FromMinutes(3));
        var ct = scenario.Deadline;
        var directory = Directory.CreateTempSubdirectory("chatterfy-reliability-bad-input-");
        try
        {
            await using var host = await SampleHost.StartAsync(scenario.Name, SampleHost.SqliteEnvironment(Path.Combine(directory.FullName, "postbacks.db")), ct);
            using var api = new TrackerApi(host.BaseAddress);
            var set = await api.CreateSetAsync("Binomo", "binomo", ct);
            var clicks = await api.CreateClicksAsync(3, "bad-input", ct);
            await SendBaselineAsync(host, set, clicks[0], ct);
            var problems = new List<string>();
            await CreateInputRuleCampaignsAsync(api, problems, ct);
            var before = await api.GetStatsAsync(ct);

            var hostile = new HostileRequests(set.Token, clicks);
            var requests = hostile.Catalogue().Concat(hostile.Generate(scenario.Seed, GeneratedRequests)).ToList();
            scenario.Log($"{requests.Count} hostile requests ({requests.Count - GeneratedRequests} catalogued, {GeneratedRequests} generated), stats before: {before}");
            var responses = new RawResponse[requests.Count];
            await Parallel.ForAsync(0, requests.Count, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (i, _) =>
                responses[i] = await RawHttp.SendAsync(host.Port, requests[i], RequestTimeout));

            var rejected = 0;
            var refused = 0;
            var redirects = 0;
            var accepted = new HashSet<string>(StringComparer.Ordinal);
            var unattributed = new HashSet<string>(StringComparer.Ordinal);
            var duplicates = 0;
            for (var i = 0; i < requests.Count; i++)
            {
                var (request, response) = (requests[i], responses[i]);
                if (response.Status is null)
                {
                    if (request.Oversize && response.Failure?.Contains("within", StringComparison.Ordinal) != true)
                    {
                        refused++;
                    }
                    else
                    {
                        problems.Add($"no answer ({response.Failure}) to {request.Describe()}");
                    }

                    continue;
                }

                var status = response.Status.Value;
                if (response.Failure is not null)
                {
                    problems.Add($"{status} but {response.Failure} for {request.Describe()}");
                }

                // Issue 9: requests that are not postbacks (a body the server cannot de-frame, a tracker API body with a
                // member given twice) must get exactly their refusal; nothing is logged or counted.
                if (request.ExpectedCode is { } expectedCode)
                {
                    if (status is < 400 or >= 500 || ProblemCode(response) != expectedCode)
                    {
                        problems.Add($"{status} '{ProblemCode(response)}' instead of a refusal '{expectedCode}' for {request.Describe()}: {Shorten(response.Body)}");
                    }

                    continue;
                }

                if (HostileRequests.InputRuleExpectations.TryGetValue(request.Category, out var expectedAnswer))
                {
                    CheckInputRuleAnswer(request, response, expectedAnswer, problems);
                    if (status == 302)
                    {
                        // A redirect stores a click; it is no postback, so the checks below do not apply.
                        redirects++;
                        continue;
                    }
                }

                if (status >= 500)
                {
                    problems.Add($"{status} (server error) for {request.Describe()}: {Shorten(response.Body)}");
                }
                else if (status == 200)
                {
                    var (outcome, conversionId) = Acknowledgement(response.Body);
                    if (!request.ToValidToken || outcome is null || conversionId is null)
                    {
                        problems.Add($"200 for {request.Describe()}: {Shorten(response.Body)}");
                    }
                    else if (outcome == "accepted")
                    {
                        accepted.Add(conversionId);
                    }
                    else if (outcome == "unattributed")
                    {
                        unattributed.Add(conversionId);
                    }
                    else
                    {
                        duplicates++;
                    }
                }
                else if (status < 400)
                {
                    problems.Add($"{status} (neither 200 nor 4xx) for {request.Describe()}");
                }
                else if (status == 400 && ProblemCode(response) is { } code)
                {
                    if (!RejectionCodes.Contains(code))
                    {
                        problems.Add($"400 with the undocumented code '{code}' for {request.Describe()}");
                    }
                    else if (!request.ToValidToken)
                    {
                        problems.Add($"400 '{code}' (a logged rejection) for a request without the valid token: {request.Describe()}");
                    }
                    else
                    {
                        rejected++;
                    }
                }
            }

            var health = await host.HealthAsync(ct);
            if (!host.IsRunning || health != HttpStatusCode.OK)
            {
                problems.Insert(0, $"the host is not healthy after the hostile requests: running={host.IsRunning}, /health={(int?)health}");
            }

            var after = await api.GetStatsAsync(ct);
            var conversions = (await api.GetConversionsAsync(clicks, ct)).Values.SelectMany(c => c).ToDictionary(c => c.Id, StringComparer.Ordinal);
            var expected = Expected(before, rejected, accepted, unattributed.Count, conversions, problems) with { Clicks = before.Clicks + redirects };
            if (!after.SameAs(expected))
            {
                problems.Insert(0, $"stats moved by more than the valid postbacks and the rejections:{Environment.NewLine}  before   {before}{Environment.NewLine}  expected {expected}{Environment.NewLine}  after    {after}");
            }

            var byStatus = string.Join(",", responses.GroupBy(r => r.Status?.ToString(CultureInfo.InvariantCulture) ?? "refused").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}:{g.Count()}"));
            scenario.Summary(
                requests.Count,
                accepted.Count + unattributed.Count + duplicates,
                accepted.Count + unattributed.Count,
                duplicates,
                after.Rejected - before.Rejected,
                ("answers", byStatus),
                ("refusedOversize", refused),
                ("redirects", redirects));
            Assert.True(
                problems.Count == 0,
                scenario.Failure(
                    $"{requests.Count} hostile requests, answers {byStatus}; {problems.Count} problem(s), the first 15:",
                    [.. problems.Take(15), host.Output()]));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // ---- Issue 9 input rules (defects 4, 5 and 11); the requests are in HostileRequests' block of the same name. ----

    // The tg:// host-macro campaign must be refused (400 naming destination); the others are valid.
    private static async Task CreateInputRuleCampaignsAsync(TrackerApi api, List<string> problems, CancellationToken ct)
    {
        foreach (var (id, destination) in HostileRequests.InputRuleCampaigns)
        {
            var (status, body) = await api.TryCreateCampaignAsync(id, destination, ct);
            var refusal = id == HostileRequests.TelegramHostCampaign;
            if (refusal ? status != HttpStatusCode.BadRequest || !body.Contains("\"destination\"", StringComparison.Ordinal) : status != HttpStatusCode.Created)
            {
                problems.Add($"campaign {id} ({destination[..Math.Min(destination.Length, 60)]}…) answered {(int)status}, expected {(refusal ? "400 naming destination" : "201")}: {Shorten(body)}");
            }
        }
    }

    // The exact answer: "302" (with a Location of at most 8 KiB, printable ASCII), "404", or "400 <code>".
    private static void CheckInputRuleAnswer(RawRequest request, RawResponse response, string expected, List<string> problems)
    {
        var code = response.Status == 400 ? ProblemCode(response) : null;
        var actual = code is null ? $"{response.Status}" : $"{response.Status} {code}";
        if (actual != expected)
        {
            problems.Add($"{actual}, expected {expected}, for {request.Describe()}: {Shorten(response.Body)}");
            return;
        }

        if (response.Status == 302)
        {
            var location = response.Head.Split("\r\n").FirstOrDefault(line => line.StartsWith("Location:", StringComparison.OrdinalIgnoreCase))?["Location:".Length..].Trim();
            if (location is null || location.Length > CampaignService.MaxLocationLength || location.Any(c => c is < '!' or > '~'))
            {
                problems.Add($"302 with a Location of {location?.Length ?? 0} characters (at most {CampaignService.MaxLocationLength}, printable ASCII) for {request.Describe()}");
            }
        }
    }

    // ---- end of the issue 9 input rules ----

    // Real money on the books before the attack, so "unchanged sums" means something.
    private static async Task SendBaselineAsync(SampleHost host, PostbackSetInfo set, string click, CancellationToken ct)
    {
        using var client = HttpClients.Create(host.BaseAddress, RequestTimeout, 1);
        foreach (var query in new[]
        {
            $"registration?click_id={click}",
            $"first-deposit?click_id={click}&amount=50.25&transaction_id=base-1",
            $"deposit?click_id={click}&amount=10.10&transaction_id=base-2",
            $"deposit?click_id={click}&amount=0.99&currency=eur&transaction_id=base-3",
        })
        {
            using var response = await client.GetAsync($"api/postbacks/{set.Token}/{query}", ct);
            response.StatusCode.Should().Be(HttpStatusCode.OK, "the baseline postback {0} is valid", query);
        }
    }

    // The stats before, plus what each accepted conversion (found through its click) and each unattributed one adds.
    private static TrackerStats Expected(
        TrackerStats before,
        int rejected,
        IEnumerable<string> accepted,
        int unattributed,
        Dictionary<string, StoredConversion> conversions,
        List<string> problems)
    {
        var (registrations, firstDeposits, deposits) = (before.Registrations, before.FirstDeposits, before.Deposits);
        var amounts = before.Amounts.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        foreach (var id in accepted)
        {
            if (!conversions.TryGetValue(id, out var conversion))
            {
                problems.Add($"conversion {id} was answered 'accepted' but is not stored on any of the scenario's clicks");
                continue;
            }

            var sums = conversion.Currency is { } currency && amounts.TryGetValue(currency, out var existing) ? existing : (0m, 0m);
            switch (conversion.Event)
            {
                case "registration":
                    registrations++;
                    break;
                case "first-deposit":
                    firstDeposits++;
                    amounts[conversion.Currency!] = (sums.Item1 + conversion.Amount!.Value, sums.Item2);
                    break;
                case "deposit":
                    deposits++;
                    amounts[conversion.Currency!] = (sums.Item1, sums.Item2 + conversion.Amount!.Value);
                    break;
                default:
                    // Custom events are stored but not counted in the stats.
                    break;
            }
        }

        return before with
        {
            Registrations = registrations,
            FirstDeposits = firstDeposits,
            Deposits = deposits,
            Unattributed = before.Unattributed + unattributed,
            Rejected = before.Rejected + rejected,
            Amounts = amounts,
        };
    }

    private static (string? Outcome, string? ConversionId) Acknowledgement(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return (json.RootElement.GetProperty("status").GetString(), json.RootElement.GetProperty("conversionId").GetString());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (null, null);
        }
    }

    private static string? ProblemCode(RawResponse response)
    {
        if (response.ContentType?.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(response.Body);
            return json.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
