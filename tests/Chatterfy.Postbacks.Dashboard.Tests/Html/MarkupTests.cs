using Chatterfy.Postbacks.Dashboard.Html;

namespace Chatterfy.Postbacks.Dashboard.Tests.Html;

public sealed class MarkupTests
{
    [Fact]
    public void Of_AStringHole_IsHtmlEncodedQuotesIncluded()
    {
        var name = "<img src=x onerror=\"alert(1)\">";

        Markup.Of($"<td title=\"{name}\">{name}</td>").Html
            .Should().Be("<td title=\"&lt;img src=x onerror=&quot;alert(1)&quot;&gt;\">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</td>");
    }

    [Fact]
    public void Of_MarkupHoles_AreWrittenAsTheyAre_WhateverTheirStaticType()
    {
        var cell = Markup.Of($"<td>{"a&b"}</td>");
        List<Markup> list = [cell, cell];
        Markup[] array = [cell];
        IEnumerable<Markup> sequence = list;
        object boxed = cell;

        Markup.Of($"{list}|{array}|{sequence}|{boxed}").Html
            .Should().Be("<td>a&amp;b</td><td>a&amp;b</td>|<td>a&amp;b</td>|<td>a&amp;b</td><td>a&amp;b</td>|<td>a&amp;b</td>");
    }

    [Fact]
    public void Of_NumbersAndNull_UseTheInvariantCultureAndWriteNothingForNull()
    {
        string? missing = null;

        Markup.Of($"{10.10m}|{1234567}|{missing}|{3.5:0.00}").Html.Should().Be("10.10|1234567||3.50");
    }
}
