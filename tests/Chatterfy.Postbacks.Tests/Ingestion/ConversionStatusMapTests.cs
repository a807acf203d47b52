using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Tests.Ingestion;

public sealed class ConversionStatusMapTests
{
    [Fact]
    public void Default_ListsTheIssuesWords()
    {
        ConversionStatusMap.Default.Words.Should().BeEquivalentTo(new Dictionary<ConversionStatus, string[]>
        {
            [ConversionStatus.Approved] = ["approved", "confirmed", "paid"],
            [ConversionStatus.Pending] = ["pending", "hold"],
            [ConversionStatus.Rejected] = ["rejected", "reject", "declined", "trash", "cancelled"],
            [ConversionStatus.Chargeback] = ["chargeback", "refund"],
        });
    }

    [Fact]
    public void ToJson_ThenParse_RoundTrips()
    {
        var json = ConversionStatusMap.Default.ToJson();

        json.Should().Be("""{"approved":["approved","confirmed","paid"],"pending":["pending","hold"],"rejected":["rejected","reject","declined","trash","cancelled"],"chargeback":["chargeback","refund"]}""");
        ConversionStatusMap.Parse(json).Words.Should().BeEquivalentTo(ConversionStatusMap.Default.Words);
    }

    [Theory]
    [InlineData("lost", "'lost' is not a status")]
    [InlineData("approved", "listed under both")]
    public void TryCreate_UnknownStatusOrWordUnderTwoStatuses_Fails(string name, string error)
    {
        var words = new Dictionary<string, IReadOnlyList<string>?> { ["pending"] = ["Approved"], [name] = ["approved"] };

        ConversionStatusMap.TryCreate(words, out var map, out var message).Should().BeFalse();

        map.Should().BeNull();
        message.Should().Contain(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\u0001b")]
    public void TryCreate_BlankOrControlWord_Fails(string word)
    {
        ConversionStatusMap.TryCreate(new Dictionary<string, IReadOnlyList<string>?> { ["approved"] = [word] }, out _, out var message).Should().BeFalse();

        message.Should().Contain("1 to 64 characters");
    }

    [Fact]
    public void TryCreate_NoWords_Fails()
    {
        ConversionStatusMap.TryCreate(new Dictionary<string, IReadOnlyList<string>?> { ["approved"] = [] }, out _, out var message).Should().BeFalse();

        message.Should().Contain("send null for the default map");
    }

    [Fact]
    public void TryResolve_TrimsAndIgnoresCase()
    {
        ConversionStatusMap.TryCreate(new Dictionary<string, IReadOnlyList<string>?> { ["approved"] = [" Sale "] }, out var map, out _).Should().BeTrue();

        map!.TryResolve("SALE", out var status).Should().BeTrue();
        status.Should().Be(ConversionStatus.Approved);
        map.TryResolve("hold", out _).Should().BeFalse();
    }
}
