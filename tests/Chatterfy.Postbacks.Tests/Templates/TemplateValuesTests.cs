using System.Text;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Templates;
using CsCheck;

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

    // Renders look dictionary macros up in a table kept beside each dictionary (up to 16 entries, then the dictionary
    // itself): any sequence of edits, past that size and back, must render exactly as a case-insensitive dictionary.
    [Fact]
    public void Render_DictionariesEditedInAnyOrder_MatchesCaseInsensitiveDictionaries()
    {
        const int KeyCount = 20;
        var prefixes = new[] { "tracker.", "fields.", string.Empty };
        var template = new StringBuilder("x");
        foreach (var prefix in prefixes)
        {
            for (var k = 0; k < KeyCount; k++)
            {
                template.Append(" {{").Append(prefix).Append('k').Append(k).Append("}}");
            }
        }

        var parsed = LinkTemplate.Parse(template.ToString());
        // Mostly sets, so a dictionary often grows past the table; removals and clears in between.
        var kind = Gen.Frequency((10, Gen.Const(0)), (3, Gen.Const(1)), (3, Gen.Const(2)), (2, Gen.Const(3)), (1, Gen.Const(4)), (3, Gen.Const(5)));
        var edit = Gen.Select(Gen.Int[0, 2], kind, Gen.Int[0, KeyCount - 1], Gen.Bool, Gen.String["ab"]);
        edit.Array[0, 150].Sample(edits =>
        {
            var values = new TemplateValues();
            var targets = new[] { values.TrackerFields, values.Fields, values.Variables };
            var models = prefixes.Select(_ => new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)).ToArray();
            foreach (var (which, kind, k, upper, value) in edits)
            {
                var key = upper ? "K" + k : "k" + k;
                var (target, model) = (targets[which], models[which]);
                switch (kind)
                {
                    case 0:
                        target[key] = value;
                        model[key] = value;
                        break;
                    case 1 when model.ContainsKey(key):
                        target.Invoking(t => t.Add(key, value)).Should().Throw<ArgumentException>();
                        break;
                    case 1:
                        target.Add(key, value);
                        model.Add(key, value);
                        break;
                    case 2:
                        target.Remove(key).Should().Be(model.Remove(key));
                        break;
                    case 3:
                        var pair = new KeyValuePair<string, string>(key, value);
                        var modelHasPair = model.TryGetValue(key, out var current) && current == value;
                        target.Remove(pair).Should().Be(modelHasPair);
                        _ = modelHasPair && model.Remove(key);
                        break;
                    case 4:
                        target.Clear();
                        model.Clear();
                        break;
                    default:
                        target.TryAdd(key, value).Should().Be(model.TryAdd(key, value));
                        break;
                }
            }

            var expected = new StringBuilder("x");
            for (var i = 0; i < prefixes.Length; i++)
            {
                for (var k = 0; k < KeyCount; k++)
                {
                    expected.Append(' ').Append(models[i].TryGetValue("k" + k, out var value) ? value : "{{" + prefixes[i] + "k" + k + "}}");
                }
            }

            parsed.RenderToString(values).Should().Be(expected.ToString());
            targets.Select(t => t.Count).Should().Equal(models.Select(m => m.Count));
        }, iter: 1_000);
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
