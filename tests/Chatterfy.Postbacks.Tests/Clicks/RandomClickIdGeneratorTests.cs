using Chatterfy.Postbacks.Clicks;

namespace Chatterfy.Postbacks.Tests.Clicks;

public sealed class RandomClickIdGeneratorTests
{
    [Fact]
    public void NewClickId_Default_IsTwelveAlphanumerics()
    {
        using var services = new TestServices();

        var id = services.Get<IClickIdGenerator>().NewClickId();

        id.Should().HaveLength(12).And.MatchRegex("^[A-Za-z0-9]{12}$");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    public void NewClickId_ConfiguredLength_IsHonoured(int length)
    {
        using var services = new TestServices(o => o.ClickIdLength = length);

        services.Get<IClickIdGenerator>().NewClickId().Should().HaveLength(length);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(33)]
    public void NewClickId_LengthOutOfRange_Throws(int length)
    {
        var act = () => RandomClickIdGenerator.NewClickId(length);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void NewClickId_TenThousandIds_AreDistinctAndFitTelegramStartPayload()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => RandomClickIdGenerator.NewClickId(12)).ToList();

        ids.Should().OnlyHaveUniqueItems();
        ids.Should().AllSatisfy(id => id.Length.Should().BeLessThanOrEqualTo(64));
    }

    [Fact]
    public void NewClickId_Characters_AreSpreadOverTheWholeAlphabet()
    {
        var counts = string.Concat(Enumerable.Range(0, 2_000).Select(_ => RandomClickIdGenerator.NewClickId(31)))
            .GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());

        counts.Should().HaveCount(62);

        // 62,000 draws over 62 symbols: about 1,000 each; a biased generator lands far outside this band.
        counts.Values.Should().AllSatisfy(n => n.Should().BeInRange(800, 1200));
    }
}
