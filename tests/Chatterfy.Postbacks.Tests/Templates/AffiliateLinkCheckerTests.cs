using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Templates;

namespace Chatterfy.Postbacks.Tests.Templates;

public sealed class AffiliateLinkCheckerTests
{
    private const string BinomoLink = "https://binomo.com/en/promo/a21?open=register&click_id={{tracker.clickid}}";

    private static readonly NetworkProfile Binomo = new LinkParameterProfile("click_id");

    [Theory]
    [InlineData(BinomoLink)]
    [InlineData("https://binomo.com/en/promo/a21?open=register&click_id={{ Chat.Tracker.ClickId }}")]
    [InlineData("https://binomo.com/en/promo/a21?click_id=x-{{tracker.clickid}}&open=register")]
    [InlineData("https://binomo.com/en/promo/a21?open=register&click_id={{tracker.clickid}}#/app?tab=1")]
    public void Check_CorrectLink_ReturnsNoWarnings(string link)
    {
        AffiliateLinkChecker.Check(link, Binomo).Should().BeEmpty();
    }

    [Fact]
    public void Check_CorrectOneWinLink_ReturnsNoWarnings()
    {
        var oneWin = new LinkParameterProfile("sub1");

        AffiliateLinkChecker.Check("https://1wzvro.top/casino?p=abcd&sub1={{tracker.clickid}}&sub2={sub2}", oneWin).Should().BeEmpty();
    }

    [Fact]
    public void Check_ClickIdParameterMissing_WarnsNamingTheParameter()
    {
        var warnings = AffiliateLinkChecker.Check("https://binomo.com/en/promo/a21?open=register", Binomo);

        var warning = warnings.Should().ContainSingle().Subject;
        warning.Code.Should().Be(LinkCheckCodes.ClickIdMacroMissing);
        warning.Message.Should().Contain("click_id").And.Contain("&click_id={{tracker.clickid}}");
    }

    [Fact]
    public void Check_NoQuery_SuggestsStartingTheQuery()
    {
        var warning = AffiliateLinkChecker.Check("https://binomo.com/en/promo/a21", Binomo).Should().ContainSingle().Subject;

        warning.Message.Should().Contain("?click_id={{tracker.clickid}}");
    }

    [Fact]
    public void Check_MacroInAnotherParameter_SaysWhich()
    {
        var warning = AffiliateLinkChecker.Check("https://binomo.com/en/promo/a21?open=register&sub1={{tracker.clickid}}", Binomo)
            .Should().ContainSingle().Subject;

        warning.Code.Should().Be(LinkCheckCodes.ClickIdMacroMissing);
        warning.Message.Should().Contain("sub1").And.Contain("click_id={{tracker.clickid}}");
    }

    [Theory]
    [InlineData("https://binomo.com/en/promo/a21?open=register&click_id=67wgwWkaR0")]
    [InlineData("https://binomo.com/en/promo/a21?open=register&click_id")]
    [InlineData("https://binomo.com/en/promo/a21?open=register&click_id={sub1}")]
    [InlineData("https://binomo.com/en/promo/a21?open=register&click_id={{tracker.ad_name}}")]
    [InlineData("https://binomo.com/en/promo/a21?open=register&Click_ID={{tracker.clickid}}")]
    [InlineData("https://binomo.com/{{tracker.clickid}}?open=register")]
    [InlineData("https://binomo.com/en/promo/a21?open=register#click_id={{tracker.clickid}}")]
    public void Check_ParameterWithoutClickIdMacro_Warns(string link)
    {
        AffiliateLinkChecker.Check(link, Binomo).Should().ContainSingle()
            .Which.Code.Should().Be(LinkCheckCodes.ClickIdMacroMissing);
    }

    [Fact]
    public void Check_NoProfile_SkipsClickIdCheck()
    {
        AffiliateLinkChecker.Check("https://binomo.com/en/promo/a21?open=register").Should().BeEmpty();
        AffiliateLinkChecker.Check("https://binomo.com/en/promo/a21?open=register", new LinkParameterProfile(null)).Should().BeEmpty();
    }

    [Fact]
    public void Check_HtmlEscapedAmpersand_Warns()
    {
        var warnings = AffiliateLinkChecker.Check("https://binomo.com/en/promo/a21?open=register&amp;click_id={{tracker.clickid}}");

        warnings.Should().ContainSingle().Which.Code.Should().Be(LinkCheckCodes.HtmlEscaped);
    }

    [Fact]
    public void Check_HtmlEscapedWithProfile_AlsoReportsTheMisnamedParameter()
    {
        var warnings = AffiliateLinkChecker.Check("https://binomo.com/en/promo/a21?open=register&amp;click_id={{tracker.clickid}}", Binomo);

        warnings.Select(w => w.Code).Should().Equal(LinkCheckCodes.ClickIdMacroMissing, LinkCheckCodes.HtmlEscaped);
        warnings[0].Message.Should().Contain("amp;click_id");
    }

    [Theory]
    [InlineData("https://binomo.com/en/promo/a21?open=register&click_id=\\{{tracker.clickid\\}}")]
    [InlineData("https://binomo.com/en/promo/a21?open=register&click_id=\\{{tracker.clickid}}")]
    [InlineData("https://binomo.com/en/promo/a21?open=register&click\\_id={{tracker.clickid}}")]
    public void Check_MarkdownEscapes_Warns(string link)
    {
        AffiliateLinkChecker.Check(link).Should().ContainSingle().Which.Code.Should().Be(LinkCheckCodes.MarkdownEscaped);
    }

    [Fact]
    public void Check_SecondQuestionMark_Warns()
    {
        var warnings = AffiliateLinkChecker.Check("https://binomo.com/en/promo/a21?open=register?click_id={{tracker.clickid}}");

        warnings.Should().ContainSingle().Which.Code.Should().Be(LinkCheckCodes.MultipleQuestionMarks);
    }

    [Fact]
    public void Check_NullLink_Throws()
    {
        var act = () => AffiliateLinkChecker.Check(null!);

        act.Should().Throw<ArgumentNullException>();
    }

    [Theory]
    [InlineData(UnknownMacroBehavior.LeaveAsIs, "The macro {{fields.country}} has no value; it was left in the link as written.")]
    [InlineData(UnknownMacroBehavior.Empty, "The macro {{fields.country}} has no value; it was replaced with nothing.")]
    [InlineData(UnknownMacroBehavior.Throw, "The macro {{fields.country}} has no value, so the link cannot be rendered.")]
    public void UnknownMacro_EachBehavior_SaysWhatTheRenderDid(UnknownMacroBehavior behavior, string message)
    {
        AffiliateLinkChecker.UnknownMacro("fields.country", behavior).Should().Be(new LinkCheckWarning(LinkCheckCodes.UnknownMacro, message));
    }

    private sealed class LinkParameterProfile(string? parameter) : NetworkProfile
    {
        public override string? ClickIdLinkParameter => parameter;

        public override string GetPostbackQuery(PostbackUrlKind kind) => string.Empty;
    }
}
