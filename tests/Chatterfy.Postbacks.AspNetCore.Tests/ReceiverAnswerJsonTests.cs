using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>
/// The receiver writes its 200 answer with its own writer; byte for byte it must be what System.Text.Json writes for
/// the contract with the package's settings (web defaults, relaxed escaping, a warning's null field left out).
/// </summary>
public sealed class ReceiverAnswerJsonTests
{
    private static readonly JsonSerializerOptions ContractOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Theory]
    [InlineData("clickid=unknownClick1&amount=5&tid=A1")]
    [InlineData("clickid={CLICK}&amount=5&tid=A2")]
    [InlineData("clickid={CLICK}&amount=5&tid=A3&fields.note=%7B%22%3C%C3%A9%3E%26%5C%09%E2%80%A8%7D&currency=%7Bcur%7D")]
    [InlineData("clickid={CLICK}&click_id=other1&amount=5&tid=A4&fields.bad%20key=1")]
    [InlineData("clickid={CLICK}&amount=5&tid=A5&status=Wartend")]
    public async Task AnswerIsExactlyTheSerializersJson(string query)
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();
        var deposit = TestApp.PathOf(set, "deposit").Split('?')[0];

        using var response = await app.Client.GetAsync($"{deposit}?{query.Replace("{CLICK}", clickId, StringComparison.Ordinal)}");
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        response.Content.Headers.ContentType!.ToString().Should().Be("application/json; charset=utf-8");
        var parsed = JsonSerializer.Deserialize<Answer>(body, ContractOptions)!;
        body.Should().Be(JsonSerializer.Serialize(parsed, ContractOptions));
    }

    private sealed record Answer(
        string Status,
        string? ConversionId,
        IReadOnlyList<Warning> Warnings,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DepositNumber = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConversionStatus = null);

    private sealed record Warning(string Code, string Message, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null);
}
