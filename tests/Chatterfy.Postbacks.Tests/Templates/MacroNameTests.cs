using Chatterfy.Postbacks.Templates;

namespace Chatterfy.Postbacks.Tests.Templates;

/// <summary>The macro-name rule the tracker API's link variables use is the one the template compiler parses with.</summary>
public sealed class MacroNameTests
{
    [Theory]
    [InlineData("chatid", true)]
    [InlineData("fields.country", true)]
    [InlineData("a-b_c.D9", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("a/b", false)]
    [InlineData(null, false)]
    public void IsMacroName_Name_TellsWhetherTheCompilerReadsItAsAMacro(string? name, bool expected)
    {
        LinkTemplate.IsMacroName(name).Should().Be(expected);
        if (name is not null)
        {
            LinkTemplate.Parse("x{{" + name + "}}").Macros.Count.Should().Be(expected ? 1 : 0);
        }
    }

    [Fact]
    public void IsMacroName_LongestName_IsTheCompilersLimit()
    {
        LinkTemplate.IsMacroName(new string('a', LinkTemplate.MaxMacroNameLength)).Should().BeTrue();
        LinkTemplate.IsMacroName(new string('a', LinkTemplate.MaxMacroNameLength + 1)).Should().BeFalse();
        LinkTemplate.Parse("{{" + new string('a', LinkTemplate.MaxMacroNameLength + 1) + "}}").Macros.Should().BeEmpty();
    }

    [Theory]
    [InlineData("tracker.clickid", true)]
    [InlineData("Chat.Tracker.ClickId", true)]
    [InlineData("tracker.click", false)]
    public void IsClickIdMacro_Name_MatchesBothSpellingsInAnyCase(string name, bool expected) =>
        LinkTemplate.IsClickIdMacro(name).Should().Be(expected);
}
