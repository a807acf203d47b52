using System.Text.Json;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Tests.Networks;

/// <summary>1Win's click id may arrive as the sub parameter the set reads (<c>sub4=…</c>) as well as <c>clickid=…</c>.</summary>
public sealed class OneWinClickIdTests
{
    [Fact]
    public async Task Parse_ClickIdInTheSetsSubParameter_IsTheClickId()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = NetworkIds.OneWin, Settings = JsonDocument.Parse("""{"clickIdSub":"sub4"}""").RootElement });

        var result = services.Parser.Parse(set, new PostbackRequest { EventSegment = "registration", QueryString = "?sub1={sub1}&sub4=abc123XYZ0" });

        result.IsValid.Should().BeTrue();
        result.Conversion!.ClickId.Should().Be("abc123XYZ0");
    }

    [Fact]
    public async Task Parse_TheSetsSubParameterUnsubstituted_IsRefusedAsAMacro_AndAnotherSubIsNotRead()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = NetworkIds.OneWin });

        var result = services.Parser.Parse(set, new PostbackRequest { EventSegment = "registration", QueryString = "?sub1={sub1}&sub4=abc123XYZ0" });

        result.IsValid.Should().BeFalse();
        result.Rejection!.Code.Should().Be(PostbackRejectionCodes.MacroNotSubstituted);
    }

    [Fact]
    public async Task Parse_ClickidAndTheSubParameter_ClickidWins_AndAnUnsubstitutedClickidFallsBackToTheSub()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = NetworkIds.OneWin });

        var both = services.Parser.Parse(set, new PostbackRequest { EventSegment = "registration", QueryString = "?clickid=abc123XYZ0&sub1=abc123XYZ0" });
        var fallback = services.Parser.Parse(set, new PostbackRequest { EventSegment = "registration", QueryString = "?clickid={sub1}&sub1=abc123XYZ0" });

        both.Conversion!.ClickId.Should().Be("abc123XYZ0");
        fallback.Conversion!.ClickId.Should().Be("abc123XYZ0");
    }
}
