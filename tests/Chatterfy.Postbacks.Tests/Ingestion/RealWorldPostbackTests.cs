using System.Globalization;
using System.Text.Json;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Tests.Ingestion;

/// <summary>Runs every row of Resources/real-world-postbacks.txt through the real parser.</summary>
public sealed class RealWorldPostbackTests
{
    private const string ResourceFile = "Resources/real-world-postbacks.txt";

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var row in ReadRows())
        {
            data.Add(row.Id);
        }

        return data;
    }

    [Fact]
    public void Table_HasAtLeastFortyRealWorldRows() => ReadRows().Should().HaveCountGreaterThanOrEqualTo(40);

    [Fact]
    public void Table_RowIdsAreUnique() => ReadRows().Select(r => r.Id).Should().OnlyHaveUniqueItems();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Parse_RealWorldRequest_GivesExpectedConversionOrRejection(string id)
    {
        var row = ReadRows().Single(r => r.Id == id);
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet
        {
            Name = row.Id,
            NetworkId = row.Network,
            Settings = row.Settings is null ? null : JsonDocument.Parse(row.Settings).RootElement,
        });

        var result = services.Parser.Parse(set, row.ToRequest());

        if (row.Expected.StartsWith("reject:", StringComparison.Ordinal))
        {
            result.IsValid.Should().BeFalse($"row {id} should be rejected");
            result.Rejection!.Code.Should().Be(row.Expected["reject:".Length..]);
            result.Rejection.Message.Should().NotBeNullOrWhiteSpace();
            return;
        }

        result.IsValid.Should().BeTrue($"row {id} should parse, but was rejected: {result.Rejection?.Code} {result.Rejection?.Message}");
        var conversion = result.Conversion!;
        var expected = Expectation.Parse(row.Expected);
        conversion.Event.Name.Should().Be(expected.Event);
        conversion.ClickId.Should().Be(expected.Click);
        conversion.Amount.Should().Be(expected.Amount);
        conversion.Currency.Should().Be(expected.Currency);
        conversion.TransactionId.Should().Be(expected.TransactionId);
        conversion.Attributes.Should().BeEquivalentTo(expected.Fields);
        result.Warnings.Select(w => w.Code).Distinct().Should().BeEquivalentTo(expected.Warnings);
        conversion.SetId.Should().Be(set.Id);
        conversion.ReceivedAt.Should().Be(TestServices.Start);
    }

    private static IReadOnlyList<Row> ReadRows() =>
        [.. File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, ResourceFile))
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(Row.Parse)];

    private sealed record Row(string Id, string Network, string? Settings, string Method, string? Segment, string Query, string? Body, string? ContentType, string Expected)
    {
        public static Row Parse(string line)
        {
            var cells = line.Split(" | ");
            cells.Should().HaveCount(8, $"a row has 8 cells: {line}");
            string? Cell(int i) => cells[i] == "-" ? null : cells[i];
            var body = Cell(6);
            string? contentType = null;
            if (body is not null)
            {
                contentType = body.StartsWith("json:", StringComparison.Ordinal) ? "application/json" : "application/x-www-form-urlencoded";
                body = body[(body.IndexOf(':', StringComparison.Ordinal) + 1)..];
            }

            return new Row(cells[0], cells[1], Cell(2), cells[3], Cell(4), Cell(5) ?? "", body, contentType, cells[7]);
        }

        public PostbackRequest ToRequest() => new()
        {
            Method = Method,
            Path = "/api/postbacks/token" + (Segment is null ? "" : "/" + Segment),
            EventSegment = Segment,
            QueryString = Query,
            Body = Body,
            ContentType = ContentType,
        };
    }

    private sealed record Expectation(string Event, string? Click, decimal? Amount, string? Currency, string? TransactionId, Dictionary<string, string> Fields, string[] Warnings)
    {
        public static Expectation Parse(string text)
        {
            var parts = text["ok:".Length..].Split(';');
            var values = parts.Skip(1).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            string? Value(string key) => values.TryGetValue(key, out var v) ? v : null;
            var fields = Value("fields")?.Split(',').Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]) ?? [];
            var amount = Value("amount") is { } a ? decimal.Parse(a, NumberStyles.Number, CultureInfo.InvariantCulture) : (decimal?)null;
            return new Expectation(parts[0], Value("click"), amount, Value("currency"), Value("tid"), fields, Value("warn")?.Split(',') ?? []);
        }
    }
}
