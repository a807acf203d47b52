using Chatterfy.Postbacks.Templates;
using CsCheck;

namespace Chatterfy.Postbacks.Tests.Templates;

/// <summary><see cref="LinkTemplate.RenderToString"/> is <see cref="LinkTemplate.Render"/>'s text, and costs only the string.</summary>
public sealed class LinkTemplateRenderToStringTests
{
    private static readonly string[] Names = ["tracker.clickid", "tracker.ad_name", "fields.a", "chatId", "username", "click.id", "unknown.x"];

    private static readonly Gen<string> Value = Gen.OneOf(Gen.String, Gen.String["&=#/?% +{}azAZ09-._~é日\uD83D\uDE00\uD800"]);

    // Literal text and macros in any mix, from none to well past the direct-render limit of eight occurrences.
    private static readonly Gen<string> TemplateText = Gen.Select(
        Gen.OneOf(Gen.Const("https://x.example/p?"), Gen.Const("tg://resolve?d="), Gen.Const("Hi "), Gen.Const("")),
        Gen.OneOf(Gen.Int[0, Names.Length - 1].Select(i => "{{" + Names[i] + "}}"), Gen.String["a&/ {}"]).Array[0, 20])
        .Select((prefix, parts) => prefix + string.Concat(parts));

    [Fact]
    public void RenderToString_AnyTemplateAndValues_EqualsRenderValue()
    {
        Gen.Select(TemplateText, Gen.Enum<UnknownMacroBehavior>(), Value, Value, Value).Sample((text, behavior, a, b, c) =>
        {
            var template = LinkTemplate.Parse(text, behavior);
            var values = new TemplateValues { ClickId = a, ChatId = b };
            values.TrackerFields["ad_name"] = c;
            values.Fields["a"] = a + c;
            values.Variables["click.id"] = b;

            string? rendered = null;
            Exception? renderError = null;
            try
            {
                rendered = template.Render(values).Value;
            }
            catch (UnknownMacroException ex)
            {
                renderError = ex;
            }

            var act = () => template.RenderToString(values);
            if (renderError is null)
            {
                act().Should().Be(rendered);
            }
            else
            {
                act.Should().Throw<UnknownMacroException>().WithMessage(renderError.Message);
            }
        });
    }

    [Fact]
    public void RenderToString_CustomValueSource_LooksEachMacroUpOnceInOrder()
    {
        var template = LinkTemplate.Parse("https://x.example/{{a}}/{{b}}/{{a}}?q={{c}}");
        var source = new RecordingSource();

        var rendered = template.RenderToString(source);

        rendered.Should().Be("https://x.example/A%2F/B%2F/A%2F?q={{c}}");
        source.Asked.Should().Equal("a", "b", "a", "c");
    }

    [Fact]
    public void RenderToString_TypicalLink_AllocatesOnlyTheResultString()
    {
        var template = LinkTemplate.Parse("https://binomo.com/en/promo/a21?open=register&click_id={{tracker.clickid}}&utm_content={{tracker.ad_name}}&chat={{chatId}}");
        var values = new TemplateValues { ClickId = "67wgwWkaR0Ab", ChatId = "123456789" };
        values.TrackerFields["ad_name"] = "video 1/spring";
        var expected = "https://binomo.com/en/promo/a21?open=register&click_id=67wgwWkaR0Ab&utm_content=video%201%2Fspring&chat=123456789";
        template.RenderToString(values).Should().Be(expected);

        // As in the parser's budget test: steady-state code, measured in batches until tiering has caught up.
        var stringSize = 22 + (2 * expected.Length);
        var perRender = long.MaxValue;
        for (var batch = 0; batch < 100 && perRender > stringSize + 8; batch++)
        {
            const int Runs = 200;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Runs; i++)
            {
                _ = template.RenderToString(values);
            }

            perRender = Math.Min(perRender, (GC.GetAllocatedBytesForCurrentThread() - before) / Runs);
            Thread.Sleep(20);
        }

        // The object header, length and characters, rounded up to 8 bytes: nothing else.
        perRender.Should().BeLessThanOrEqualTo((stringSize + 7) / 8 * 8);
    }

    private sealed class RecordingSource : IMacroValueSource
    {
        public List<string> Asked { get; } = [];

        public bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
        {
            Asked.Add(name);
            value = name == "c" ? null : name.ToUpperInvariant() + "/";
            return value is not null;
        }
    }
}
