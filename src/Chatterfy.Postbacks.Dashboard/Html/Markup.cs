using System.Text;

namespace Chatterfy.Postbacks.Dashboard.Html;

/// <summary>
/// A piece of HTML the dashboard trusts: written by <see cref="Of"/>, whose interpolation holes are HTML-encoded unless
/// they are themselves <see cref="Markup"/>. The one way a page writes HTML, so every value a user or a network sent
/// (a set's name, a logged request) reaches the page as text.
/// </summary>
internal sealed class Markup
{
    private Markup(string html) => Html = html;

    /// <summary>Gets the empty fragment.</summary>
    public static Markup Empty { get; } = new(string.Empty);

    /// <summary>Gets the HTML text.</summary>
    public string Html { get; }

    /// <summary>
    /// Writes HTML: the literal parts as written, each hole HTML-encoded (a <see cref="Markup"/> or a sequence of them
    /// as HTML; <see langword="null"/> as nothing; numbers and times in the invariant culture).
    /// </summary>
    /// <param name="handler">The interpolated string.</param>
    /// <returns>The fragment.</returns>
    public static Markup Of(ref MarkupHandler handler) => new(handler.ToStringAndClear());

    /// <summary>Joins fragments.</summary>
    /// <param name="parts">The fragments, in order.</param>
    /// <returns>The fragment.</returns>
    public static Markup Join(IEnumerable<Markup> parts)
    {
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(part.Html);
        }

        return new Markup(text.ToString());
    }

    /// <summary>Writes <paramref name="html"/> as it is. Only for literal HTML of the dashboard's own (never a value).</summary>
    /// <param name="html">HTML the dashboard wrote.</param>
    /// <returns>The fragment.</returns>
    public static Markup Trusted(string html) => new(html);

    /// <summary>Writes <paramref name="condition"/> ? <paramref name="fragment"/> : nothing.</summary>
    /// <param name="condition">Whether to write the fragment.</param>
    /// <param name="fragment">The fragment.</param>
    /// <returns>The fragment or <see cref="Empty"/>.</returns>
    public static Markup If(bool condition, Markup fragment) => condition ? fragment : Empty;

    /// <inheritdoc />
    public override string ToString() => Html;
}
