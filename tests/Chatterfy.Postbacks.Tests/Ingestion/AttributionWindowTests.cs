using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Tests.Ingestion;

public sealed class AttributionWindowTests
{
    private static readonly DateTimeOffset ClickedAt = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void HasPassed_ExactlyTheWindowAfterTheClick_IsFalse() =>
        AttributionWindow.HasPassed(ClickedAt, ClickedAt.AddSeconds(3600), 3600).Should().BeFalse("exactly the window is still inside");

    [Fact]
    public void HasPassed_OneTickMoreThanTheWindow_IsTrue() =>
        AttributionWindow.HasPassed(ClickedAt, ClickedAt.AddSeconds(3600).AddTicks(1), 3600).Should().BeTrue();

    [Fact]
    public void HasPassed_WithoutAWindow_IsFalseHoweverLate() =>
        AttributionWindow.HasPassed(ClickedAt, ClickedAt.AddYears(5), null).Should().BeFalse();

    [Fact]
    public void HasPassed_ReceivedBeforeTheClick_IsFalse() =>
        AttributionWindow.HasPassed(ClickedAt, ClickedAt.AddDays(-1), 60).Should().BeFalse();

    [Theory]
    [InlineData(600L, 60L, 600L)]
    [InlineData(600L, null, 600L)]
    [InlineData(null, 60L, 60L)]
    [InlineData(null, null, null)]
    public void Of_CampaignWindowWhenItHasOne_ElseTheSets(long? campaign, long? set, long? expected) =>
        AttributionWindow.Of(campaign, set).Should().Be(expected);

    [Theory]
    [InlineData(null)]
    [InlineData(AttributionWindow.MinSeconds)]
    [InlineData(86_400L)]
    [InlineData(AttributionWindow.MaxSeconds)]
    public void Validate_NoneOrOneMinuteTo365Days_IsValid(long? seconds) =>
        AttributionWindow.Validate(seconds).Should().BeNull();

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(AttributionWindow.MinSeconds - 1)]
    [InlineData(AttributionWindow.MaxSeconds + 1)]
    [InlineData(long.MaxValue)]
    public void Validate_OutsideTheRange_SaysTheRange(long seconds) =>
        AttributionWindow.Validate(seconds).Should().Be("An attribution window is 60 to 31536000 seconds (1 minute to 365 days), or null for none.");
}
