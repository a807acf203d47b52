using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Templates;

namespace Chatterfy.Postbacks.Tests.Templates;

public sealed class TemplateValuesTests
{
    [Fact]
    public void ForClick_Click_SetsClickIdAndTrackerFields()
    {
        var click = new Click
        {
            Id = "67wgwWkaR0",
            SubjectId = "42",
            CreatedAt = DateTimeOffset.UnixEpoch,
            Fields = new Dictionary<string, string> { ["ad_name"] = "spring", ["UTM_Source"] = "fb" },
        };

        var values = TemplateValues.ForClick(click);

        values.ClickId.Should().Be("67wgwWkaR0");
        values.ChatId.Should().BeNull();
        values.TrackerFields.Should().HaveCount(2);
        var result = LinkTemplate.Parse("https://example.com/?c={{chat.tracker.clickid}}&s={{tracker.utm_source}}&a={{tracker.ad_name}}")
            .Render(values);
        result.Value.Should().Be("https://example.com/?c=67wgwWkaR0&s=fb&a=spring");
    }

    [Fact]
    public void ForClick_NullClick_Throws()
    {
        var act = () => TemplateValues.ForClick(null!);

        act.Should().Throw<ArgumentNullException>();
    }

    [Theory]
    [InlineData("tracker.clickid", "click")]
    [InlineData("tracker.ad_name", "tracker-ad")]
    [InlineData("fields.country", "field-country")]
    [InlineData("chatid", "chat")]
    [InlineData("username", "user")]
    [InlineData("click.id", "variable")]
    [InlineData("TRACKER.AD_NAME", "tracker-ad")]
    public void TryGetValue_KnownName_ResolvesFromItsFamily(string name, string expected)
    {
        var values = Filled();

        values.TryGetValue(name, out var value).Should().BeTrue();
        value.Should().Be(expected);
    }

    [Theory]
    [InlineData("tracker.missing")]
    [InlineData("fields.missing")]
    [InlineData("fields.ad_name")]
    [InlineData("tracker.country")]
    [InlineData("tracker.")]
    [InlineData("other")]
    public void TryGetValue_MissingName_ReturnsFalse(string name)
    {
        Filled().TryGetValue(name, out var value).Should().BeFalse();
        value.Should().BeNull();
    }

    [Theory]
    [InlineData("tracker.clickid")]
    [InlineData("chatid")]
    [InlineData("username")]
    public void TryGetValue_NullProperty_ReturnsFalse(string name)
    {
        new TemplateValues().TryGetValue(name, out _).Should().BeFalse();
    }

    [Fact]
    public void Dictionaries_Keys_AreCaseInsensitive()
    {
        var values = new TemplateValues();
        values.TrackerFields["Ad_Name"] = "a";
        values.Fields["COUNTRY"] = "b";
        values.Variables["Conversion.Amount"] = "c";

        values.TryGetValue("tracker.ad_name", out var tracker).Should().BeTrue();
        values.TryGetValue("fields.country", out var field).Should().BeTrue();
        values.TryGetValue("conversion.amount", out var variable).Should().BeTrue();
        (tracker, field, variable).Should().Be(("a", "b", "c"));
    }

    private static TemplateValues Filled()
    {
        var values = new TemplateValues { ClickId = "click", ChatId = "chat", Username = "user" };
        values.TrackerFields["ad_name"] = "tracker-ad";
        values.Fields["country"] = "field-country";
        values.Variables["click.id"] = "variable";
        return values;
    }
}
