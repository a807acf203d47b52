using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.Tests.Approvals;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using PublicApiGenerator;

namespace Chatterfy.Postbacks.AspNetCore.Tests.Contracts;

/// <summary>
/// Approved-file snapshots of the HTTP contract's bodies (ids and tokens replaced by placeholders) and of the package's
/// public API. A change here is a change clients see: review it like a release note.
/// </summary>
public sealed class ContractSnapshotTests
{
    [Fact]
    public async Task SetCreationResponseMatchesTheApprovedContract()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostJsonAsync("/api/tracker/postback-sets", """{"name":"1Win main","network":"1win","campaignId":"spring","settings":{"clickIdSub":"sub4"}}""");

        var text = await response.Content.ReadAsStringAsync();
        var set = JsonDocument.Parse(text).RootElement;
        var token = TestApp.PathOf(set, "base").Split('?')[0].Split('/')[^1];
        Approver.Verify(Scrub(text, (set.GetProperty("id").GetString()!, "<set-id>"), (token, "<token>")), "set-creation-response");
    }

    [Fact]
    public async Task ReceiverAnswersMatchTheApprovedContract()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var bare = TestApp.PathOf(set, "base").Split('?')[0];

        var accepted = await app.Client.GetAsync($"{bare}/first-deposit?clickid=unknownClick1&amount=12,50&currency={{currency}}&tid=T1");
        var rejected = await app.Client.GetAsync($"{bare}/first-deposit?clickid=unknownClick1&amount=1,234&tid=T2");

        var acceptedText = await accepted.Content.ReadAsStringAsync();
        var conversionId = JsonDocument.Parse(acceptedText).RootElement.GetProperty("conversionId").GetString()!;
        Approver.Verify(
            Scrub(acceptedText, (conversionId, "<conversion-id>")) + "\n\n" + Scrub(await rejected.Content.ReadAsStringAsync()),
            "receiver-answers");
    }

    [Fact]
    public async Task PostbackLogItemMatchesTheApprovedContract()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();
        var bare = TestApp.PathOf(set, "base").Split('?')[0];
        await app.Client.PostAsync(
            $"{bare}/deposit?clickid={clickId}",
            new FormUrlEncodedContent([new("amount", "7.25"), new("currency", "{currency}"), new("tid", "D-1")]));

        var page = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-log");

        var item = page.GetProperty("items")[0];
        var text = JsonSerializer.Serialize(page);
        Approver.Verify(
            Scrub(
                text,
                (item.GetProperty("id").GetString()!, "<log-id>"),
                (item.GetProperty("setId").GetString()!, "<set-id>"),
                (item.GetProperty("conversionId").GetString()!, "<conversion-id>"),
                (bare.Split('/')[^1], "<token>"),
                (clickId, "<click-id>")),
            "postback-log-page");
    }

    [Fact]
    public async Task ConversionPageAndStatsMatchTheApprovedContract()
    {
        await using var app = await TestApp.StartAsync(o =>
        {
            o.ReportingCurrency = "USD";
            o.ExchangeRates.Fixed["USD"] = 1.1m;
            o.ExchangeRates.Fixed["BRL"] = 5.5m;
        });
        var set = await app.CreateSetAsync("1win", campaignId: "spring");
        var clickId = await app.CreateClickAsync("spring");
        var bare = TestApp.PathOf(set, "base").Split('?')[0];
        await app.Client.GetAsync($"{bare}/registration?clickid={clickId}");
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.Client.GetAsync($"{bare}/first-deposit?clickid={clickId}&amount=100.00&currency=BRL&tid=T1");

        var page = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/conversions");
        var stats = await app.Client.GetStringAsync("/api/tracker/stats");

        var items = page.GetProperty("items");
        Approver.Verify(
            Scrub(
                JsonSerializer.Serialize(page),
                (items[0].GetProperty("id").GetString()!, "<deposit-id>"),
                (items[1].GetProperty("id").GetString()!, "<registration-id>"),
                (set.GetProperty("id").GetString()!, "<set-id>"),
                (clickId, "<click-id>")) + "\n\n" + Scrub(stats),
            "conversion-page-and-stats");
    }

    [Fact]
    public void PublicApiMatchesTheApprovedFile()
    {
        var api = typeof(ChatterfyPostbacksTelemetry).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"],

            // The extension methods live in Microsoft.* namespaces so hosts need no using; the generator skips those by default.
            AllowNamespacePrefixes = ["Microsoft.AspNetCore.Builder", "Microsoft.Extensions.DependencyInjection"],
        });

        Approver.Verify(api, "Chatterfy.Postbacks.AspNetCore.PublicApi");
    }

    // Indented, with the opaque values replaced, so the snapshot shows the shape and the stable values only.
    private static string Scrub(string json, params (string Value, string Placeholder)[] replacements)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.WriteTo(writer);
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray());
        foreach (var (value, placeholder) in replacements)
        {
            text = text.Replace(value, placeholder, StringComparison.Ordinal);
        }

        return text;
    }
}
