using Chatterfy.Postbacks.Templates;

namespace Chatterfy.Postbacks.Tests.Templates;

public sealed class LinkTemplateTests
{
    private const string ClickId = "67wgwWkaR0";

    [Fact]
    public void Render_BinomoLink_ReplacesClickId()
    {
        var template = LinkTemplate.Parse("https://binomo.com/en/promo/a21?open=register&click_id={{tracker.clickid}}");

        var result = template.Render(new TemplateValues { ClickId = ClickId });

        template.IsUrl.Should().BeTrue();
        template.Macros.Should().Equal("tracker.clickid");
        result.Value.Should().Be("https://binomo.com/en/promo/a21?open=register&click_id=67wgwWkaR0");
        result.UnknownMacros.Should().BeEmpty();
    }

    [Fact]
    public void Render_OneWinLink_ReplacesSubAndKeepsNetworkMacrosLiteral()
    {
        var template = LinkTemplate.Parse("https://1wzvro.top/v3/aggressive-casino?p=abcd&sub1={{ tracker.clickid }}&sub2={sub2}");

        var result = template.Render(new TemplateValues { ClickId = ClickId });

        result.Value.Should().Be("https://1wzvro.top/v3/aggressive-casino?p=abcd&sub1=67wgwWkaR0&sub2={sub2}");
        template.Macros.Should().Equal("tracker.clickid");
    }

    [Theory]
    [InlineData("{{tracker.clickid}}")]
    [InlineData("{{ tracker.clickid }}")]
    [InlineData("{{Tracker.ClickId}}")]
    [InlineData("{{\tTRACKER.CLICKID\n}}")]
    [InlineData("{{chat.tracker.clickid}}")]
    [InlineData("{{  Chat.Tracker.ClickId }}")]
    public void Render_ClickIdMacroInAnySpacingOrCase_ResolvesToClickId(string macro)
    {
        var template = LinkTemplate.Parse("https://example.com/?c=" + macro, UnknownMacroBehavior.Throw);

        var result = template.Render(new TemplateValues { ClickId = ClickId });

        template.Macros.Should().Equal("tracker.clickid");
        result.Value.Should().Be("https://example.com/?c=67wgwWkaR0");
    }

    [Fact]
    public void Render_TrackerAndFieldsKeys_ResolveFromTheirDictionaries()
    {
        var values = new TemplateValues();
        values.TrackerFields["ad_name"] = "spring";
        values.Fields["Country"] = "BR";
        var template = LinkTemplate.Parse("https://example.com/?ad={{tracker.AD_NAME}}&geo={{ fields.country }}");

        var result = template.Render(values);

        template.Macros.Should().Equal("tracker.ad_name", "fields.country");
        result.Value.Should().Be("https://example.com/?ad=spring&geo=BR");
    }

    [Fact]
    public void Render_ChatIdAndUsernameInPlainText_InsertsThem()
    {
        var template = LinkTemplate.Parse("Hi {{username}}, your chat is {{chatId}}.");

        var result = template.Render(new TemplateValues { Username = "ana", ChatId = "-100123" });

        template.IsUrl.Should().BeFalse();
        template.Macros.Should().Equal("username", "chatid");
        result.Value.Should().Be("Hi ana, your chat is -100123.");
    }

    [Theory]
    [InlineData("a&b", "a%26b")]
    [InlineData("a=b", "a%3Db")]
    [InlineData("a b", "a%20b")]
    [InlineData("a#b", "a%23b")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("a?b+c%d", "a%3Fb%2Bc%25d")]
    [InlineData("é日😀", "%C3%A9%E6%97%A5%F0%9F%98%80")]
    [InlineData("Az09-._~", "Az09-._~")]
    [InlineData("", "")]
    public void Render_QueryValue_PercentEncodesAllButUnreserved(string value, string expected)
    {
        var result = Render("https://example.com/?x={{fields.v}}&y=1", value);

        result.Should().Be($"https://example.com/?x={expected}&y=1");
    }

    [Fact]
    public void Render_PathSegment_EncodesSlashAndSpace()
    {
        Render("https://example.com/p/{{fields.v}}/end", "a/b c").Should().Be("https://example.com/p/a%2Fb%20c/end");
    }

    [Fact]
    public void Render_Fragment_EncodesHashAndQuestionMark()
    {
        Render("https://example.com/?x=1#{{fields.v}}", "a#b?c").Should().Be("https://example.com/?x=1#a%23b%3Fc");
    }

    [Fact]
    public void Render_Authority_EncodesAsData()
    {
        Render("https://{{fields.v}}/x", "user@host:1").Should().Be("https://user%40host%3A1/x");
    }

    [Fact]
    public void Render_TelegramLink_EncodesValue()
    {
        Render("tg://resolve?domain=bot&start={{fields.v}}", "a b").Should().Be("tg://resolve?domain=bot&start=a%20b");
    }

    [Fact]
    public void Render_PlainText_InsertsValueVerbatim()
    {
        Render("Code: {{fields.v}}", "a&b =#/é\r\n").Should().Be("Code: a&b =#/é\r\n");
    }

    [Theory]
    [InlineData("https://example.com", true)]
    [InlineData("HTTP://example.com", true)]
    [InlineData("tg://resolve?domain=bot", true)]
    [InlineData("mailto:a@example.com", true)]
    [InlineData("web+app.x-y:rest", true)]
    [InlineData("Hello {{username}}", false)]
    [InlineData("{{fields.link}}", false)]
    [InlineData("/relative?x={{fields.a}}", false)]
    [InlineData("1http://example.com", false)]
    [InlineData("https", false)]
    [InlineData("Code: {{fields.code}}", false)]
    [InlineData("Code:", false)]
    [InlineData("", false)]
    public void Parse_Template_DetectsUriScheme(string text, bool isUrl)
    {
        LinkTemplate.Parse(text).IsUrl.Should().Be(isUrl);
    }

    [Fact]
    public void Render_UnknownMacroLeaveAsIs_KeepsTextAsWrittenAndReportsEachNameOnce()
    {
        var template = LinkTemplate.Parse("https://example.com/?a={{ Tracker.AdName }}&b={{tracker.adname}}&c={{fields.x}}&d={{tracker.clickid}}");

        var result = template.Render(new TemplateValues { ClickId = ClickId });

        result.Value.Should().Be("https://example.com/?a={{ Tracker.AdName }}&b={{tracker.adname}}&c={{fields.x}}&d=67wgwWkaR0");
        result.UnknownMacros.Should().Equal("tracker.adname", "fields.x");
    }

    [Fact]
    public void Render_UnknownMacroEmpty_WritesNothingAndReportsEachNameOnce()
    {
        var template = LinkTemplate.Parse("https://example.com/?a={{ Tracker.AdName }}&b={{tracker.adname}}&c={{fields.x}}", UnknownMacroBehavior.Empty);

        var result = template.Render(new TemplateValues());

        result.Value.Should().Be("https://example.com/?a=&b=&c=");
        result.UnknownMacros.Should().Equal("tracker.adname", "fields.x");
    }

    [Fact]
    public void Render_UnknownMacroThrow_ThrowsNamingTheMacro()
    {
        var template = LinkTemplate.Parse("https://example.com/?c={{tracker.clickid}}&a={{ Tracker.AdName }}", UnknownMacroBehavior.Throw);

        var act = () => template.Render(new TemplateValues { ClickId = ClickId });

        act.Should().Throw<UnknownMacroException>()
            .Where(e => e.MacroName == "tracker.adname" && e.Message.Contains("{{ Tracker.AdName }}", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_AllMacrosKnownWithThrowPolicy_ReturnsNoUnknowns()
    {
        var template = LinkTemplate.Parse("https://example.com/?c={{tracker.clickid}}", UnknownMacroBehavior.Throw);

        template.Render(new TemplateValues { ClickId = ClickId }).UnknownMacros.Should().BeEmpty();
    }

    [Theory]
    [InlineData("{{")]
    [InlineData("a {{ tracker.clickid")]
    [InlineData("{{}}")]
    [InlineData("{{ }}")]
    [InlineData("{{tracker clickid}}")]
    [InlineData("{{tracker.clickid!}}")]
    [InlineData("{{tracker.clickid}")]
    [InlineData("{tracker.clickid}}")]
    [InlineData("{ {tracker.clickid} }")]
    [InlineData("{sub1}")]
    [InlineData("}}{{")]
    [InlineData("{{tracker.clickid}\\}")]
    [InlineData("\\{{tracker\\_clickid\\}}")]
    [InlineData("https://example.com/?a={{é}}")]
    public void Render_MalformedBraces_StayLiteral(string text)
    {
        var template = LinkTemplate.Parse(text, UnknownMacroBehavior.Throw);

        var result = template.Render(new TemplateValues { ClickId = ClickId });

        template.Macros.Should().BeEmpty();
        result.Value.Should().Be(text);
    }

    [Fact]
    public void Parse_NameLength_AcceptsUpTo128Characters()
    {
        var longest = new string('a', 128);

        LinkTemplate.Parse("{{" + longest + "}}").Macros.Should().Equal(longest);
        LinkTemplate.Parse("{{" + longest + "a}}").Macros.Should().BeEmpty();
    }

    [Fact]
    public void Render_TripleBraces_ReplacesInnerMacroAndKeepsOuterBraces()
    {
        Render("{{{fields.v}}}", "x").Should().Be("{x}");
    }

    [Fact]
    public void Parse_RepeatedMacros_ListsDistinctNormalizedNamesInOrder()
    {
        var template = LinkTemplate.Parse("{{b}}{{A}}{{ B }}{{chat.tracker.clickid}}{{tracker.clickid}}{{a}}");

        template.Macros.Should().Equal("b", "a", "tracker.clickid");
    }

    [Fact]
    public void Render_NoMacros_ReturnsTemplateText()
    {
        var template = LinkTemplate.Parse("https://example.com/?a=1");

        var result = template.Render(new TemplateValues());

        result.Value.Should().BeSameAs(template.Text);
        result.UnknownMacros.Should().BeEmpty();
    }

    [Fact]
    public void Render_RepeatedMacro_WritesValueEachTime()
    {
        Render("{{fields.v}}-{{FIELDS.V}}", "x").Should().Be("x-x");
    }

    [Fact]
    public void Render_HostileValueInUrl_EncodesWithoutThrowing()
    {
        // Built in code: xunit's test-case serialization would replace lone surrogates before the test sees them.
        var cases = new (string Value, string Expected)[]
        {
            ("\uD800", "%EF%BF%BD"),
            ("a\uDC00b", "a%EF%BF%BDb"),
            ("\uDC00\uD800", "%EF%BF%BD%EF%BF%BD"),
            ("\uDBFF\uDFFF", "%F4%8F%BF%BF"),
            ("\0", "%00"),
            ("\r\n", "%0D%0A"),
        };

        foreach (var (value, expected) in cases)
        {
            Render("https://example.com/?x={{fields.v}}", value).Should().Be("https://example.com/?x=" + expected);
        }
    }

    [Fact]
    public void Render_HostileValueInPlainText_InsertsVerbatim()
    {
        const string Value = "\uD800\0\r\n\uDC00";

        Render("[{{fields.v}}]", Value).Should().Be("[" + Value + "]");
    }

    [Fact]
    public void Render_HugeValues_OutgrowTheStackBuffer()
    {
        var value = new string('é', 200_000);

        Render("https://example.com/?x={{fields.v}}&y={{fields.v}}", value).Length.Should().Be(23 + (2 * 6 * 200_000) + 3);
        Render("{{fields.v}}{{fields.v}}", value).Should().Be(value + value);
    }

    [Fact]
    public void Render_KnownMacros_AllocatesOnlyTheResult()
    {
        var values = new TemplateValues { ClickId = ClickId };
        values.TrackerFields["ad_name"] = "spring sale";
        var template = LinkTemplate.Parse("https://binomo.com/en/promo/a21?open=register&click_id={{tracker.clickid}}&ad={{ tracker.ad_name }}");
        var expectedLength = template.Render(values).Value.Length;

        const int Renders = 100;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Renders; i++)
        {
            _ = template.Render(values);
        }

        var perRender = (GC.GetAllocatedBytesForCurrentThread() - before) / Renders;

        // The string (header + UTF-16 payload) and the result record; nothing proportional to the work done.
        perRender.Should().BeLessThanOrEqualTo(32 + (2L * expectedLength) + 48);
    }

    [Fact]
    public void Parse_NullTemplate_Throws()
    {
        var act = () => LinkTemplate.Parse(null!);

        act.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Parse_UndefinedBehavior_Throws()
    {
        var act = () => LinkTemplate.Parse("x", (UnknownMacroBehavior)42);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Render_NullValues_Throws()
    {
        var act = () => LinkTemplate.Parse("{{a}}").Render(null!);

        act.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Parse_Template_KeepsTextAndBehavior()
    {
        var template = LinkTemplate.Parse("{{a}}", UnknownMacroBehavior.Empty);

        template.Text.Should().Be("{{a}}");
        template.UnknownMacros.Should().Be(UnknownMacroBehavior.Empty);
        template.ToString().Should().Be("{{a}}");
    }

    private static string Render(string template, string value)
    {
        var values = new TemplateValues();
        values.Fields["v"] = value;
        return LinkTemplate.Parse(template, UnknownMacroBehavior.Throw).Render(values).Value;
    }
}
