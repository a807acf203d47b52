using System.Globalization;
using Chatterfy.Postbacks.Dashboard.Html;

namespace Chatterfy.Postbacks.Dashboard.Layout;

/// <summary>How every page shows the values they share: times (UTC, labelled so), words as badges, copyable text.</summary>
internal static class Display
{
    /// <summary>Shows a time in UTC to the second, labelled UTC, in a <c>time</c> element.</summary>
    /// <param name="time">The time.</param>
    /// <returns>e.g. <c>&lt;time datetime="2026-12-03T15:04:05Z"&gt;2026-12-03 15:04:05 UTC&lt;/time&gt;</c>.</returns>
    public static Markup Time(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return Markup.Of($"""<time datetime="{utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}">{utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC</time>""");
    }

    /// <summary>Shows a stored word (an outcome, a status) as a badge whose class is the word.</summary>
    /// <param name="word">The word, e.g. <c>accepted</c>.</param>
    /// <returns>The badge.</returns>
    public static Markup Badge(string word) => Markup.Of($"""<span class="badge {word}">{word}</span>""");

    /// <summary>
    /// Shows <paramref name="text"/> in a <c>code</c> element with a Copy button and a live status for "Copied"
    /// (dashboard.js copies the element's text).
    /// </summary>
    /// <param name="id">The element's id, unique in the page.</param>
    /// <param name="text">The text to copy.</param>
    /// <param name="label">What is copied, for the button's accessible name, e.g. <c>Registration URL</c>.</param>
    /// <returns>The fragment.</returns>
    public static Markup Copyable(string id, string text, string label) => Markup.Of($"""
        <code class="url" id="{id}">{text}</code>
        <span class="copy-row"><button type="button" class="secondary" data-copy="{id}" aria-label="Copy {label}">Copy</button><span class="copied" id="{id}-status" role="status" aria-live="polite"></span></span>
        """);

    /// <summary>Wraps a table so that it scrolls sideways on a narrow screen, reachable with the keyboard.</summary>
    /// <param name="label">The table's accessible name.</param>
    /// <param name="table">The table.</param>
    /// <returns>The fragment.</returns>
    public static Markup ScrollingTable(string label, Markup table) =>
        Markup.Of($"""<div class="table-wrap" role="region" aria-label="{label}" tabindex="0">{table}</div>""");

    /// <summary>Writes one <c>option</c> of a select, marked <c>selected</c> when it is the current choice.</summary>
    /// <param name="value">The option's value.</param>
    /// <param name="text">The option's text.</param>
    /// <param name="selected">Whether it is the current choice.</param>
    /// <returns>The option.</returns>
    public static Markup Option(string value, string text, bool selected) => selected
        ? Markup.Of($"""<option value="{value}" selected>{text}</option>""")
        : Markup.Of($"""<option value="{value}">{text}</option>""");
}
