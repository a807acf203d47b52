using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary><c>POST /postback-sets/{id}/reconciliations</c>: a network's CSV report against the set's stored conversions.</summary>
public sealed class ReconciliationApiTests
{
    [Fact]
    public async Task ReportsMatchedMissingHereMissingThereMismatchesAndTotalsPerCurrency()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var setId = set.GetProperty("id").GetString()!;
        var a = await app.CreateClickAsync();
        var b = await app.CreateClickAsync();
        var c = await app.CreateClickAsync();
        await Ok(app, $"{Bare(set)}/registration?clickid={a}");
        await Ok(app, $"{Bare(set)}/first-deposit?clickid={a}&amount=50.00&currency=USD&tid=T1");
        await Ok(app, $"{Bare(set)}/deposit?clickid={a}&amount=20&currency=USD");
        await Ok(app, $"{Bare(set)}/first-deposit?clickid={b}&amount=10&currency=EUR&tid=T2");
        var notThere = (await Ok(app, $"{Bare(set)}/registration?clickid={c}")).GetProperty("conversionId").GetString();
        var csv = $"""
            click_id,event,amount,currency,transaction_id,time
            {a},registration,,,,2026-11-27T11:59:00Z
            {a},ftd,50,usd,T1,2026-11-27T11:59:30Z
            {a},deposit,20.00,USD,,2026-11-27T12:00:00Z
            {b},first_deposit,12,EUR,T2,2026-11-27T12:00:00Z
            {c},deposit,30,USD,,2026-11-27T12:01:00Z
            {c},deposit,oops,USD,,2026-11-27T12:01:00Z
            """;

        var response = await app.Client.PostAsync($"/api/tracker/postback-sets/{setId}/reconciliations?from=2026-11-27T00:00:00Z&to=2026-11-28T00:00:00Z", Csv(csv));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        report.GetProperty("rows").GetInt64().Should().Be(6);
        report.GetProperty("matched").GetInt64().Should().Be(3);
        report.GetProperty("missingHere").EnumerateArray().Select(r => (r.GetProperty("clickId").GetString(), r.GetProperty("event").GetString(), r.GetProperty("line").GetInt64()))
            .Should().Equal((c, "deposit", 6L));
        report.GetProperty("missingThere").EnumerateArray().Select(r => r.GetProperty("conversionId").GetString()).Should().Equal(notThere);
        report.GetProperty("mismatches").EnumerateArray().Select(m => (m.GetProperty("row").GetProperty("amount").GetDecimal(), m.GetProperty("conversion").GetProperty("amount").GetDecimal()))
            .Should().Equal((12m, 10m));
        report.GetProperty("invalid")[0].GetProperty("line").GetInt64().Should().Be(7);
        report.GetProperty("totals").ToString().Should().Be("""[{"currency":"EUR","network":12,"here":10},{"currency":"USD","network":100.00,"here":70.00}]""");
    }

    [Fact]
    public async Task TakesTheRangeFromTheReportsFirstAndLastTimesByDefault()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var click = await app.CreateClickAsync();
        await Ok(app, $"{Bare(set)}/registration?clickid={click}");

        var report = await (await app.Client.PostAsync(
            $"/api/tracker/postback-sets/{set.GetProperty("id").GetString()}/reconciliations",
            Csv("click_id,event,time\nzz,registration,2026-11-26T10:00:00Z\nzy,registration,2026-11-26T11:00:00Z\n"))).Content.ReadFromJsonAsync<JsonElement>();

        (report.GetProperty("from").GetString(), report.GetProperty("to").GetString()).Should().Be(("2026-11-26T10:00:00+00:00", "2026-11-26T11:00:00+00:00"));
        report.GetProperty("missingHere").GetArrayLength().Should().Be(2);
        report.GetProperty("missingThere").GetArrayLength().Should().Be(0, "the stored registration is outside the report's range");
    }

    [Fact]
    public async Task RefusesAnotherContentTypeWith415AndAReportOver10MBWith413EvenWithoutALength()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var path = $"/api/tracker/postback-sets/{set.GetProperty("id").GetString()}/reconciliations";

        var json = await app.Client.PostAsync(path, new StringContent("{}", Encoding.UTF8, "application/json"));
        var big = new StreamContent(new ChunkedBody(11 * 1024 * 1024));
        big.Headers.ContentType = new("text/csv");
        var tooLarge = await app.Client.PostAsync(path, big);
        var noHeader = await app.Client.PostAsync(path, Csv("clickid,when\nx,y\n"));

        await PostbackSetApiTests.AssertProblemAsync(json, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await PostbackSetApiTests.AssertProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        (await PostbackSetApiTests.AssertProblemAsync(noHeader, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").GetProperty("file")[0].GetString()
            .Should().StartWith("The report has no 'click_id' column");
    }

    [Fact]
    public async Task KeepsALayoutPerSetAndReadsTheSetsNextReportsWithIt()
    {
        await using var app = await TestApp.StartAsync();
        var setId = (await app.CreateSetAsync("1win")).GetProperty("id").GetString()!;
        var otherId = (await app.CreateSetAsync("1win")).GetProperty("id").GetString()!;
        var layoutPath = $"/api/tracker/postback-sets/{setId}/reconciliation-layout";

        var generic = await app.Client.GetFromJsonAsync<JsonElement>(layoutPath);
        var put = await app.Client.PutAsync(layoutPath, Json("""{"clickId":"Sub ID","event":"Goal","time":"Date","amount":"Payout"}"""));
        var kept = await app.Client.GetFromJsonAsync<JsonElement>(layoutPath);
        var report = await app.Client.PostAsync($"/api/tracker/postback-sets/{setId}/reconciliations", Csv("Date,Goal,Sub ID,Payout,currency\n2026-11-27T10:00:00Z,ftd,abc,50.5,USD\n"));
        var otherReport = await app.Client.PostAsync($"/api/tracker/postback-sets/{otherId}/reconciliations", Csv("Date,Goal,Sub ID\n2026-11-27T10:00:00Z,ftd,abc\n"));

        generic.ToString().Should().Be("""{"clickId":"click_id","event":"event","amount":"amount","currency":"currency","transactionId":"transaction_id","time":"time"}""");
        put.StatusCode.Should().Be(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        kept.ToString().Should().Be("""{"clickId":"Sub ID","event":"Goal","amount":"Payout","currency":"currency","transactionId":"transaction_id","time":"Date"}""", "omitted members keep the generic names");
        report.StatusCode.Should().Be(HttpStatusCode.OK, await report.Content.ReadAsStringAsync());
        var row = (await report.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("missingHere").EnumerateArray().Should().ContainSingle().Subject;
        (row.GetProperty("clickId").GetString(), row.GetProperty("event").GetString(), row.GetProperty("amount").GetDecimal()).Should().Be(("abc", "first-deposit", 50.5m));
        (await PostbackSetApiTests.AssertProblemAsync(otherReport, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").GetProperty("file")[0].GetString()
            .Should().StartWith("The report has no 'click_id' column", "the other set keeps the generic layout");
    }

    [Fact]
    public async Task RefusesALayoutWithABlankOrRepeatedColumnWith400AndKeepsTheOldOne()
    {
        await using var app = await TestApp.StartAsync();
        var setId = (await app.CreateSetAsync("1win")).GetProperty("id").GetString()!;
        var layoutPath = $"/api/tracker/postback-sets/{setId}/reconciliation-layout";

        var bad = await app.Client.PutAsync(layoutPath, Json("""{"clickId":" ","event":"Time","time":"time","amount":"a,b"}"""));
        var unknownSet = await app.Client.PutAsync("/api/tracker/postback-sets/nosuchset/reconciliation-layout", Json("""{"clickId":"sub1"}"""));
        var noBody = await app.Client.PutAsync(layoutPath, Json(""));

        var errors = (await PostbackSetApiTests.AssertProblemAsync(bad, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).Should().BeEquivalentTo("clickId", "amount", "time");
        errors.GetProperty("time")[0].GetString().Should().Be("time names the column 'time', which event already names.");
        await PostbackSetApiTests.AssertProblemAsync(unknownSet, HttpStatusCode.NotFound, "not_found");
        await PostbackSetApiTests.AssertProblemAsync(noBody, HttpStatusCode.BadRequest, "validation_failed");
        (await app.Client.GetFromJsonAsync<JsonElement>(layoutPath)).GetProperty("clickId").GetString().Should().Be("click_id");
    }

    [Fact]
    public async Task KeepsEachReportUnderItsIdAndListsThemNewestFirst()
    {
        await using var app = await TestApp.StartAsync();
        var setId = (await app.CreateSetAsync("1win")).GetProperty("id").GetString()!;
        var path = $"/api/tracker/postback-sets/{setId}/reconciliations";

        var first = await (await app.Client.PostAsync(path, Csv("click_id,event,time\nzz,registration,2026-11-26T10:00:00Z\n"))).Content.ReadFromJsonAsync<JsonElement>();
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await (await app.Client.PostAsync(path, Csv("click_id,event,time\nzz,registration,2026-11-26T10:00:00Z\nzy,ftd,2026-11-26T11:00:00Z\n"))).Content.ReadFromJsonAsync<JsonElement>();
        var fetched = await app.Client.GetFromJsonAsync<JsonElement>($"{path}/{first.GetProperty("id").GetString()}");
        var list = await app.Client.GetFromJsonAsync<JsonElement>($"{path}?limit=1");
        var rest = await app.Client.GetFromJsonAsync<JsonElement>($"{path}?limit=1&before={list.GetProperty("next").GetString()}");
        var missing = await app.Client.GetAsync($"{path}/0000");
        var badLimit = await app.Client.GetAsync($"{path}?limit=101");

        fetched.ToString().Should().Be(first.ToString());
        first.GetProperty("createdAt").GetString().Should().Be("2026-11-27T12:00:00+00:00");
        first.GetProperty("missingHereCount").GetInt64().Should().Be(1);
        var summary = list.GetProperty("items").EnumerateArray().Should().ContainSingle().Subject;
        summary.GetProperty("id").GetString().Should().Be(second.GetProperty("id").GetString());
        summary.GetProperty("rows").GetInt64().Should().Be(2);
        summary.GetProperty("missingHereCount").GetInt64().Should().Be(2);
        summary.TryGetProperty("missingHere", out _).Should().BeFalse("a summary has no row lists");
        rest.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).Should().Equal(first.GetProperty("id").GetString());
        await PostbackSetApiTests.AssertProblemAsync(missing, HttpStatusCode.NotFound, "not_found");
        await PostbackSetApiTests.AssertProblemAsync(badLimit, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task IngestsTheMissingRowsOnceWithTheirTimesLoggedAsReconciledAndForwardsThemOnlyWhenAsked()
    {
        await using var app = await TestApp.StartAsync(postbacks: b => b.AddForwarding(o =>
        {
            o.Dispatcher.Enabled = false;
            o.AllowPrivateNetworks = true;
        }));
        var set = await app.CreateSetAsync("1win");
        var setId = set.GetProperty("id").GetString()!;
        var rule = await app.PostJsonAsync("/api/tracker/forwarding-rules", $$$"""
            {"setId":"{{{setId}}}","destination":"http-postback","settings":{"urlTemplate":"https://tracker.example/pb?cid={{click.id}}"}}
            """);
        rule.StatusCode.Should().Be(HttpStatusCode.Created, await rule.Content.ReadAsStringAsync());
        var a = await app.CreateClickAsync();
        var b = await app.CreateClickAsync();
        var registration = (await Ok(app, $"{Bare(set)}/registration?clickid={a}")).GetProperty("conversionId").GetString();
        var path = $"/api/tracker/postback-sets/{setId}/reconciliations";
        var quiet = await (await app.Client.PostAsync(path, Csv($"click_id,event,amount,currency,transaction_id,time\n{a},registration,,,,2026-11-27T11:00:00Z\n{a},ftd,50,USD,T1,2026-11-27T11:10:00Z\n{a},deposit,20,USD,,2026-11-27T11:20:00Z\n"))).Content.ReadFromJsonAsync<JsonElement>();
        var loud = await (await app.Client.PostAsync(path, Csv($"click_id,event,amount,currency,transaction_id,time\n{b},ftd,10,EUR,T2,2026-11-27T11:30:00Z\n"))).Content.ReadFromJsonAsync<JsonElement>();
        var quietIngest = $"{path}/{quiet.GetProperty("id").GetString()}/ingest";

        var ingested = await app.Client.PostAsync(quietIngest, null);
        var again = await app.Client.PostAsync(quietIngest, null);
        var forwarded = await app.Client.PostAsync($"{path}/{loud.GetProperty("id").GetString()}/ingest?forward=true", null);
        var badForward = await app.Client.PostAsync($"{quietIngest}?forward=yes", null);

        ingested.StatusCode.Should().Be(HttpStatusCode.OK, await ingested.Content.ReadAsStringAsync());
        var first = await ingested.Content.ReadFromJsonAsync<JsonElement>();
        first.GetProperty("stored").GetInt32().Should().Be(2);
        first.GetProperty("duplicates").GetInt32().Should().Be(0);
        first.GetProperty("forwarded").GetBoolean().Should().BeFalse();
        first.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("line").GetInt64(), i.GetProperty("outcome").GetString())).Should().Equal((3L, "accepted"), (4L, "accepted"));
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        second.GetProperty("stored").GetInt32().Should().Be(0, "ingesting twice adds nothing");
        second.GetProperty("duplicates").GetInt32().Should().Be(2);
        second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("conversionId").GetString())
            .Should().Equal(first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("conversionId").GetString()));
        var loudResult = await forwarded.Content.ReadFromJsonAsync<JsonElement>();
        loudResult.GetProperty("stored").GetInt32().Should().Be(1);
        loudResult.GetProperty("forwarded").GetBoolean().Should().BeTrue();
        await PostbackSetApiTests.AssertProblemAsync(badForward, HttpStatusCode.BadRequest, "validation_failed");

        var log = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/postback-log?setId={setId}");
        var reconciled = log.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("method").GetString() == "RECONCILE").ToList();
        reconciled.Should().HaveCount(5, "two stored, two duplicates and one forwarded");
        reconciled.Should().AllSatisfy(e => e.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).Should().Contain("reconciled"));
        reconciled.Select(e => e.GetProperty("receivedAt").GetString()).Should().Contain(["2026-11-27T11:10:00Z", "2026-11-27T11:20:00Z", "2026-11-27T11:30:00Z"]);
        var conversions = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/conversions?setId={setId}");
        conversions.GetProperty("items").EnumerateArray().Select(c => (c.GetProperty("event").GetString(), c.GetProperty("receivedAt").GetString()))
            .Should().BeEquivalentTo([("registration", "2026-11-27T12:00:00Z"), ("first-deposit", "2026-11-27T11:10:00Z"), ("deposit", "2026-11-27T11:20:00Z"), ("first-deposit", "2026-11-27T11:30:00Z")]);
        var outbox = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/outbox");
        var loudConversion = loudResult.GetProperty("items")[0].GetProperty("conversionId").GetString();
        outbox.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("conversionId").GetString()).Should().BeEquivalentTo(
            [registration, loudConversion],
            "the postback and the row ingested with forward=true are forwarded, the rows ingested without it are not");
    }

    [Fact]
    public async Task IngestsManyRowsOnSqliteInBatchesOnceEachEvenWhenTheReportListsARowTwice()
    {
        var directory = Directory.CreateTempSubdirectory("chatterfy-reconcile-");
        try
        {
            await using var app = await TestApp.StartAsync(postbacks: b => b.UseSqlite(Path.Combine(directory.FullName, "postbacks.db")));
            var setId = (await app.CreateSetAsync("1win")).GetProperty("id").GetString()!;
            var csv = new StringBuilder("click_id,event,amount,currency,time\n");
            for (var i = 0; i < 70; i++)
            {
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"c{i:d3},registration,,,2026-11-27T10:{i % 60:d2}:00Z\n");
            }

            // The same repeat deposit twice (no transaction id): one conversion, as two identical postbacks would make.
            csv.Append("c000,deposit,20,USD,2026-11-27T11:00:00Z\nc000,deposit,20,USD,2026-11-27T11:00:00Z\n");
            var path = $"/api/tracker/postback-sets/{setId}/reconciliations";
            var report = await (await app.Client.PostAsync(path, Csv(csv.ToString()))).Content.ReadFromJsonAsync<JsonElement>();
            var ingest = $"{path}/{report.GetProperty("id").GetString()}/ingest";

            var first = await (await app.Client.PostAsync(ingest, null)).Content.ReadFromJsonAsync<JsonElement>();
            var second = await (await app.Client.PostAsync(ingest, null)).Content.ReadFromJsonAsync<JsonElement>();
            var conversions = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/conversions?setId={setId}&limit=1000");

            report.GetProperty("missingHereCount").GetInt64().Should().Be(72);
            first.GetProperty("stored").GetInt32().Should().Be(71);
            first.GetProperty("duplicates").GetInt32().Should().Be(1);
            first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("line").GetInt64()).Should().Equal(Enumerable.Range(2, 72).Select(l => (long)l));
            second.GetProperty("stored").GetInt32().Should().Be(0);
            second.GetProperty("duplicates").GetInt32().Should().Be(72);
            conversions.GetProperty("items").GetArrayLength().Should().Be(71);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // The stores the theory below runs on: PostgreSQL only where POSTBACKS_TEST_POSTGRES names a server (as CI sets it).
    public static TheoryData<string> Stores =>
        Environment.GetEnvironmentVariable("POSTBACKS_TEST_POSTGRES") is { Length: > 0 } ? ["memory", "sqlite", "postgres"] : ["memory", "sqlite"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task MatchesRowsOfLaterBatchesAgainstWhatEarlierRowsLeftTheSameWayOnEveryStore(string store)
    {
        var directory = Directory.CreateTempSubdirectory("chatterfy-reconcile-");
        var postgres = Environment.GetEnvironmentVariable("POSTBACKS_TEST_POSTGRES");
        var schema = "t_" + Guid.NewGuid().ToString("N")[..16];
        try
        {
            await using var app = await TestApp.StartAsync(postbacks: store switch
            {
                "sqlite" => b => b.UseSqlite(Path.Combine(directory.FullName, "postbacks.db")),
                "postgres" => b => b.UsePostgreSql(o => (o.ConnectionString, o.Schema) = (postgres, schema)),
                _ => null,
            });
            var set = await app.CreateSetAsync("1win");
            var a = await app.CreateClickAsync();
            var b = await app.CreateClickAsync();
            var c = await app.CreateClickAsync();
            await Ok(app, $"{Bare(set)}/registration?clickid={a}");
            await Ok(app, $"{Bare(set)}/first-deposit?clickid={b}&amount=50&currency=USD&tid=T1");
            await Ok(app, $"{Bare(set)}/deposit?clickid={b}&amount=20&currency=USD");
            var notThere = (await Ok(app, $"{Bare(set)}/registration?clickid={c}")).GetProperty("conversionId").GetString();
            var csv = new StringBuilder($"click_id,event,amount,currency,transaction_id,time\n{a},registration,,,,2026-11-27T11:59:00Z\n");
            for (var i = 0; i < 1000; i++)
            {
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"zz{i:d4},registration,,,,2026-11-27T11:00:00Z\n");
            }

            // After a whole batch of rows: the registration again (taken by the first row), the first deposit under another
            // click (found by its transaction id) and the repeat deposit (by click, amount and time).
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{a},registration,,,,2026-11-27T11:59:30Z\nrenamed000,ftd,50,USD,T1,2026-11-27T12:00:00Z\n{b},deposit,20,USD,,2026-11-27T12:00:00Z\n");

            var response = await app.Client.PostAsync(
                $"/api/tracker/postback-sets/{set.GetProperty("id").GetString()}/reconciliations?from=2026-11-27T00:00:00Z&to=2026-11-28T00:00:00Z", Csv(csv.ToString()));

            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var report = await response.Content.ReadFromJsonAsync<JsonElement>();
            report.GetProperty("matched").GetInt64().Should().Be(3);
            report.GetProperty("mismatchCount").GetInt64().Should().Be(0);
            report.GetProperty("missingHereCount").GetInt64().Should().Be(1001);
            report.GetProperty("missingHere").EnumerateArray().Last().GetProperty("line").GetInt64().Should().Be(1003);
            report.GetProperty("missingThere").EnumerateArray().Select(r => r.GetProperty("conversionId").GetString()).Should().Equal(notThere);
            report.GetProperty("totals").ToString().Should().Be("""[{"currency":"USD","network":70,"here":70}]""");
        }
        finally
        {
            directory.Delete(recursive: true);
            if (store == "postgres")
            {
                await using var dataSource = Npgsql.NpgsqlDataSource.Create(postgres!);
                await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
                await drop.ExecuteNonQueryAsync();
            }
        }
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static string Bare(JsonElement set) => TestApp.PathOf(set, "base").Split('?')[0];

    private static async Task<JsonElement> Ok(TestApp app, string path)
    {
        var response = await app.Client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    // A CSV body of a header and repeated rows, of unknown length (sent chunked).
    private sealed class ChunkedBody(long size) : Stream
    {
        private static readonly byte[] Header = Encoding.ASCII.GetBytes("click_id,event,time\n");
        private static readonly byte[] Row = Encoding.ASCII.GetBytes("abc,registration,2026-11-27T12:00:00Z\n");
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, size - _position);
            for (var i = 0; i < n; i++, _position++)
            {
                buffer[offset + i] = _position < Header.Length ? Header[_position] : Row[(_position - Header.Length) % Row.Length];
            }

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
