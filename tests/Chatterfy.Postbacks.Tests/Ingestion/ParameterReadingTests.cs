using System.Diagnostics.CodeAnalysis;
using System.Net;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Tests.Ingestion;

/// <summary>
/// The parser reads the query and body in place and decodes only what it keeps; these pin that it still reads exactly
/// what <see cref="WebUtility.UrlDecode(string)"/> and a plain split would, and that networks see the same parameters.
/// </summary>
public sealed class ParameterReadingTests
{
    // Percent signs with and without hex digits, '+', UTF-8 escapes valid and broken, raw non-ASCII and lone surrogates.
    private static readonly Gen<string> EncodedText = Gen.OneOf(
        Gen.String["%+2AFaf0-9é日\uD800.~_"],
        Gen.Select(Gen.Int[0, 255], b => "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)).Array[1, 8].Select(string.Concat),
        Gen.String);

    [Fact]
    public async Task Parse_EncodedAttributeValue_DecodesLikeWebUtility()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = NetworkIds.OneWin });

        EncodedText.Where(raw => !raw.Contains('&', StringComparison.Ordinal) && !raw.Contains('?', StringComparison.Ordinal)).Sample(raw =>
        {
            var result = services.Parser.Parse(set, new PostbackRequest { EventSegment = "registration", QueryString = "?clickid=abc123XYZ0&fields.v=" + raw });

            var expected = WebUtility.UrlDecode(raw);
            result.IsValid.Should().BeTrue();
            if (result.Conversion!.Attributes.TryGetValue("v", out var value))
            {
                value.Should().Be(expected);
            }
            else
            {
                // Dropped only for the documented reasons: blank, a macro, or too long.
                (string.IsNullOrWhiteSpace(expected) || result.Warnings.Count > 0).Should().BeTrue(raw);
            }
        });
    }

    [Fact]
    public async Task Parse_LongEncodedValues_DecodeBeyondTheStackScratch()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = NetworkIds.OneWin });
        var raw = string.Concat(Enumerable.Repeat("%C3%A9+x", 60));

        var result = services.Parser.Parse(set, new PostbackRequest { EventSegment = "registration", QueryString = "?fields.long%5Fname=" + raw + "&clickid=abc123XYZ0" });

        result.Conversion!.Attributes.Should().Equal(new Dictionary<string, string> { ["long_name"] = WebUtility.UrlDecode(raw) });
    }

    [Theory]
    [InlineData("?clickid=abc123XYZ0&a=1&B=2&a=&c&=skipped&d%20e=f+g&&h=%E2%82%AC", null, null)]
    [InlineData("?first=1?clickid=abc123XYZ0", "x=3&a=%41", "application/x-www-form-urlencoded")]
    [InlineData("?clickid=abc123XYZ0", """{"tracker":{"event":"sale"},"n":12.50,"t":true,"arr":[1]}""", "application/json")]
    public async Task Parse_NetworkSeesEveryParameterDecodedInOrder(string query, string? body, string? contentType)
    {
        var network = new RecordingNetwork();
        using var services = new TestServices(build: b => b.Services.AddSingleton<AffiliateNetwork>(network));
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "Recorder", NetworkId = RecordingNetwork.NetworkId });

        _ = services.Parser.Parse(set, new PostbackRequest { Method = body is null ? "GET" : "POST", QueryString = query, Body = body, ContentType = contentType });

        network.Seen.Should().Equal(Expected(query, body, contentType));
        foreach (var name in Probes)
        {
            var first = network.Seen.FirstOrDefault(p => p.Value.Length > 0 && string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));
            network.LookupsInPlace[name].Should().Be(first.Value, $"TryGetValue(\"{name}\") returns the first non-empty value");
            network.LookupsFromList[name].Should().Be(first.Value, $"TryGetValue(\"{name}\") returns the first non-empty value");
        }
    }

    [Fact]
    public async Task Parse_ManyParameters_ReadsAtMost256QueryAndBodyTogether()
    {
        var network = new RecordingNetwork();
        using var services = new TestServices(build: b => b.Services.AddSingleton<AffiliateNetwork>(network));
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "Recorder", NetworkId = RecordingNetwork.NetworkId });
        var query = "?clickid=abc123XYZ0&" + string.Join("&", Enumerable.Range(0, 199).Select(i => $"q{i}={i}"));
        var body = string.Join("&", Enumerable.Range(0, 100).Select(i => $"b{i}={i}"));

        _ = services.Parser.Parse(set, new PostbackRequest { Method = "POST", QueryString = query, Body = body, ContentType = "application/x-www-form-urlencoded" });

        network.Seen.Should().HaveCount(256);
        network.Seen[^1].Should().Be(new KeyValuePair<string, string>("b55", "55"));
    }

    private static List<KeyValuePair<string, string>> Expected(string query, string? body, string? contentType)
    {
        var expected = Split(query);
        if (body is null)
        {
            return expected;
        }

        if (contentType == "application/json")
        {
            // As documented: nested objects become dotted names, numbers keep their text, arrays are skipped.
            expected.AddRange([new("tracker.event", "sale"), new("n", "12.50"), new("t", "true")]);
            return expected;
        }

        expected.AddRange(Split(body));
        return expected;

        static List<KeyValuePair<string, string>> Split(string text) =>
            [.. text.TrimStart('?').Split('&', '?')
                .Where(pair => pair.Length > 0 && pair[0] != '=')
                .Select(pair => pair.Split('=', 2))
                .Select(parts => new KeyValuePair<string, string>(WebUtility.UrlDecode(parts[0]), parts.Length == 1 ? "" : WebUtility.UrlDecode(parts[1])))];
    }

    // Names the recording profile looks up: present (in several cases), absent, and empty-valued.
    private static readonly string[] Probes = ["clickid", "CLICKID", "a", "b", "c", "d e", "h", "x", "first", "tracker.event", "n", "t", "arr", "missing"];

    /// <summary>A network whose profile records the parameters it is shown, as a list and through lookups.</summary>
    private sealed class RecordingNetwork : AffiliateNetwork
    {
        public const string NetworkId = "recorder";

        public List<KeyValuePair<string, string>> Seen { get; } = [];

        public Dictionary<string, string?> LookupsInPlace { get; } = [];

        public Dictionary<string, string?> LookupsFromList { get; } = [];

        public override string Id => NetworkId;

        public override string DisplayName => "Recorder";

        public override NetworkProfile CreateProfile(System.Text.Json.JsonElement? settings) => new Profile(this);

        private sealed class Profile(RecordingNetwork network) : NetworkProfile
        {
            public override string GetPostbackQuery(PostbackUrlKind kind) => "";

            public override bool TryMapParameter(string name, [NotNullWhen(true)] out string? canonicalName)
            {
                canonicalName = null;
                return false;
            }

            public override PostbackEvent? DetectEventFromFlags(PostbackParameters parameters)
            {
                // Look up before listing (read in place) and after (from the decoded list): both must agree with the list.
                foreach (var name in Probes)
                {
                    network.LookupsInPlace[name] = parameters.TryGetValue(name, out var value) ? value : null;
                }

                network.Seen.AddRange(parameters);
                foreach (var name in Probes)
                {
                    network.LookupsFromList[name] = parameters.TryGetValue(name, out var value) ? value : null;
                }

                return PostbackEvent.Registration;
            }
        }
    }
}
