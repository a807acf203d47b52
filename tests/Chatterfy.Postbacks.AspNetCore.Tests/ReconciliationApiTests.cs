using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;

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
