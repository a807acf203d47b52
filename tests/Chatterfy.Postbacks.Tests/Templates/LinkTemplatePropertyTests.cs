using System.Text;
using Chatterfy.Postbacks.Templates;
using CsCheck;

namespace Chatterfy.Postbacks.Tests.Templates;

public sealed class LinkTemplatePropertyTests
{
    private const string UrlTemplate = "https://example.com/p/{{fields.a}}?x={{tracker.clickid}}&y=1#{{fields.b}}";

    // Any UTF-16 string, lone surrogates included, plus strings dense in URL delimiters and non-ASCII text.
    private static readonly Gen<string> AnyValue = Gen.OneOf(Gen.String, Gen.String["&=#/?% +{}\\\r\n\0é日\uD83D\uDE00\uD800\uDC00"]);

    // Well-formed UTF-16 only: a round trip through UTF-8 cannot preserve lone surrogates.
    private static readonly Gen<string> WellFormedValue = Gen.OneOf(
        Gen.String["&=#/?% +{}\\\r\n\0azAZ09-._~é日"],
        Gen.Int[0, 0x10FFFF].Where(c => c is < 0xD800 or > 0xDFFF).Select(char.ConvertFromUtf32).Array[0, 24].Select(string.Concat));

    [Fact]
    public void Render_AnyValues_NeverThrowsAndUrlOutputIsAscii()
    {
        var urlTemplates = new[] { LinkTemplate.Parse(UrlTemplate), LinkTemplate.Parse(UrlTemplate, UnknownMacroBehavior.Empty) };
        var textTemplates = new[] { LinkTemplate.Parse("{{fields.a}} {{tracker.clickid}} {{fields.b}}", UnknownMacroBehavior.Empty) };

        Gen.Select(AnyValue, AnyValue, Gen.Bool).Sample((a, clickId, includeB) =>
        {
            var values = new TemplateValues { ClickId = clickId };
            values.Fields["a"] = a;
            if (includeB)
            {
                values.Fields["b"] = a + clickId;
            }

            foreach (var template in urlTemplates)
            {
                var rendered = template.Render(values).Value;
                Ascii.IsValid(rendered).Should().BeTrue();
            }

            foreach (var template in textTemplates)
            {
                _ = template.Render(values);
            }
        });
    }

    [Fact]
    public void Render_WellFormedValues_ProducesAbsoluteUriThatDecodesBack()
    {
        var template = LinkTemplate.Parse(UrlTemplate, UnknownMacroBehavior.Throw);

        Gen.Select(WellFormedValue, WellFormedValue, WellFormedValue).Sample((a, clickId, b) =>
        {
            var values = new TemplateValues { ClickId = clickId };
            values.Fields["a"] = a;
            values.Fields["b"] = b;

            var rendered = template.Render(values).Value;

            Uri.TryCreate(rendered, UriKind.Absolute, out var uri).Should().BeTrue(rendered);
            var query = uri!.Query;
            query.Should().StartWith("?x=").And.EndWith("&y=1");
            Uri.UnescapeDataString(query[3..^4]).Should().Be(clickId);
            rendered.Should().Be($"https://example.com/p/{Uri.EscapeDataString(a)}?x={Uri.EscapeDataString(clickId)}&y=1#{Uri.EscapeDataString(b)}");
        });
    }

    [Fact]
    public void Render_PlainText_InsertsAnyValueVerbatim()
    {
        var template = LinkTemplate.Parse("Hi {{username}}, id={{ tracker.clickid }}!", UnknownMacroBehavior.Throw);

        Gen.Select(AnyValue, AnyValue).Sample((username, clickId) =>
        {
            var rendered = template.Render(new TemplateValues { Username = username, ClickId = clickId }).Value;

            rendered.Should().Be("Hi " + username + ", id=" + clickId + "!");
        });
    }

    [Fact]
    public void Parse_AnyText_NeverThrowsAndRoundTripsWhenAllUnknownAreKept()
    {
        var text = Gen.OneOf(Gen.String, Gen.String["{} .aZ_-\t"]);

        text.Sample(t =>
        {
            var result = LinkTemplate.Parse(t).Render(new TemplateValues());

            result.Value.Should().Be(t);
            result.UnknownMacros.Should().BeEquivalentTo(LinkTemplate.Parse(t).Macros);
        });
    }
}
