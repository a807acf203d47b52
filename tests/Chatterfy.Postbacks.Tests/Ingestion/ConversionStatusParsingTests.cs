using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Tests.Ingestion;

public sealed class ConversionStatusParsingTests
{
    private static readonly PostbackSet Set = new()
    {
        Id = "set1",
        Name = "Keitaro",
        NetworkId = "1win",
        Token = "AAAAAAAAAAAAAAAAAAAAAA",
        CreatedAt = TestServices.Start,
    };

    [Theory]
    [InlineData("status=approved", ConversionStatus.Approved)]
    [InlineData("status=Confirmed", ConversionStatus.Approved)]
    [InlineData("cnv_status=Hold", ConversionStatus.Pending)]
    [InlineData("conv_status=approved", ConversionStatus.Approved)]
    [InlineData("goal_status=TRASH", ConversionStatus.Rejected)]
    [InlineData("status=refund", ConversionStatus.Chargeback)]
    [InlineData("status=cancelled", ConversionStatus.Rejected)]
    public void Parse_StatusOrAliasWithADefaultWord_MapsIgnoringCase(string parameter, ConversionStatus expected)
    {
        using var services = new TestServices();

        var result = Parse(services, Set, "deposit", $"?clickid=abc123XYZ0&amount=10&tid=T-1&{parameter}");

        result.Conversion!.Status.Should().Be(expected);
        result.Conversion.StatusWordUnknown.Should().BeFalse();
        result.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Parse_NoStatus_LeavesTheStatusUnset()
    {
        using var services = new TestServices();

        var conversion = Parse(services, Set, "deposit", "?clickid=abc123XYZ0&amount=10&tid=T-1").Conversion!;

        conversion.Status.Should().BeNull();
        conversion.StatusWord.Should().BeNull();
    }

    [Fact]
    public void Parse_UnknownWord_IsPendingWithWarningAndTheWordKept()
    {
        using var services = new TestServices();

        var result = Parse(services, Set, "deposit", "?clickid=abc123XYZ0&amount=10&tid=T-1&status=Lead%20Won");

        result.Conversion!.Status.Should().Be(ConversionStatus.Pending);
        result.Conversion.StatusWord.Should().Be("Lead Won");
        result.Conversion.StatusWordUnknown.Should().BeTrue();
        result.Warnings.Should().ContainSingle().Which.Code.Should().Be(PostbackWarningCodes.StatusUnknown);
    }

    [Theory]
    [InlineData("status=OPTIONAL")]
    [InlineData("status={status}")]
    [InlineData("cnv_status=%7Bstatus%7D")]
    public void Parse_UnsubstitutedStatusMacro_IsIgnoredWithMacroIgnored(string parameter)
    {
        using var services = new TestServices();

        var result = Parse(services, Set, "deposit", $"?clickid=abc123XYZ0&amount=10&tid=T-1&{parameter}");

        result.Conversion!.Status.Should().BeNull();
        result.Warnings.Should().ContainSingle().Which.Code.Should().Be(PostbackWarningCodes.MacroIgnored);
    }

    [Theory]
    [InlineData("lead")]
    [InlineData("sale")]
    public void Parse_EventWordsAsStatus_AreNotStatusWordsOfTheDefaultMap(string word)
    {
        using var services = new TestServices();

        var result = Parse(services, Set, "deposit", $"?clickid=abc123XYZ0&amount=10&tid=T-1&status={word}");

        result.Conversion!.Status.Should().Be(ConversionStatus.Pending);
        result.Warnings.Should().ContainSingle().Which.Code.Should().Be(PostbackWarningCodes.StatusUnknown);
    }

    [Fact]
    public void Parse_SetWithItsOwnMap_UsesOnlyThatMap()
    {
        using var services = new TestServices();
        ConversionStatusMap.TryCreate(
            new Dictionary<ConversionStatus, IReadOnlyList<string>> { [ConversionStatus.Approved] = ["sale"], [ConversionStatus.Pending] = ["lead"] },
            out var map,
            out _).Should().BeTrue();
        var keitaro = Set with { StatusMap = map };

        Parse(services, keitaro, "deposit", "?clickid=abc123XYZ0&amount=10&tid=T-1&status=SALE").Conversion!.Status.Should().Be(ConversionStatus.Approved);
        Parse(services, keitaro, "deposit", "?clickid=abc123XYZ0&amount=10&tid=T-1&status=lead").Conversion!.Status.Should().Be(ConversionStatus.Pending);
        var replaced = Parse(services, keitaro, "deposit", "?clickid=abc123XYZ0&amount=10&tid=T-1&status=approved");
        replaced.Conversion!.StatusWordUnknown.Should().BeTrue("a set's map replaces the default one");
    }

    [Fact]
    public void Parse_OverlongStatusWord_IsIgnoredWithParameterIgnored()
    {
        using var services = new TestServices();

        var result = Parse(services, Set, "deposit", "?clickid=abc123XYZ0&amount=10&tid=T-1&status=" + new string('x', ConversionStatusMap.MaxWordLength + 1));

        result.Conversion!.Status.Should().BeNull();
        result.Warnings.Should().ContainSingle().Which.Code.Should().Be(PostbackWarningCodes.ParameterIgnored);
    }

    [Theory]
    [InlineData("deposit", "?clickid=abc123XYZ0&amount=10&fields.ad=a1")]
    [InlineData("deposit", "?clickid=abc123XYZ0&amount=10&tid=T-1")]
    [InlineData("first-deposit", "?clickid=abc123XYZ0&amount=10")]
    public void Key_StatusFields_AreExcludedFromTheKey(string segment, string query)
    {
        using var services = new TestServices();

        var without = Parse(services, Set, segment, query).Conversion!.IdempotencyKey;
        var pending = Parse(services, Set, segment, query + "&status=hold").Conversion!.IdempotencyKey;
        var approved = Parse(services, Set, segment, query + "&cnv_status=approved&conv_status=paid").Conversion!.IdempotencyKey;

        pending.Should().Be(without);
        approved.Should().Be(without);
    }

    [Fact]
    public void Parse_TwoStatusAliasesDisagree_TheFirstAliasWinsWithParameterConflict()
    {
        using var services = new TestServices();

        var result = Parse(services, Set, "deposit", "?clickid=abc123XYZ0&amount=10&tid=T-1&cnv_status=rejected&status=approved");

        result.Conversion!.Status.Should().Be(ConversionStatus.Approved);
        result.Warnings.Should().ContainSingle().Which.Code.Should().Be(PostbackWarningCodes.ParameterConflict);
    }

    private static PostbackParseResult Parse(TestServices services, PostbackSet set, string segment, string query)
    {
        var result = services.Parser.Parse(set, new PostbackRequest { EventSegment = segment, QueryString = query });
        result.IsValid.Should().BeTrue(result.Rejection?.Message);
        return result;
    }
}
