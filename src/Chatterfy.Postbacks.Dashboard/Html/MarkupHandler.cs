using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace Chatterfy.Postbacks.Dashboard.Html;

/// <summary>The interpolated-string handler behind <see cref="Markup.Of"/>: literals as written, holes HTML-encoded.</summary>
[InterpolatedStringHandler]
internal ref struct MarkupHandler
{
    private StringBuilder? _html;

    /// <summary>Initializes a new instance of the <see cref="MarkupHandler"/> struct.</summary>
    /// <param name="literalLength">The length of the literal parts.</param>
    /// <param name="formattedCount">The number of holes.</param>
    public MarkupHandler(int literalLength, int formattedCount) => _html = new StringBuilder(literalLength + (formattedCount * 16));

    /// <summary>Appends a literal part as it is.</summary>
    /// <param name="value">The literal.</param>
    public readonly void AppendLiteral(string value) => _html!.Append(value);

    /// <summary>Appends trusted markup as it is.</summary>
    /// <param name="value">The markup.</param>
    public readonly void AppendFormatted(Markup? value) => _html!.Append(value?.Html);

    /// <summary>Appends a sequence of trusted markup as it is.</summary>
    /// <param name="values">The fragments.</param>
    public readonly void AppendFormatted(IEnumerable<Markup>? values)
    {
        if (values is null)
        {
            return;
        }

        foreach (var value in values)
        {
            _html!.Append(value.Html);
        }
    }

    /// <summary>Appends a string, HTML-encoded (quotes included, so it is safe inside a quoted attribute).</summary>
    /// <param name="value">The text.</param>
    public readonly void AppendFormatted(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _html!.Append(HtmlEncoder.Default.Encode(value));
        }
    }

    /// <summary>Appends a value's invariant-culture text, HTML-encoded.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    public readonly void AppendFormatted<T>(T value)
    {
        // A List<Markup> or Markup[] binds to this overload rather than the IEnumerable<Markup> one: still markup.
        switch (value)
        {
            case null:
                return;
            case Markup markup:
                AppendFormatted(markup);
                return;
            case IEnumerable<Markup> fragments:
                AppendFormatted(fragments);
                return;
            case IFormattable formattable:
                AppendFormatted(formattable.ToString(null, CultureInfo.InvariantCulture));
                return;
            default:
                AppendFormatted(value.ToString());
                return;
        }
    }

    /// <summary>Appends a value's invariant-culture text in <paramref name="format"/>, HTML-encoded.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="format">The format string.</param>
    public readonly void AppendFormatted<T>(T value, string? format)
        where T : IFormattable => AppendFormatted(value?.ToString(format, CultureInfo.InvariantCulture));

    /// <summary>Returns the HTML written.</summary>
    /// <returns>The HTML.</returns>
    public string ToStringAndClear()
    {
        var text = _html!.ToString();
        _html = null;
        return text;
    }
}
